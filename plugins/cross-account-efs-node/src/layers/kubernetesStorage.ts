import { GetRoleCommand } from '@aws-sdk/client-iam';
import type {
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';
import {
  CheckResult,
  CSI_DRIVER,
  GidRange,
  MIN_CROSS_ACCOUNT_DRIVER,
  supportsCrossAccount,
  TAG_MANAGED_BY_VALUE,
} from '@internal/plugin-cross-account-efs-common';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { checkResult } from '../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';
import { sids } from '../iam/connectionIam';
import { parsePolicy } from '../iam/policyDocument';
import { KubernetesApis } from '../kubernetes/KubernetesClusters';
import {
  createIdempotent,
  describeKubeError,
  readOptional,
} from '../kubernetes/kubeErrors';
import {
  diffStorageClass,
  MANAGED_LABEL,
  storageClassFor,
  storageClassProblems,
} from '../kubernetes/storageClass';

export interface KubernetesStorageOptions {
  /** The EFS-account role (output of the iam step). */
  efsAccessRoleArn: string;
  storageClassName: string;
  directoryPerms?: string;
  gidRange?: GidRange;
  basePath?: string;
  reclaimPolicy?: 'Delete' | 'Retain';
  /** Namespace for workloads (created if missing) and for the test claim. */
  namespace?: string;
  /** Create a test claim and a short-lived pod that writes to it. */
  verify?: boolean;
  /** Delete and re-create a differing StorageClass, only while no volume uses it. */
  replaceStorageClass?: boolean;
  /** The driver version the csi-driver layer leaves running; default: read from the cluster. */
  driverVersion?: string;
  maxWaitSeconds?: number;
}

export interface KubernetesStorageResult {
  storageClassName: string;
  driverVersion: string;
  testClaim?: { namespace: string; name: string; phase: string };
}

export const TEST_CLAIM = 'cross-account-efs-check';
const managedLabels = { [MANAGED_LABEL]: TAG_MANAGED_BY_VALUE };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s?: string) =>
  s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');

/** The driver version running in the cluster: the controller's image tag. */
export async function installedDriverVersion(
  k8s: KubernetesApis,
): Promise<string | undefined> {
  const controller = await readOptional(() =>
    k8s.apps.readNamespacedDeployment({
      name: CSI_DRIVER.controllerDeployment,
      namespace: CSI_DRIVER.namespace,
    }),
  );
  const image =
    controller?.spec?.template?.spec?.containers?.find(c =>
      c.image?.includes('aws-efs-csi-driver'),
    )?.image ?? controller?.spec?.template?.spec?.containers?.[0]?.image;
  return image?.split(':')[1];
}

/** The external id the EFS-account role's trust asks for: read, never output or logged. */
async function externalIdOf(
  ctx: EngineContext,
  t: Topology,
  roleArn: string,
): Promise<string | undefined> {
  const name = roleArn.split('/').pop()!;
  const { Role } = await ctx.aws
    .iam(t.fileSystem)
    .send(new GetRoleCommand({ RoleName: name }));
  const statement = parsePolicy(Role?.AssumeRolePolicyDocument).Statement.find(
    s => s.Sid === sids(t.spec).trust,
  );
  const id = statement?.Condition?.StringEquals?.['sts:ExternalId'];
  return typeof id === 'string' ? id : undefined;
}

function secretFor(roleArn: string, externalId: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: CSI_DRIVER.secretName,
      namespace: CSI_DRIVER.namespace,
      labels: managedLabels,
    },
    type: 'Opaque',
    data: {
      awsRoleArn: b64(roleArn),
      crossaccount: b64('true'),
      externalId: b64(externalId),
    },
  };
}

const accountOf = (arn?: string) =>
  /^arn:[\w-]+:iam::(\d{12}):/.exec(arn ?? '')?.[1];

async function usingVolumes(
  k8s: KubernetesApis,
  storageClassName: string,
): Promise<string[]> {
  const { items } = await k8s.core.listPersistentVolume();
  return items
    .filter(pv => pv.spec?.storageClassName === storageClassName)
    .map(pv => pv.metadata!.name!);
}

/** The latest provisioning event of a claim: why it is (not) bound. */
async function claimEvents(
  k8s: KubernetesApis,
  claim: V1PersistentVolumeClaim,
): Promise<string[]> {
  const { items } = await k8s.core.listNamespacedEvent({
    namespace: claim.metadata!.namespace!,
    fieldSelector: `involvedObject.uid=${claim.metadata!.uid}`,
  });
  return items
    .filter(e => e.type === 'Warning')
    .map(e => `${e.reason}: ${e.message}`);
}

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

/** Polls with the SDK's waiter machinery until `done` says yes or no. */
async function waitFor<T>(
  maxWaitSeconds: number,
  read: () => Promise<T>,
  done: (v: T) => boolean | 'failed',
): Promise<{ ok: boolean; last: T | undefined }> {
  let last: T | undefined;
  const result = await createWaiter(
    { client: {}, maxWaitTime: maxWaitSeconds, minDelay: 2, maxDelay: 10 },
    {},
    async () => {
      last = await read();
      const verdict = done(last);
      if (verdict === 'failed') return { state: WaiterState.FAILURE };
      return { state: verdict ? WaiterState.SUCCESS : WaiterState.RETRY };
    },
  );
  return { ok: result.state === WaiterState.SUCCESS, last };
}

/**
 * Seed steps 10.6 and 11: the `x-account` secret in the driver's namespace
 * (role, crossaccount, external id), a StorageClass for the installed driver
 * version, optionally a namespace, a test claim and a pod that writes to it.
 */
export async function planKubernetesStorage(
  ctx: EngineContext,
  t: Topology,
  o: KubernetesStorageOptions,
): Promise<LayerPlan<KubernetesStorageResult>> {
  const k8s = ctx.kubernetes.forCluster(t.cluster.clusterName);
  const [installed, secret, existingClass, namespace, externalId] =
    await Promise.all([
      installedDriverVersion(k8s),
      readOptional(() =>
        k8s.core.readNamespacedSecret({
          name: CSI_DRIVER.secretName,
          namespace: CSI_DRIVER.namespace,
        }),
      ),
      readOptional(() =>
        k8s.storage.readStorageClass({ name: o.storageClassName }),
      ),
      o.namespace
        ? readOptional(() => k8s.core.readNamespace({ name: o.namespace! }))
        : undefined,
      externalIdOf(ctx, t, o.efsAccessRoleArn).catch(() => undefined),
    ]);
  const version = o.driverVersion ?? installed;
  const blockers: Blocker[] = [];
  const changes: PlannedChange[] = [];
  const change = (
    action: PlannedChange['action'],
    resource: string,
    summary: string,
  ) =>
    changes.push({
      layer: 'kubernetes',
      accountId: t.cluster.accountId,
      action,
      resource,
      summary,
    });

  // Before the iam and csi-driver steps have run (a dry run of the whole
  // template), plan with what they will make; apply insists they did.
  if (version && !supportsCrossAccount(version)) {
    blockers.push({
      layer: 'kubernetes',
      summary: `EFS CSI driver ${version} cannot mount across accounts with an external id.`,
      remedy: `Upgrade it to v${MIN_CROSS_ACCOUNT_DRIVER}+ with cross-account-efs:csi-driver.`,
    });
  }

  const wantedSecret = secretFor(o.efsAccessRoleArn, externalId ?? '');
  const currentRole = unb64(secret?.data?.awsRoleArn);
  let writeSecret: 'create' | 'update' | undefined;
  if (!secret) writeSecret = 'create';
  else if (
    currentRole &&
    currentRole !== o.efsAccessRoleArn &&
    accountOf(currentRole) !== t.fileSystem.accountId
  ) {
    blockers.push({
      layer: 'kubernetes',
      summary: `${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName} already points at ${currentRole}, in another EFS account. The driver reads that one secret, so a cluster mounts from one EFS account.`,
      remedy:
        'Serve this cluster from the same EFS account, or remove the other connection first.',
    });
  } else if (
    currentRole !== o.efsAccessRoleArn ||
    unb64(secret.data?.crossaccount) !== 'true' ||
    (externalId !== undefined && unb64(secret.data?.externalId) !== externalId)
  ) {
    writeSecret = 'update';
  }
  if (writeSecret) {
    change(
      writeSecret,
      'kubernetes-secret',
      `${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName}: awsRoleArn ${o.efsAccessRoleArn}, crossaccount true, externalId (from the role's trust, not shown)`,
    );
  }

  const wantedClass = storageClassFor(version ?? '3.0.0', {
    name: o.storageClassName,
    fileSystemId: t.spec.fileSystem.fileSystemId,
    directoryPerms: o.directoryPerms ?? '700',
    gidRange: o.gidRange,
    basePath: o.basePath,
    reclaimPolicy: o.reclaimPolicy,
  });
  let writeClass: 'create' | 'replace' | undefined;
  if (!existingClass) {
    writeClass = 'create';
    change(
      'create',
      'storage-class',
      `${o.storageClassName} for driver ${
        version ?? '(to be installed)'
      }: mountOptions ${wantedClass.mountOptions!.join(', ')}; ${Object.entries(
        wantedClass.parameters!,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  } else {
    const diffs = diffStorageClass(existingClass, wantedClass);
    if (diffs.length) {
      const volumes = await usingVolumes(k8s, o.storageClassName);
      if (o.replaceStorageClass && volumes.length === 0) {
        writeClass = 'replace';
        change(
          'update',
          'storage-class',
          `Replace ${
            o.storageClassName
          } (delete, create; no volume uses it): ${diffs.join('; ')}`,
        );
      } else {
        blockers.push({
          layer: 'kubernetes',
          summary: `StorageClass ${
            o.storageClassName
          } exists and differs (${diffs.join(
            '; ',
          )}); StorageClass parameters cannot be changed in place. ${
            volumes.length
          } PersistentVolume(s) use it${
            volumes.length ? `: ${volumes.slice(0, 5).join(', ')}` : ''
          }.`,
          remedy: volumes.length
            ? 'Choose another storageClassName for this connection; the existing class keeps serving its volumes.'
            : 'Choose another storageClassName, or set replaceStorageClass: true to delete and re-create it (no volume uses it).',
        });
      }
    }
  }
  const createNamespace = o.namespace && !namespace;
  if (createNamespace) change('create', 'namespace', o.namespace!);
  const claimNamespace = o.namespace ?? 'default';
  const claim = o.verify
    ? await readOptional(() =>
        k8s.core.readNamespacedPersistentVolumeClaim({
          name: TEST_CLAIM,
          namespace: claimNamespace,
        }),
      )
    : undefined;
  const runCheck = o.verify && claim?.status?.phase !== 'Bound';
  if (o.verify && !claim)
    change(
      'create',
      'persistent-volume-claim',
      `${claimNamespace}/${TEST_CLAIM} (1Mi, ReadWriteMany) to prove provisioning works`,
    );
  if (runCheck)
    change(
      'create',
      'pod',
      `${claimNamespace}/${TEST_CLAIM}: writes a file to the claim, then is deleted`,
    );

  return {
    changes,
    blockers,
    apply: async () => {
      const key = `kubernetes:${t.cluster.accountId}/${t.cluster.clusterName}`;
      if (!version) {
        throw new Error(
          `The EFS CSI driver is not running in ${t.cluster.clusterName} (no ${CSI_DRIVER.namespace}/${CSI_DRIVER.controllerDeployment}). Run cross-account-efs:csi-driver first.`,
        );
      }
      if (writeSecret && !externalId) {
        throw new Error(
          `${o.efsAccessRoleArn} has no trust statement for this cluster with an external id. Run cross-account-efs:iam first.`,
        );
      }
      if (writeSecret === 'create') {
        await ctx.checkpoint(`${key}:secret:create`, () =>
          createIdempotent(() =>
            k8s.core.createNamespacedSecret({
              namespace: CSI_DRIVER.namespace,
              body: wantedSecret,
            }),
          ),
        );
      } else if (writeSecret === 'update') {
        await ctx.checkpoint(
          `${key}:secret:update:${o.efsAccessRoleArn}`,
          async () => {
            await k8s.core.replaceNamespacedSecret({
              name: CSI_DRIVER.secretName,
              namespace: CSI_DRIVER.namespace,
              body: {
                ...wantedSecret,
                metadata: {
                  ...wantedSecret.metadata,
                  resourceVersion: secret!.metadata?.resourceVersion,
                },
              },
            });
          },
        );
      }
      if (writeClass === 'replace') {
        await ctx.checkpoint(
          `${key}:storage-class:delete:${o.storageClassName}`,
          async () => {
            await readOptional(() =>
              k8s.storage.deleteStorageClass({ name: o.storageClassName }),
            );
          },
        );
      }
      if (writeClass) {
        await ctx.checkpoint(
          `${key}:storage-class:create:${o.storageClassName}`,
          () =>
            createIdempotent(() =>
              k8s.storage.createStorageClass({ body: wantedClass }),
            ),
        );
      }
      if (createNamespace) {
        await ctx.checkpoint(`${key}:namespace:${o.namespace}`, () =>
          createIdempotent(() =>
            k8s.core.createNamespace({
              body: { metadata: { name: o.namespace!, labels: managedLabels } },
            }),
          ),
        );
      }
      let testClaimState: KubernetesStorageResult['testClaim'];
      if (o.verify) {
        testClaimState = await verifyProvisioning(
          ctx,
          k8s,
          key,
          claimNamespace,
          o,
          !claim,
          !!runCheck,
        );
      }
      return {
        storageClassName: o.storageClassName,
        driverVersion: version!,
        testClaim: testClaimState,
      };
    },
  };
}

async function verifyProvisioning(
  ctx: EngineContext,
  k8s: KubernetesApis,
  key: string,
  namespace: string,
  o: KubernetesStorageOptions,
  createClaim: boolean,
  runPod: boolean,
): Promise<KubernetesStorageResult['testClaim']> {
  const maxWait = o.maxWaitSeconds ?? 300;
  if (createClaim) {
    await ctx.checkpoint(`${key}:test-claim:${namespace}`, () =>
      createIdempotent(() =>
        k8s.core.createNamespacedPersistentVolumeClaim({
          namespace,
          body: testClaim(namespace, o.storageClassName),
        }),
      ),
    );
  }
  const bound = await waitFor(
    maxWait,
    () =>
      k8s.core.readNamespacedPersistentVolumeClaim({
        name: TEST_CLAIM,
        namespace,
      }),
    c => c.status?.phase === 'Bound',
  );
  if (!bound.ok) {
    const events = bound.last ? await claimEvents(k8s, bound.last) : [];
    throw new Error(
      `${namespace}/${TEST_CLAIM} is ${
        bound.last?.status?.phase ?? 'missing'
      } after ${maxWait}s${
        events.length ? `: ${events[events.length - 1]}` : ''
      }. Fix what the event names, then re-run.`,
    );
  }
  if (runPod) {
    await ctx.checkpoint(`${key}:test-pod:${namespace}`, async () => {
      await readOptional(() =>
        k8s.core.deleteNamespacedPod({ name: TEST_CLAIM, namespace }),
      );
      await k8s.core.createNamespacedPod({
        namespace,
        body: testPod(namespace),
      });
    });
    const ran = await waitFor(
      maxWait,
      () => k8s.core.readNamespacedPod({ name: TEST_CLAIM, namespace }),
      p =>
        p.status?.phase === 'Failed'
          ? 'failed'
          : p.status?.phase === 'Succeeded',
    );
    await ctx.checkpoint(`${key}:test-pod:${namespace}:delete`, async () => {
      await readOptional(() =>
        k8s.core.deleteNamespacedPod({ name: TEST_CLAIM, namespace }),
      );
    });
    if (!ran.ok) {
      throw new Error(
        `The test pod ${namespace}/${TEST_CLAIM} did not write to the volume (${
          ran.last?.status?.phase ?? 'missing'
        }). Check its events: kubectl -n ${namespace} describe pod ${TEST_CLAIM}.`,
      );
    }
  }
  return { namespace, name: TEST_CLAIM, phase: 'Bound' };
}

export async function checkKubernetesStorage(
  ctx: EngineContext,
  t: Topology,
  o: Pick<
    KubernetesStorageOptions,
    'efsAccessRoleArn' | 'storageClassName' | 'namespace'
  >,
): Promise<CheckResult[]> {
  let k8s: KubernetesApis;
  try {
    k8s = ctx.kubernetes.forCluster(t.cluster.clusterName);
  } catch (e) {
    return [
      checkResult('kubernetes', 'kubernetes:cluster', 'unknown', {
        summary: (e as Error).message,
        remedy: 'Configure the cluster for the Kubernetes plugin.',
      }),
    ];
  }
  const claimNamespace = o.namespace ?? 'default';
  const [version, secret, sc, claim, externalId] = await Promise.all([
    installedDriverVersion(k8s),
    readOptional(() =>
      k8s.core.readNamespacedSecret({
        name: CSI_DRIVER.secretName,
        namespace: CSI_DRIVER.namespace,
      }),
    ),
    readOptional(() =>
      k8s.storage.readStorageClass({ name: o.storageClassName }),
    ),
    readOptional(() =>
      k8s.core.readNamespacedPersistentVolumeClaim({
        name: TEST_CLAIM,
        namespace: claimNamespace,
      }),
    ),
    externalIdOf(ctx, t, o.efsAccessRoleArn).catch(() => undefined),
  ]);
  const rerun = 'Re-run provisioning: it rewrites the secret.';
  const results: CheckResult[] = [];
  const secretId = `kubernetes:secret:${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName}`;
  if (!secret) {
    results.push(
      checkResult('kubernetes', secretId, 'error', {
        summary: `Secret ${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName} is missing: the controller cannot assume the EFS-account role; new claims stay Pending.`,
        remedy: rerun,
      }),
    );
  } else {
    const problems = [
      unb64(secret.data?.awsRoleArn) !== o.efsAccessRoleArn &&
        `awsRoleArn is ${unb64(secret.data?.awsRoleArn) ?? '(missing)'}, not ${
          o.efsAccessRoleArn
        }`,
      unb64(secret.data?.crossaccount) !== 'true' &&
        'crossaccount is not "true"',
      externalId !== undefined &&
        unb64(secret.data?.externalId) !== externalId &&
        "externalId does not match the role's trust",
    ].filter(Boolean);
    results.push(
      problems.length
        ? checkResult('kubernetes', secretId, 'error', {
            summary: `Secret ${CSI_DRIVER.secretName}: ${problems.join('; ')}.`,
            remedy: rerun,
          })
        : checkResult('kubernetes', secretId, 'ok', {
            summary: `Secret ${CSI_DRIVER.secretName} names ${o.efsAccessRoleArn}, crossaccount, and the role's external id.`,
          }),
    );
  }
  const scId = `kubernetes:storage-class:${o.storageClassName}`;
  if (!sc) {
    results.push(
      checkResult('kubernetes', scId, 'error', {
        summary: `StorageClass ${o.storageClassName} is missing.`,
        remedy: 'Re-run provisioning: it creates the StorageClass.',
      }),
    );
  } else {
    const problems = storageClassProblems(version ?? '3.0.0', sc);
    if (sc.parameters?.fileSystemId !== t.spec.fileSystem.fileSystemId)
      problems.push(
        `parameters.fileSystemId is ${sc.parameters?.fileSystemId}, not ${t.spec.fileSystem.fileSystemId}`,
      );
    results.push(
      problems.length
        ? checkResult('kubernetes', scId, 'error', {
            summary: `StorageClass ${o.storageClassName}: ${problems.join(
              '; ',
            )}.`,
            remedy: `StorageClass parameters are immutable: delete the class when no volume uses it and re-run provisioning (or use replaceStorageClass), or provision under another storageClassName.`,
            evidence: { driverVersion: version, mountOptions: sc.mountOptions },
          })
        : checkResult('kubernetes', scId, 'ok', {
            summary: `StorageClass ${o.storageClassName} fits driver ${version}.`,
            evidence: { driverVersion: version },
          }),
    );
  }
  const claimId = `kubernetes:test-claim:${claimNamespace}/${TEST_CLAIM}`;
  if (!claim) {
    results.push(
      checkResult('kubernetes', claimId, 'unknown', {
        summary: 'No test claim: provisioning ran without verify.',
        remedy: 'Re-run provisioning with verify to prove a claim binds.',
      }),
    );
  } else if (claim.status?.phase === 'Bound') {
    results.push(
      checkResult('kubernetes', claimId, 'ok', {
        summary: `Test claim ${claimNamespace}/${TEST_CLAIM} is Bound.`,
      }),
    );
  } else {
    const events = await claimEvents(k8s, claim);
    results.push(
      checkResult('kubernetes', claimId, 'error', {
        summary: `Test claim ${claimNamespace}/${TEST_CLAIM} is ${
          claim.status?.phase ?? 'Pending'
        }${events.length ? `: ${events[events.length - 1]}` : ''}.`,
        remedy:
          'Fix what the event names (usually the secret, the StorageClass or IAM), then re-run provisioning.',
      }),
    );
  }
  return results;
}

export async function removeKubernetesStorage(
  ctx: EngineContext,
  t: Topology,
  o: Pick<KubernetesStorageOptions, 'storageClassName' | 'namespace'>,
): Promise<PlannedChange[]> {
  const k8s = ctx.kubernetes.forCluster(t.cluster.clusterName);
  const volumes = await usingVolumes(k8s, o.storageClassName);
  const claimNamespace = o.namespace ?? 'default';
  const testVolume = (
    await readOptional(() =>
      k8s.core.readNamespacedPersistentVolumeClaim({
        name: TEST_CLAIM,
        namespace: claimNamespace,
      }),
    )
  )?.spec?.volumeName;
  const others = volumes.filter(v => v !== testVolume);
  if (others.length) {
    throw new Error(
      `StorageClass ${o.storageClassName} still has ${
        others.length
      } PersistentVolume(s) (${others
        .slice(0, 5)
        .join(
          ', ',
        )}). Move or delete the workloads and their claims first; nothing was removed.`,
    );
  }
  const removed: PlannedChange[] = [];
  const key = `kubernetes:remove:${t.cluster.accountId}/${t.cluster.clusterName}`;
  const del = async (
    resource: string,
    name: string,
    fn: () => Promise<unknown>,
  ) => {
    const gone = await ctx.checkpoint(
      `${key}:${resource}:${name}`,
      async () => (await readOptional(fn)) !== undefined,
    );
    if (gone)
      removed.push({
        layer: 'kubernetes',
        accountId: t.cluster.accountId,
        action: 'delete',
        resource,
        summary: name,
      });
  };
  await del('persistent-volume-claim', `${claimNamespace}/${TEST_CLAIM}`, () =>
    k8s.core.deleteNamespacedPersistentVolumeClaim({
      name: TEST_CLAIM,
      namespace: claimNamespace,
    }),
  );
  await del('storage-class', o.storageClassName, () =>
    k8s.storage.deleteStorageClass({ name: o.storageClassName }),
  );
  const { items } = await k8s.storage.listStorageClass();
  const stillUsed = items.some(
    sc =>
      sc.parameters?.['csi.storage.k8s.io/provisioner-secret-name'] ===
      CSI_DRIVER.secretName,
  );
  if (!stillUsed) {
    await del(
      'kubernetes-secret',
      `${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName}`,
      () =>
        k8s.core.deleteNamespacedSecret({
          name: CSI_DRIVER.secretName,
          namespace: CSI_DRIVER.namespace,
        }),
    );
  }
  return removed;
}

export { describeKubeError };
