import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, Topology } from '../../engine/types';

/** `existing` connectivity: no peering of ours; the routes layer checks the path. */
export async function checkExistingConnectivity(
  _ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  return [
    checkResult('peering', 'connectivity', 'ok', {
      summary: `Connectivity between ${t.cluster.vpcId} and ${t.fileSystem.vpcId} is the network owner's (mode existing): the portal makes and removes no peering; the routes and NFS checks below follow the path.`,
      evidence: { connectivity: 'existing' },
    }),
  ];
}
