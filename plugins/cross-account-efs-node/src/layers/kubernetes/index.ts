import {
  CheckResult,
  CSI_DRIVER,
  MIN_CROSS_ACCOUNT_DRIVER,
  supportsCrossAccount,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  Layer,
  LayerOptions,
  LayerPlan,
  Topology,
} from '../../engine/types';
import { readDriver } from '../csi-driver/read';
import { waitForAddonActive } from '../csi-driver/wait';
import { planNamespace } from './namespace';
import { checkVolumes } from './volumes';
import { PlanBlockedError } from '../../engine/runPlan';
import { waitUntil } from '../../engine/waitUntil';
import { ClusterRefusedError } from '../../kubernetes/kubeErrors';
import { planPortalAccess, planPortalAccessRemoval } from './accessEntry';
import {
  change,
  installedDriverVersion,
  KubernetesState,
  readKubernetes,
  ResourcePlan,
} from './read';
import { checkSecret, planSecret, planSecretRemoval } from './secret';
import {
  checkStorageClass,
  planStorageClass,
  planStorageClassRemoval,
} from './storageClass';
import {
  checkTestClaim,
  planTestClaim,
  planTestClaimRemoval,
  TestClaimState,
} from './testClaim';

export { TEST_CLAIM } from './read';

/** @public */
export interface KubernetesStorageResult {
  storageClassName: string;
  driverVersion: string;
  testClaim?: TestClaimState;
}

const merged = (parts: ResourcePlan[]) => ({
  changes: parts.flatMap(p => p.changes),
  blockers: parts.flatMap(p => p.blockers),
});

/**
 * Seed steps 10.6 and 11: the `x-account` secret, a StorageClass for the
 * driver version the csi-driver layer leaves running, the workloads'
 * namespace, and (with verify) a test claim and a pod that writes to it.
 */
async function planKubernetes(
  ctx: EngineContext,
  t: Topology,
  o: LayerOptions,
): Promise<LayerPlan<KubernetesStorageResult>> {
  let s: KubernetesState;
  let driver: Awaited<ReturnType<typeof readDriver>>;
  try {
    [s, driver] = await Promise.all([
      readKubernetes(ctx, t, o),
      readDriver(ctx, t, o),
    ]);
  } catch (e) {
    const access =
      e instanceof ClusterRefusedError
        ? await planPortalAccess(ctx, t, e)
        : undefined;
    if (!access) throw e;
    return planBehindAccess(ctx, t, o, access);
  }
  // Planned for the driver the csi-driver layer leaves running, so a dry
  // run of the whole template plans what the earlier steps will make.
  const version = driver.version ?? s.installed;
  const blockers: Blocker[] = [];
  if (version && !supportsCrossAccount(version)) {
    blockers.push({
      layer: 'kubernetes',
      summary: `EFS CSI driver ${version} cannot mount across accounts with an external id.`,
      remedy: `Upgrade it to v${MIN_CROSS_ACCOUNT_DRIVER}+ with cross-account-efs:csi-driver.`,
    });
  }
  const testClaim = planTestClaim(ctx, t, s, o);
  const parts = [
    planSecret(ctx, t, s),
    await planStorageClass(ctx, t, s, o, version),
    planNamespace(ctx, t, s, o.namespace),
    testClaim,
  ];
  const plan = merged(parts);
  return {
    changes: plan.changes,
    blockers: [...blockers, ...plan.blockers],
    apply: async () => {
      // The add-on the csi-driver layer installed or updated: its objects
      // need the driver running.
      await waitForAddonActive(ctx, t, o);
      const installed = s.installed ?? (await installedDriverVersion(s.k8s));
      if (!installed) {
        throw new Error(
          `The EFS CSI driver is not running in ${t.cluster.clusterName} (no ${CSI_DRIVER.namespace}/${CSI_DRIVER.controllerDeployment}). Run cross-account-efs:csi-driver first.`,
        );
      }
      for (const part of parts) await part.apply();
      return {
        storageClassName: s.storageClassName,
        driverVersion: installed,
        testClaim: await testClaim.run(),
      };
    },
  };
}

/**
 * The plan of a cluster the portal cannot read until its access entry
 * exists: the entry, then the cluster's objects as a second plan made once
 * it can read them. Its blockers then stop the step before any object is
 * written; only the access entry is made first, since nothing else can
 * be read without it.
 */
function planBehindAccess(
  ctx: EngineContext,
  t: Topology,
  o: LayerOptions,
  access: ResourcePlan,
): LayerPlan<KubernetesStorageResult> {
  const objects = [
    `Secret ${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName}`,
    `StorageClass ${o.storageClassName}`,
    o.namespace && `namespace ${o.namespace}`,
    o.verify && 'the test claim',
  ].filter(Boolean);
  return {
    changes: access.changes.length
      ? [
          ...access.changes,
          change(
            t,
            'create',
            'kubernetes-objects',
            `Then ${objects.join(
              ', ',
            )}: planned against the cluster once the access entry lets the portal read it`,
          ),
        ]
      : [],
    blockers: access.blockers,
    apply: async () => {
      await access.apply();
      const plan = await waitUntil(
        { maxWaitSeconds: o.maxWaitSeconds ?? 120, minDelaySeconds: 1 },
        async () => {
          try {
            return { state: 'done', value: await planKubernetes(ctx, t, o) };
          } catch (e) {
            // EKS takes a few seconds to honour a new access entry.
            if (e instanceof ClusterRefusedError) {
              return { state: 'pending', reason: e.message };
            }
            throw e;
          }
        },
        (_outcome, last) =>
          `The access entry on ${t.cluster.clusterName} exists, but the cluster still refuses the portal: ${last}`,
      );
      if (plan.blockers.length) throw new PlanBlockedError(plan.blockers);
      return plan.apply();
    },
  };
}

async function checkKubernetes(
  ctx: EngineContext,
  t: Topology,
  o: LayerOptions,
): Promise<CheckResult[]> {
  let s;
  try {
    s = await readKubernetes(ctx, t, o);
  } catch (e) {
    return [
      checkResult('kubernetes', 'kubernetes:cluster', 'unknown', {
        summary: (e as Error).message,
        remedy: 'Configure the cluster for the Kubernetes plugin.',
      }),
    ];
  }
  return [
    checkSecret(s),
    checkStorageClass(t, s),
    await checkVolumes(s),
    await checkTestClaim(s),
  ];
}

/** The test claim, the StorageClass (refused while workloads' volumes use it), then the secret with its last class. */
async function planKubernetesRemoval(
  ctx: EngineContext,
  t: Topology,
  o: LayerOptions,
): Promise<LayerPlan<void>> {
  const s = await readKubernetes(ctx, t, o);
  const parts = [
    planTestClaimRemoval(ctx, t, s),
    await planStorageClassRemoval(ctx, t, s),
    await planSecretRemoval(ctx, t, s, o),
    await planPortalAccessRemoval(ctx, t, s),
  ];
  return {
    ...merged(parts),
    apply: async () => {
      for (const part of parts) await part.apply();
    },
  };
}

export const kubernetes: Layer<KubernetesStorageResult> = {
  id: 'kubernetes',
  plan: planKubernetes,
  check: checkKubernetes,
  remove: planKubernetesRemoval,
};
export type { TestClaimState } from './testClaim';
