import {
  Addon,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
} from '@aws-sdk/client-eks';
import {
  ClusterRef,
  CSI_DRIVER,
  supportsCrossAccount,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../../aws/errors';
import type { EngineContext, LayerOptions, Topology } from '../../engine/types';

export const FAILED = [
  'CREATE_FAILED',
  'UPDATE_FAILED',
  'DEGRADED',
  'DELETE_FAILED',
];

/** The cluster's EFS CSI driver add-on, or undefined when it has none. */
export async function describeAddon(
  ctx: EngineContext,
  cluster: ClusterRef,
): Promise<Addon | undefined> {
  try {
    const { addon } = await ctx.aws.eks(cluster).send(
      new DescribeAddonCommand({
        clusterName: cluster.clusterName,
        addonName: CSI_DRIVER.addonName,
      }),
    );
    return addon;
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFoundException')) return undefined;
    throw e;
  }
}

/** The add-on's own account of what is wrong: status and health issues. */
export function describeAddonHealth(addon: Addon): string {
  const issues = (addon.health?.issues ?? [])
    .map(
      i =>
        `${i.code}: ${i.message}${
          i.resourceIds?.length ? ` (${i.resourceIds.join(', ')})` : ''
        }`,
    )
    .join('; ');
  return `${addon.status}${issues ? ` - ${issues}` : ''}`;
}

/** Versions EKS offers for the cluster's Kubernetes version, and its default. */
export async function offeredVersions(ctx: EngineContext, t: Topology) {
  const { addons = [] } = await ctx.aws.eks(t.cluster).send(
    new DescribeAddonVersionsCommand({
      addonName: CSI_DRIVER.addonName,
      kubernetesVersion: t.cluster.kubernetesVersion,
    }),
  );
  const versions = addons.flatMap(a => a.addonVersions ?? []);
  return {
    all: versions.map(v => v.addonVersion!).filter(Boolean),
    default: versions.find(v => v.compatibilities?.some(c => c.defaultVersion))
      ?.addonVersion,
  };
}

/**
 * The add-on now, what EKS offers, and the version this layer leaves
 * running: a pinned one, else an installed one that can cross-account, else
 * EKS's default. The kubernetes layer plans its StorageClass for it.
 */
export async function readDriver(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
) {
  const [current, offered] = await Promise.all([
    describeAddon(ctx, t.cluster),
    offeredVersions(ctx, t),
  ]);
  const keep =
    current?.addonVersion && supportsCrossAccount(current.addonVersion)
      ? current.addonVersion
      : undefined;
  const version: string | undefined =
    options.driverVersion ?? keep ?? offered.default ?? offered.all[0];
  return { current, offered, version };
}
