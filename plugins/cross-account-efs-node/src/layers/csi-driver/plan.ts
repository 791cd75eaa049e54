import { CreateAddonCommand, UpdateAddonCommand } from '@aws-sdk/client-eks';
import {
  compareDriverVersions,
  CSI_DRIVER,
  MIN_CROSS_ACCOUNT_DRIVER,
  parseDriverVersion,
  supportsCrossAccount,
  TAG_MANAGED_BY,
  TAG_MANAGED_BY_VALUE,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../../aws/errors';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { connectionRoles } from '../iam/read';
import { describeAddonHealth, FAILED, readDriver } from './read';

/** @public */
export interface CsiDriverResult {
  addonVersion: string;
  status: string;
}

/**
 * Seed step 10.7: the managed `aws-efs-csi-driver` add-on, running as the
 * driver's role, at a version that can mount across accounts.
 */
export async function planCsiDriver(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<LayerPlan<CsiDriverResult>> {
  const eks = ctx.aws.eks(t.cluster);
  const clusterName = t.cluster.clusterName;
  const identity = options.workloadIdentity ?? 'irsa';
  const [{ current, offered, version }, roles] = await Promise.all([
    readDriver(ctx, t, options),
    connectionRoles(ctx, t.spec, options),
  ]);
  const csiDriverRoleArn = roles.arns.csiDriverRole;
  const blockers: Blocker[] = [];
  if (!version || !supportsCrossAccount(version)) {
    blockers.push({
      layer: 'csi-driver',
      summary: `EFS CSI driver ${
        version ?? '(none offered)'
      } cannot mount across accounts with an external id (needs v${MIN_CROSS_ACCOUNT_DRIVER} or later).`,
      remedy: `Choose driverVersion from: ${
        offered.all.filter(supportsCrossAccount).join(', ') ||
        'none offered for this cluster version'
      }.`,
    });
  } else if (
    !offered.all.includes(version) &&
    version !== current?.addonVersion
  ) {
    blockers.push({
      layer: 'csi-driver',
      summary: `EKS does not offer ${
        CSI_DRIVER.addonName
      } ${version} for Kubernetes ${
        t.cluster.kubernetesVersion ?? '(unknown)'
      }.`,
      remedy: `Choose driverVersion from: ${offered.all
        .filter(supportsCrossAccount)
        .join(', ')}.`,
    });
  }
  const roleArn = identity === 'irsa' ? csiDriverRoleArn : undefined;
  const podIdentityAssociations =
    identity === 'pod-identity'
      ? [
          CSI_DRIVER.controllerServiceAccount,
          CSI_DRIVER.nodeServiceAccount,
        ].map(serviceAccount => ({
          serviceAccount,
          roleArn: csiDriverRoleArn,
        }))
      : undefined;
  const needsUpdate =
    !!current &&
    (current.addonVersion !== version ||
      (identity === 'irsa' && current.serviceAccountRoleArn !== roleArn) ||
      FAILED.includes(current.status ?? ''));
  // An add-on on its way to what we want (made or updated by an earlier
  // run) is fine: the kubernetes layer waits for it. On its way elsewhere,
  // or going away, it is not ours to interrupt.
  const busy = ['CREATING', 'UPDATING', 'DELETING'].includes(
    current?.status ?? '',
  );
  if (busy && (needsUpdate || current?.status === 'DELETING')) {
    blockers.push({
      layer: 'csi-driver',
      summary: `The ${CSI_DRIVER.addonName} add-on is ${current!.status}.`,
      remedy: 'Wait until EKS finishes, then re-run.',
    });
  }
  const changes: PlannedChange[] = [];
  const base = {
    layer: 'csi-driver' as const,
    accountId: t.cluster.accountId,
    resource: 'eks-addon',
  };
  if (!current) {
    changes.push({
      ...base,
      action: 'create',
      summary: `Install ${CSI_DRIVER.addonName} ${version} on ${clusterName}, running as ${csiDriverRoleArn}`,
    });
  } else if (needsUpdate) {
    const older =
      parseDriverVersion(current.addonVersion ?? '') &&
      parseDriverVersion(version ?? '')
        ? compareDriverVersions(
            parseDriverVersion(current.addonVersion!)!,
            parseDriverVersion(version!)!,
          ) > 0
        : false;
    changes.push({
      ...base,
      action: 'update',
      summary: `${CSI_DRIVER.addonName} ${
        current.addonVersion
      } (${describeAddonHealth(current)}) -> ${version}${
        older ? ' (a downgrade)' : ''
      }, running as ${csiDriverRoleArn}; your add-on configuration is preserved`,
    });
  }
  return {
    changes,
    blockers,
    apply: async () => {
      if (!current) {
        await ctx.checkpoint(`csi-driver:create:${clusterName}`, async () => {
          try {
            await eks.send(
              new CreateAddonCommand({
                clusterName,
                addonName: CSI_DRIVER.addonName,
                addonVersion: version,
                serviceAccountRoleArn: roleArn,
                podIdentityAssociations,
                // A self-managed driver already there is a conflict to report, not to overwrite.
                resolveConflicts: 'NONE',
                tags: { [TAG_MANAGED_BY]: TAG_MANAGED_BY_VALUE },
              }),
            );
          } catch (e) {
            if (!isAwsError(e, 'ResourceInUseException')) throw e;
          }
        });
      } else if (needsUpdate) {
        await ctx.checkpoint(
          `csi-driver:update:${clusterName}:${version}`,
          async () => {
            await eks.send(
              new UpdateAddonCommand({
                clusterName,
                addonName: CSI_DRIVER.addonName,
                addonVersion: version,
                serviceAccountRoleArn: roleArn,
                podIdentityAssociations,
                resolveConflicts: 'PRESERVE',
              }),
            );
          },
        );
      }
      // Not waited for here: EKS takes a minute or two, in which the other
      // layers go on; the kubernetes layer waits for ACTIVE where it needs
      // the driver.
      let status = current?.status ?? 'CREATING';
      if (needsUpdate) status = 'UPDATING';
      return { addonVersion: version!, status };
    },
  };
}
