import {
  CreateAddonCommand,
  DescribeAddonCommand,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import {
  compareDriverVersions,
  CSI_DRIVER,
  MIN_CROSS_ACCOUNT_DRIVER,
  parseDriverVersion,
  supportsCrossAccount,
  TAG_MANAGED_BY,
  TAG_MANAGED_BY_VALUE,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../../aws/errors';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { waitUntil } from '../../engine/waitUntil';
import { connectionRoles } from '../iam/read';
import { describeAddonHealth, FAILED, readDriver } from './read';

export interface CsiDriverResult {
  addonVersion: string;
  status: string;
}

/**
 * Waits for ACTIVE. EKS's generated waitUntilAddonActive keeps polling
 * through UPDATE_FAILED; this stops on every failed state, so the task
 * fails with the add-on's own health issues.
 */
async function waitForActive(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
) {
  await waitUntil(
    {
      maxWaitSeconds: options.maxWaitSeconds ?? 900,
      minDelaySeconds: options.minPollSeconds ?? 5,
      maxDelaySeconds: 30,
    },
    async () => {
      const { addon } = await ctx.aws
        .eks(t.cluster)
        .send(
          new DescribeAddonCommand({
            clusterName: t.cluster.clusterName,
            addonName: CSI_DRIVER.addonName,
          }),
        )
        .catch(() => ({ addon: undefined }));
      if (addon?.status === 'ACTIVE') return { state: 'done', value: addon };
      if (addon && FAILED.includes(addon.status ?? ''))
        return { state: 'failed', reason: describeAddonHealth(addon) };
      return {
        state: 'pending',
        reason: addon ? describeAddonHealth(addon) : 'it is gone',
      };
    },
    (outcome, last) =>
      `The ${CSI_DRIVER.addonName} add-on did not become ACTIVE (${
        outcome === 'failed' ? 'FAILURE' : 'TIMEOUT'
      }): ${last}. See the add-on in the EKS console; re-run provisioning once its issues are fixed.`,
  );
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
  if (
    current &&
    ['CREATING', 'UPDATING', 'DELETING'].includes(current.status ?? '')
  ) {
    blockers.push({
      layer: 'csi-driver',
      summary: `The ${CSI_DRIVER.addonName} add-on is ${current.status}.`,
      remedy: 'Wait until EKS finishes, then re-run.',
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
  const changes: PlannedChange[] = [];
  const base = {
    layer: 'csi-driver' as const,
    accountId: t.cluster.accountId,
    resource: 'eks-addon',
  };
  const needsUpdate =
    !!current &&
    (current.addonVersion !== version ||
      (identity === 'irsa' && current.serviceAccountRoleArn !== roleArn) ||
      FAILED.includes(current.status ?? ''));
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
      await waitForActive(ctx, t, options);
      return { addonVersion: version!, status: 'ACTIVE' };
    },
  };
}
