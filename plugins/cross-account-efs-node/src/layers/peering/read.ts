import {
  DescribeVpcPeeringConnectionsCommand,
  VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type { EngineContext, Topology } from '../../engine/types';

/** States in which a peering connection is, or will become, usable. */
export const LIVE_STATES = [
  'initiating-request',
  'pending-acceptance',
  'provisioning',
  'active',
];

export const isLive = (p: VpcPeeringConnection) =>
  LIVE_STATES.includes(p.Status?.Code ?? '');

/**
 * Every peering connection between the two VPCs, either direction, as the
 * cluster's account sees them. One call: both VPC ids on both sides matches
 * a->b and b->a (a VPC cannot peer itself).
 */
export async function peeringsBetween(
  ctx: EngineContext,
  t: Topology,
): Promise<readonly VpcPeeringConnection[]> {
  const vpcs = [t.cluster.vpcId, t.fileSystem.vpcId];
  const { VpcPeeringConnections = [] } = await ctx.aws.ec2(t.cluster).send(
    new DescribeVpcPeeringConnectionsCommand({
      Filters: [
        { Name: 'requester-vpc-info.vpc-id', Values: vpcs },
        { Name: 'accepter-vpc-info.vpc-id', Values: vpcs },
      ],
    }),
  );
  return VpcPeeringConnections;
}

/** The usable peering between the two VPCs, if there is one (the routes layer routes through it). */
export async function findPeering(
  ctx: EngineContext,
  t: Topology,
): Promise<VpcPeeringConnection | undefined> {
  return (await peeringsBetween(ctx, t)).find(isLive);
}
