import {
  CheckResult,
  CSI_DRIVER,
  MIN_CROSS_ACCOUNT_DRIVER,
  supportsCrossAccount,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, LayerOptions, Topology } from '../../engine/types';
import { connectionRoles } from '../iam/read';
import { describeAddon, describeAddonHealth } from './read';

/** The add-on ACTIVE, able to cross accounts, and running as the connection's driver role. */
export async function checkCsiDriver(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<CheckResult[]> {
  const [addon, roles] = await Promise.all([
    describeAddon(ctx, t.cluster),
    connectionRoles(ctx, t.spec, options),
  ]);
  const csiDriverRoleArn = roles.arns.csiDriverRole;
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
    csiDriverRoleArn &&
    addon.serviceAccountRoleArn &&
    addon.serviceAccountRoleArn !== csiDriverRoleArn
  ) {
    return [
      checkResult('csi-driver', id, 'error', {
        summary: `The add-on runs as ${addon.serviceAccountRoleArn}, not ${csiDriverRoleArn}: the EFS-account role does not trust it.`,
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
