import {
  AccessEntry,
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
} from '@aws-sdk/client-eks';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  TAG_MANAGED_BY,
  TAG_MANAGED_BY_VALUE,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../../aws/errors';
import { nothingToChange } from '../../engine/runPlan';
import type { Blocker, EngineContext, Topology } from '../../engine/types';
import {
  ClusterRefusedError,
  grantAccessEntry,
} from '../../kubernetes/kubeErrors';
import { MANAGED_LABEL } from '../../kubernetes/storageClass';
import { change, keyOf, KubernetesState, ResourcePlan } from './read';

/** Authentication modes in which EKS access entries let a principal in. */
const ACCESS_ENTRY_MODES = ['API', 'API_AND_CONFIG_MAP'];

const clusterAdminPolicy = (partition: string) =>
  `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;

/** An assumed-role session is known to EKS (and IAM) by its role. */
function principalOf(callerArn: string): string {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(
    callerArn,
  );
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

/** The principal the engine's EKS tokens speak for on this cluster. */
async function portalPrincipal(
  ctx: EngineContext,
  t: Topology,
): Promise<string> {
  const { assumeRole } = ctx.kubernetes.signInOf(t.spec.cluster);
  if (assumeRole) return assumeRole;
  const { Arn } = await ctx.aws
    .sts(t.cluster)
    .send(new GetCallerIdentityCommand({}));
  return principalOf(Arn!);
}

async function describeAccessEntry(
  ctx: EngineContext,
  t: Topology,
  principalArn: string,
): Promise<AccessEntry | undefined> {
  try {
    const { accessEntry } = await ctx.aws.eks(t.cluster).send(
      new DescribeAccessEntryCommand({
        clusterName: t.cluster.clusterName,
        principalArn,
      }),
    );
    return accessEntry;
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFoundException')) return undefined;
    throw e;
  }
}

/**
 * What lets the portal into a cluster that did not accept its EKS token
 * (401): an access entry for its role, created by the plan when
 * `crossAccountEfs.kubernetes.manageAccessEntries` is on, else a blocker
 * with the commands to grant it. Undefined when an access entry cannot be
 * the fix (a service-account token, the aws-auth ConfigMap only, an entry
 * that exists already): the caller reports the cluster's refusal as it is.
 */
export async function planPortalAccess(
  ctx: EngineContext,
  t: Topology,
  refusal: ClusterRefusedError,
): Promise<ResourcePlan | undefined> {
  const { clusterName } = t.cluster;
  if (
    refusal.status !== 401 ||
    ctx.kubernetes.signInOf(t.spec.cluster).authProvider !== 'aws'
  ) {
    return undefined;
  }
  const [{ cluster }, principalArn] = await Promise.all([
    ctx.aws
      .eks(t.cluster)
      .send(new DescribeClusterCommand({ name: clusterName })),
    portalPrincipal(ctx, t),
  ]);
  const mode = cluster?.accessConfig?.authenticationMode ?? 'CONFIG_MAP';
  if (!ACCESS_ENTRY_MODES.includes(mode)) return undefined;
  if (await describeAccessEntry(ctx, t, principalArn)) return undefined;
  const partition = principalArn.split(':')[1];
  if (!ctx.kubernetes.manageAccessEntries) {
    const blocker: Blocker = {
      layer: 'kubernetes',
      summary: `Cluster ${clusterName} does not let the portal in: ${principalArn} has no EKS access entry (authentication mode ${mode}).`,
      remedy: `${grantAccessEntry(
        clusterName,
        principalArn,
        principalArn,
        partition,
      )}; or let the plan create it: crossAccountEfs.kubernetes.manageAccessEntries: true.`,
    };
    return { changes: [], blockers: [blocker], apply: async () => {} };
  }
  const policyArn = clusterAdminPolicy(partition);
  const key = `${keyOf(t)}:access-entry:${principalArn}`;
  return {
    changes: [
      change(
        t,
        'create',
        'eks-access-entry',
        `Access entry on ${clusterName} for the portal's role ${principalArn}, with AmazonEKSClusterAdminPolicy at cluster scope: the engine writes StorageClasses and namespaces (cluster-scoped) and kube-system secrets, which no narrower EKS access policy allows. Removed with the last connection of ${clusterName}.`,
      ),
    ],
    blockers: [],
    apply: async () => {
      const eks = ctx.aws.eks(t.cluster);
      await ctx.checkpoint(`${key}:create`, async () => {
        try {
          await eks.send(
            new CreateAccessEntryCommand({
              clusterName,
              principalArn,
              tags: { [TAG_MANAGED_BY]: TAG_MANAGED_BY_VALUE },
            }),
          );
        } catch (e) {
          if (!isAwsError(e, 'ResourceInUseException')) throw e;
        }
      });
      await ctx.checkpoint(`${key}:associate`, async () => {
        await eks.send(
          new AssociateAccessPolicyCommand({
            clusterName,
            principalArn,
            policyArn,
            accessScope: { type: 'cluster' },
          }),
        );
      });
    },
  };
}

/**
 * The portal's access entry goes with the last connection of the cluster,
 * and only if the engine created it (tagged): one an operator made stays.
 */
export async function planPortalAccessRemoval(
  ctx: EngineContext,
  t: Topology,
  s: Pick<KubernetesState, 'k8s' | 'storageClassName'>,
): Promise<ResourcePlan> {
  if (ctx.kubernetes.signInOf(t.spec.cluster).authProvider !== 'aws') {
    return nothingToChange();
  }
  const principalArn = await portalPrincipal(ctx, t);
  const entry = await describeAccessEntry(ctx, t, principalArn);
  if (entry?.tags?.[TAG_MANAGED_BY] !== TAG_MANAGED_BY_VALUE) {
    return nothingToChange();
  }
  const { items } = await s.k8s.storage.listStorageClass({
    labelSelector: `${MANAGED_LABEL}=${TAG_MANAGED_BY_VALUE}`,
  });
  if (items.some(sc => sc.metadata?.name !== s.storageClassName)) {
    return nothingToChange();
  }
  const { clusterName } = t.cluster;
  return {
    changes: [
      change(
        t,
        'delete',
        'eks-access-entry',
        `Access entry on ${clusterName} for the portal's role ${principalArn} (made for its connections; this is the last)`,
      ),
    ],
    blockers: [],
    apply: async () => {
      await ctx.checkpoint(
        `${keyOf(t)}:remove:access-entry:${principalArn}`,
        async () => {
          try {
            await ctx.aws
              .eks(t.cluster)
              .send(
                new DeleteAccessEntryCommand({ clusterName, principalArn }),
              );
          } catch (e) {
            if (!isAwsError(e, 'ResourceNotFoundException')) throw e;
          }
        },
      );
    },
  };
}
