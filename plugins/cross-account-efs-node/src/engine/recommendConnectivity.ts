import type { ConnectivityMode } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { findPeering } from '../layers/peering/read';
import { checkRoutesReachable } from '../layers/routes/reachable';
import type { EngineContext, Topology } from './types';

/**
 * The mode the request form suggests, and why.
 *
 * @public
 */
export interface ConnectivityRecommendation {
  connectivity: ConnectivityMode;
  reason: string;
}

/**
 * What discovery suggests for the form: take over a peering that is there;
 * keep a path that already reaches the other VPC (a Transit Gateway, say),
 * where a new peering would pull traffic off it; otherwise make a peering.
 *
 * @public
 */
export async function recommendConnectivity(
  ctx: EngineContext,
  t: Topology,
): Promise<ConnectivityRecommendation> {
  const [peering, reach] = await Promise.all([
    findPeering(ctx, t),
    checkRoutesReachable(ctx, t),
  ]);
  if (peering) {
    return {
      connectivity: 'peering',
      reason: `The VPCs already have a peering (${peering.VpcPeeringConnectionId}, ${peering.Status?.Code}): the portal uses it and adds what is missing.`,
    };
  }
  const reaching = reach.filter(r => r.status === 'ok');
  if (reaching.length > 0) {
    const targets = [
      ...new Set(reaching.map(r => String(r.evidence?.target))),
    ].join(', ');
    return {
      connectivity: 'existing',
      reason: `${reaching.length} of ${
        reach.length
      } route table destinations already reach the other VPC (through ${targets}); a peering would pull that traffic off its path.${
        reaching.length < reach.length
          ? ' The others need a route from the owner of the network.'
          : ''
      }`,
    };
  }
  return {
    connectivity: 'peering',
    reason:
      'Nothing routes between the VPCs yet: the portal makes a peering, its routes and the NFS rule.',
  };
}
