import { GetRoleCommand } from '@aws-sdk/client-iam';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import {
  CSI_DRIVER,
  TAG_MANAGED_BY_VALUE,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { InputError } from '@backstage/errors';
import type {
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { trustedExternalId } from '../../iam/connectionIam';
import { parsePolicy } from '../../iam/policyDocument';
import type { KubernetesApis } from '../../kubernetes/KubernetesClusters';
import {
  ClusterRefusedError,
  kubeAccessFix,
  kubeStatus,
  readOptional,
} from '../../kubernetes/kubeErrors';
import { MANAGED_LABEL } from '../../kubernetes/storageClass';
import { efsAccessRoleArn } from '../iam/read';

export const TEST_CLAIM = 'cross-account-efs-check';
export const managedLabels = { [MANAGED_LABEL]: TAG_MANAGED_BY_VALUE };
export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
export const unb64 = (s?: string) =>
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
  const containers = controller?.spec?.template?.spec?.containers;
  const image =
    containers?.find(c => c.image?.includes('aws-efs-csi-driver'))?.image ??
    containers?.[0]?.image;
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
  return trustedExternalId(parsePolicy(Role?.AssumeRolePolicyDocument), t.spec);
}

/**
 * What still needs a StorageClass, besides the connection's own test claim
 * and its volumes (a deleted test claim's volume lingers while the driver
 * deletes its access point): the class's PersistentVolumes, and its claims
 * not bound yet, which the driver would still provision.
 */
export async function usingVolumes(
  s: Pick<KubernetesState, 'k8s' | 'volumes' | 'storageClassName'>,
  testClaimNamespace?: string,
): Promise<string[]> {
  const isTestClaim = (ref?: { namespace?: string; name?: string }) =>
    ref?.name === TEST_CLAIM && ref?.namespace === testClaimNamespace;
  const claims = await s.k8s.core.listPersistentVolumeClaimForAllNamespaces();
  return [
    ...s.volumes
      .filter(
        pv =>
          pv.spec?.storageClassName === s.storageClassName &&
          !isTestClaim(pv.spec?.claimRef),
      )
      .map(pv => pv.metadata!.name!),
    ...claims.items
      .filter(
        c =>
          c.spec?.storageClassName === s.storageClassName &&
          !c.spec?.volumeName &&
          !isTestClaim(c.metadata),
      )
      .map(c => `claim ${c.metadata!.namespace}/${c.metadata!.name} (Pending)`),
  ];
}

/** The claim's warning events: why it is not bound. */
export async function claimEvents(
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

/**
 * The cluster's objects of a connection as they are now, read once for its
 * plan, its check and its removal: the driver, the `x-account` secret, the
 * StorageClass, the workload namespace and the test claim, and the external
 * id the EFS-account role's trust asks for.
 */
export async function readKubernetes(
  ctx: EngineContext,
  t: Topology,
  o: LayerOptions,
) {
  if (!o.storageClassName) {
    throw new InputError(
      'storageClassName: the kubernetes layer needs the StorageClass name of the connection.',
    );
  }
  const k8s = await ctx.kubernetes.forCluster(t.spec.cluster, ctx.aws);
  const roleArn = efsAccessRoleArn(t.spec, o);
  const claimNamespace = o.namespace ?? 'default';
  const [
    installed,
    secret,
    storageClass,
    namespace,
    claim,
    externalId,
    volumes,
  ] = await Promise.all([
    installedDriverVersion(k8s),
    readOptional(() =>
      k8s.core.readNamespacedSecret({
        name: CSI_DRIVER.secretName,
        namespace: CSI_DRIVER.namespace,
      }),
    ),
    readOptional(() =>
      k8s.storage.readStorageClass({ name: o.storageClassName! }),
    ),
    o.namespace
      ? readOptional(() => k8s.core.readNamespace({ name: o.namespace! }))
      : undefined,
    readOptional(() =>
      k8s.core.readNamespacedPersistentVolumeClaim({
        name: TEST_CLAIM,
        namespace: claimNamespace,
      }),
    ),
    externalIdOf(ctx, t, roleArn).catch(() => undefined),
    k8s.core.listPersistentVolume().then(l => l.items),
  ]).catch(e => {
    const fix = kubeAccessFix(e, t.spec.cluster, k8s.authProvider);
    throw fix ? new ClusterRefusedError(fix, kubeStatus(e) as 401 | 403) : e;
  });
  return {
    k8s,
    storageClassName: o.storageClassName,
    efsAccessRoleArn: roleArn,
    claimNamespace,
    installed,
    secret,
    storageClass,
    namespace,
    claim,
    externalId,
    /** Every PersistentVolume of the cluster: the class's, and those that need its secret. */
    volumes,
  };
}

export type KubernetesState = Awaited<ReturnType<typeof readKubernetes>>;

/** One resource's part of the layer's plan: a plan like a layer's. */
export type ResourcePlan = LayerPlan<void>;

export const change = (
  t: Topology,
  action: PlannedChange['action'],
  resource: string,
  summary: string,
): PlannedChange => ({
  layer: 'kubernetes',
  accountId: t.cluster.accountId,
  action,
  resource,
  summary,
});

/** The checkpoint prefix of a cluster's objects. */
export const keyOf = (t: Topology) =>
  `kubernetes:${t.cluster.accountId}/${t.cluster.clusterName}`;
