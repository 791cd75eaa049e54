import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, Topology } from '../../engine/types';
import { isLive, peeringsBetween } from './read';

/** Peering active, or why not; a pending request shows when it expires. */
export async function checkPeering(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const all = await peeringsBetween(ctx, t);
  const live = all.find(isLive);
  if (!live) {
    const last = all[0];
    return [
      checkResult('peering', 'peering', 'error', {
        summary: last
          ? `No usable peering: the last one (${last.VpcPeeringConnectionId}) is ${last.Status?.Code}.`
          : `No peering between ${t.cluster.vpcId} and ${t.fileSystem.vpcId}.`,
        remedy:
          'Re-run provisioning: it requests and accepts a new peering connection.',
        evidence: {
          peerings: all.map(p => ({
            id: p.VpcPeeringConnectionId,
            status: p.Status?.Code,
          })),
        },
      }),
    ];
  }
  const status = live.Status!.Code!;
  const evidence = {
    peeringConnectionId: live.VpcPeeringConnectionId,
    status,
    expirationTime: live.ExpirationTime?.toISOString(),
  };
  if (status === 'active') {
    return [
      checkResult('peering', 'peering', 'ok', {
        summary: `Peering ${live.VpcPeeringConnectionId} is active.`,
        evidence,
      }),
    ];
  }
  return [
    checkResult(
      'peering',
      'peering',
      status === 'pending-acceptance' ? 'error' : 'warning',
      {
        summary: `Peering ${live.VpcPeeringConnectionId} is ${status}${
          live.ExpirationTime
            ? `; the request expires ${live.ExpirationTime.toISOString()}`
            : ''
        }.`,
        remedy:
          'Re-run provisioning: it accepts the request from the file system account.',
        evidence,
      },
    ),
  ];
}
