import {
  Addon,
  CreateAddonCommand,
  DeleteAddonCommand,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  EKSClient,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import {
  CheckResult,
  compareDriverVersions,
  CSI_DRIVER,
  MIN_CROSS_ACCOUNT_DRIVER,
  parseDriverVersion,
  supportsCrossAccount,
  TAG_MANAGED_BY,
  TAG_MANAGED_BY_VALUE,
  WorkloadIdentity,
} from '@internal/plugin-cross-account-efs-common';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { isAwsError } from '../aws/errors';
import { checkResult } from '../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';

export interface CsiDriverOptions {
  /** The driver's role (output of the iam step). */
  csiDriverRoleArn: string;
  workloadIdentity?: WorkloadIdentity;
  /** Pin a version; default: keep an installed one that can cross-account, else EKS's default. */
  driverVersion?: string;
  /** Seconds to wait for ACTIVE (EKS takes a minute or two). */
  maxWaitSeconds?: number;
  /** Seconds between the first polls (the SDK backs off from there, with jitter). */
  minPollSeconds?: number;
}

export interface CsiDriverResult {
  addonVersion: string;
  status: string;
}

const FAILED = ['CREATE_FAILED', 'UPDATE_FAILED', 'DEGRADED', 'DELETE_FAILED'];

async function describeAddon(
  eks: EKSClient,
  clusterName: string,
): Promise<Addon | undefined> {
  try {
    const { addon } = await eks.send(
      new DescribeAddonCommand({
        clusterName,
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
async function offeredVersions(eks: EKSClient, kubernetesVersion?: string) {
  const { addons = [] } = await eks.send(
    new DescribeAddonVersionsCommand({
      addonName: CSI_DRIVER.addonName,
      kubernetesVersion,
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
 * Waits for ACTIVE with the SDK's waiter machinery. EKS's generated
 * waitUntilAddonActive keeps polling through UPDATE_FAILED; this one stops
 * on every failed state, so the task fails with the add-on's own health issues.
 */
async function waitForActive(
  eks: EKSClient,
  clusterName: string,
  options: Pick<CsiDriverOptions, 'maxWaitSeconds' | 'minPollSeconds'>,
) {
  const result = await createWaiter(
    {
      client: eks,
      maxWaitTime: options.maxWaitSeconds ?? 900,
      minDelay: options.minPollSeconds ?? 5,
      maxDelay: 30,
    },
    { clusterName, addonName: CSI_DRIVER.addonName },
    async (client, input) => {
      try {
        const { addon } = await client.send(new DescribeAddonCommand(input));
        if (addon?.status === 'ACTIVE')
          return { state: WaiterState.SUCCESS, reason: addon };
        if (FAILED.includes(addon?.status ?? ''))
          return { state: WaiterState.FAILURE, reason: addon };
        return { state: WaiterState.RETRY, reason: addon };
      } catch (e) {
        return { state: WaiterState.RETRY, reason: e };
      }
    },
  );
  if (result.state !== WaiterState.SUCCESS) {
    const addon = await describeAddon(eks, clusterName);
    throw new Error(
      `The ${CSI_DRIVER.addonName} add-on did not become ACTIVE (${
        result.state
      }): ${
        addon ? describeAddonHealth(addon) : 'it is gone'
      }. See the add-on in the EKS console; re-run provisioning once its issues are fixed.`,
    );
  }
}

/**
 * Seed step 10.7: the managed `aws-efs-csi-driver` add-on, running as the
 * driver's role, at a version that can mount across accounts.
 */
export async function planCsiDriver(
  ctx: EngineContext,
  t: Topology,
  options: CsiDriverOptions,
): Promise<LayerPlan<CsiDriverResult> & { outcome: CsiDriverResult }> {
  const eks = ctx.aws.eks(t.cluster);
  const clusterName = t.cluster.clusterName;
  const identity = options.workloadIdentity ?? 'irsa';
  const [current, offered] = await Promise.all([
    describeAddon(eks, clusterName),
    offeredVersions(eks, t.cluster.kubernetesVersion),
  ]);
  const blockers: Blocker[] = [];
  const keep =
    current?.addonVersion && supportsCrossAccount(current.addonVersion)
      ? current.addonVersion
      : undefined;
  const version =
    options.driverVersion ?? keep ?? offered.default ?? offered.all[0];
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
  const roleArn = identity === 'irsa' ? options.csiDriverRoleArn : undefined;
  const podIdentityAssociations =
    identity === 'pod-identity'
      ? [
          CSI_DRIVER.controllerServiceAccount,
          CSI_DRIVER.nodeServiceAccount,
        ].map(serviceAccount => ({
          serviceAccount,
          roleArn: options.csiDriverRoleArn,
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
      summary: `Install ${CSI_DRIVER.addonName} ${version} on ${clusterName}, running as ${options.csiDriverRoleArn}`,
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
      }, running as ${
        options.csiDriverRoleArn
      }; your add-on configuration is preserved`,
    });
  }
  return {
    changes,
    blockers,
    outcome: { addonVersion: version!, status: current?.status ?? 'ABSENT' },
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
      await waitForActive(eks, clusterName, options);
      return { addonVersion: version!, status: 'ACTIVE' };
    },
  };
}

export async function checkCsiDriver(
  ctx: EngineContext,
  t: Topology,
  options: { csiDriverRoleArn?: string } = {},
): Promise<CheckResult[]> {
  const addon = await describeAddon(
    ctx.aws.eks(t.cluster),
    t.cluster.clusterName,
  );
  const id = `csi-driver:${t.cluster.clusterName}`;
  if (!addon) {
    return [
      checkResult('csi-driver', id, 'error', {
        summary: `The ${CSI_DRIVER.addonName} add-on is not installed on ${t.cluster.clusterName}.`,
        remedy: 'Re-run provisioning: it installs the add-on.',
      }),
    ];
  }
  const evidence = {
    status: addon.status,
    addonVersion: addon.addonVersion,
    serviceAccountRoleArn: addon.serviceAccountRoleArn,
  };
  if (addon.status !== 'ACTIVE') {
    return [
      checkResult(
        'csi-driver',
        id,
        ['CREATING', 'UPDATING'].includes(addon.status ?? '')
          ? 'warning'
          : 'error',
        {
          summary: `The add-on is ${describeAddonHealth(addon)}.`,
          remedy:
            'Fix the issues the add-on reports (EKS console, Add-ons), then re-run provisioning.',
          evidence,
        },
      ),
    ];
  }
  if (!supportsCrossAccount(addon.addonVersion ?? '')) {
    return [
      checkResult('csi-driver', id, 'error', {
        summary: `EFS CSI driver ${addon.addonVersion} cannot mount across accounts with an external id (needs v${MIN_CROSS_ACCOUNT_DRIVER}+).`,
        remedy:
          'Re-run provisioning: it upgrades the add-on to a version that can.',
        evidence,
      }),
    ];
  }
  if (
    options.csiDriverRoleArn &&
    addon.serviceAccountRoleArn &&
    addon.serviceAccountRoleArn !== options.csiDriverRoleArn
  ) {
    return [
      checkResult('csi-driver', id, 'error', {
        summary: `The add-on runs as ${addon.serviceAccountRoleArn}, not ${options.csiDriverRoleArn}: the EFS-account role does not trust it.`,
        remedy: 'Re-run provisioning: it points the add-on at the driver role.',
        evidence,
      }),
    ];
  }
  return [
    checkResult('csi-driver', id, 'ok', {
      summary: `${CSI_DRIVER.addonName} ${addon.addonVersion} is ACTIVE.`,
      evidence,
    }),
  ];
}

export async function removeCsiDriver(
  ctx: EngineContext,
  t: Topology,
): Promise<PlannedChange[]> {
  const eks = ctx.aws.eks(t.cluster);
  const addon = await describeAddon(eks, t.cluster.clusterName);
  if (!addon || addon.tags?.[TAG_MANAGED_BY] !== TAG_MANAGED_BY_VALUE)
    return [];
  await ctx.checkpoint(
    `csi-driver:delete:${t.cluster.clusterName}`,
    async () => {
      await eks.send(
        new DeleteAddonCommand({
          clusterName: t.cluster.clusterName,
          addonName: CSI_DRIVER.addonName,
        }),
      );
    },
  );
  return [
    {
      layer: 'csi-driver',
      accountId: t.cluster.accountId,
      action: 'delete',
      resource: 'eks-addon',
      summary: `${CSI_DRIVER.addonName} on ${t.cluster.clusterName}`,
    },
  ];
}
