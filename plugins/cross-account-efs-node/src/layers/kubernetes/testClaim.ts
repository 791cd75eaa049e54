import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type {
  EngineContext,
  LayerOptions,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { waitUntil } from '../../engine/waitUntil';
import { createIdempotent, readOptional } from '../../kubernetes/kubeErrors';
import {
  change,
  claimEvents,
  keyOf,
  KubernetesState,
  managedLabels,
  ResourcePlan,
  TEST_CLAIM,
} from './read';
import { nothingToChange } from '../../engine/runPlan';

/** Proof that it works: a claim that binds, and a short-lived pod that writes to it. */

function testClaim(
  namespace: string,
  storageClassName: string,
): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: TEST_CLAIM, namespace, labels: managedLabels },
    spec: {
      accessModes: ['ReadWriteMany'],
      storageClassName,
      resources: { requests: { storage: '1Mi' } },
    },
  };
}

function testPod(namespace: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: TEST_CLAIM, namespace, labels: managedLabels },
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'write',
          image: 'public.ecr.aws/docker/library/busybox:stable',
          command: [
            'sh',
            '-c',
            'date > /data/.cross-account-efs-check && cat /data/.cross-account-efs-check',
          ],
          volumeMounts: [{ name: 'efs', mountPath: '/data' }],
        },
      ],
      volumes: [
        { name: 'efs', persistentVolumeClaim: { claimName: TEST_CLAIM } },
      ],
    },
  };
}

/** @public */
export interface TestClaimState {
  namespace: string;
  name: string;
  phase: string;
}

export function planTestClaim(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
  o: LayerOptions,
): ResourcePlan & { run(): Promise<TestClaimState | undefined> } {
  const namespace = s.claimNamespace;
  const createClaim = !!o.verify && !s.claim;
  const runPod = !!o.verify && s.claim?.status?.phase !== 'Bound';
  const changes: PlannedChange[] = [];
  if (createClaim)
    changes.push(
      change(
        t,
        'create',
        'persistent-volume-claim',
        `${namespace}/${TEST_CLAIM} (1Mi, ReadWriteMany) to prove provisioning works`,
      ),
    );
  if (runPod)
    changes.push(
      change(
        t,
        'create',
        'pod',
        `${namespace}/${TEST_CLAIM}: writes a file to the claim, then is deleted`,
      ),
    );
  const key = `${keyOf(t)}:test`;
  const maxWaitSeconds = o.maxWaitSeconds ?? 300;
  const wait = { maxWaitSeconds, minDelaySeconds: 2 };
  const core = s.k8s.core;
  const run = async (): Promise<TestClaimState | undefined> => {
    if (!o.verify) return undefined;
    if (createClaim) {
      await ctx.checkpoint(`${key}-claim:${namespace}`, () =>
        createIdempotent(() =>
          core.createNamespacedPersistentVolumeClaim({
            namespace,
            body: testClaim(namespace, s.storageClassName),
          }),
        ),
      );
    }
    let last: V1PersistentVolumeClaim | undefined;
    await waitUntil(
      wait,
      async () => {
        last = await core.readNamespacedPersistentVolumeClaim({
          name: TEST_CLAIM,
          namespace,
        });
        return last.status?.phase === 'Bound'
          ? { state: 'done', value: undefined }
          : { state: 'pending', reason: last.status?.phase ?? 'Pending' };
      },
      () => `${namespace}/${TEST_CLAIM} is not Bound after ${maxWaitSeconds}s`,
    ).catch(async e => {
      const events = last ? await claimEvents(s.k8s, last) : [];
      throw new Error(
        `${(e as Error).message}${
          events.length ? `: ${events[events.length - 1]}` : ''
        }. Fix what the event names, then re-run.`,
      );
    });
    if (runPod) {
      await ctx.checkpoint(`${key}-pod:${namespace}`, async () => {
        await readOptional(() =>
          core.deleteNamespacedPod({ name: TEST_CLAIM, namespace }),
        );
        await core.createNamespacedPod({ namespace, body: testPod(namespace) });
      });
      const ran = await waitUntil(
        wait,
        async () => {
          const pod = await core.readNamespacedPod({
            name: TEST_CLAIM,
            namespace,
          });
          const phase = pod.status?.phase ?? 'Pending';
          if (phase === 'Succeeded') return { state: 'done', value: true };
          if (phase === 'Failed') return { state: 'done', value: false };
          return { state: 'pending', reason: phase };
        },
        (_outcome, phase) => `still ${phase}`,
      ).catch(() => false);
      await ctx.checkpoint(`${key}-pod:${namespace}:delete`, async () => {
        await readOptional(() =>
          core.deleteNamespacedPod({ name: TEST_CLAIM, namespace }),
        );
      });
      if (!ran) {
        throw new Error(
          `The test pod ${namespace}/${TEST_CLAIM} did not write to the volume. Check its events: kubectl -n ${namespace} describe pod ${TEST_CLAIM}.`,
        );
      }
    }
    return { namespace, name: TEST_CLAIM, phase: 'Bound' };
  };
  return { changes, blockers: [], apply: async () => {}, run };
}

export async function checkTestClaim(s: KubernetesState): Promise<CheckResult> {
  const id = `kubernetes:test-claim:${s.claimNamespace}/${TEST_CLAIM}`;
  const name = `${s.claimNamespace}/${TEST_CLAIM}`;
  if (!s.claim) {
    return checkResult('kubernetes', id, 'unknown', {
      summary: 'No test claim: provisioning ran without verify.',
      remedy: 'Re-run provisioning with verify to prove a claim binds.',
    });
  }
  if (s.claim.status?.phase === 'Bound') {
    return checkResult('kubernetes', id, 'ok', {
      summary: `Test claim ${name} is Bound.`,
    });
  }
  const events = await claimEvents(s.k8s, s.claim);
  return checkResult('kubernetes', id, 'error', {
    summary: `Test claim ${name} is ${s.claim.status?.phase ?? 'Pending'}${
      events.length ? `: ${events[events.length - 1]}` : ''
    }.`,
    remedy:
      'Fix what the event names (usually the secret, the StorageClass or IAM), then re-run provisioning.',
  });
}

export function planTestClaimRemoval(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
): ResourcePlan {
  if (!s.claim) return nothingToChange();
  const namespace = s.claimNamespace;
  return {
    changes: [
      change(
        t,
        'delete',
        'persistent-volume-claim',
        `${namespace}/${TEST_CLAIM}`,
      ),
    ],
    blockers: [],
    apply: async () => {
      await ctx.checkpoint(
        `${keyOf(t)}:remove:test-claim:${namespace}`,
        async () => {
          await readOptional(() =>
            s.k8s.core.deleteNamespacedPersistentVolumeClaim({
              name: TEST_CLAIM,
              namespace,
            }),
          );
        },
      );
    },
  };
}
