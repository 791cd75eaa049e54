import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import { vpcRouteTables } from '../../discovery/vpcFacts';
import { cidrContains } from '../../preflight/cidr';
import type { EngineContext, Topology } from '../../engine/types';

/** One route we want: this destination, in this table, through the peering. */
export interface DesiredRoute {
  accountId: string;
  region: string;
  routeTableId: string;
  destination: string;
}

export type RouteVerdict =
  | { kind: 'ok' }
  | { kind: 'missing' }
  | { kind: 'blackhole'; route: Route }
  | { kind: 'foreign'; route: Route };

/** Seed step 6, both ways: every route table on each side, every CIDR of the other VPC. */
export function desiredRoutes(t: Topology): DesiredRoute[] {
  const side = (
    from: { accountId: string; region: string; routeTableIds: string[] },
    to: { vpcCidrs: string[] },
  ) =>
    from.routeTableIds.flatMap(routeTableId =>
      to.vpcCidrs.map(destination => ({
        accountId: from.accountId,
        region: from.region,
        routeTableId,
        destination,
      })),
    );
  return [...side(t.cluster, t.fileSystem), ...side(t.fileSystem, t.cluster)];
}

export function target(route: Route): string {
  return (
    route.VpcPeeringConnectionId ??
    route.TransitGatewayId ??
    route.GatewayId ??
    route.NatGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    'unknown'
  );
}

/** Both sides' route tables by id, one call per VPC (the read discovery makes too). */
export async function currentRouteTables(
  ctx: EngineContext,
  t: Topology,
): Promise<Map<string, RouteTable>> {
  const sides = [t.cluster, t.fileSystem].filter(
    side => side.routeTableIds.length > 0,
  );
  const tables = await Promise.all(
    sides.map(side => vpcRouteTables(ctx.aws.ec2(side), side.vpcId)),
  );
  return new Map(tables.flat().map(table => [table.RouteTableId!, table]));
}

/** Both sides' routes, by route table. */
export async function currentRoutes(
  ctx: EngineContext,
  t: Topology,
): Promise<Map<string, readonly Route[]>> {
  const tables = await currentRouteTables(ctx, t);
  return new Map(
    [...tables].map(([id, table]) => [id, table.Routes ?? []] as const),
  );
}

/**
 * Routes cannot be tagged, so the route table records each route we made:
 * one tag per destination, whose value is the peering it goes through.
 * Removal deletes only the routes recorded so (and, through a peering we
 * made, every route to it); a route made by hand stays.
 */
export const routeRecordKey = (destination: string) =>
  `cross-account-efs:route:${destination}`;

export function madeByUs(
  table: RouteTable | undefined,
  destination: string,
  peeringId: string,
): boolean {
  return !!table?.Tags?.some(
    tag => tag.Key === routeRecordKey(destination) && tag.Value === peeringId,
  );
}

export function judge(
  routes: readonly Route[] | undefined,
  destination: string,
  peeringId?: string,
): RouteVerdict {
  const route = routes?.find(r => r.DestinationCidrBlock === destination);
  if (!route) return { kind: 'missing' };
  if (route.State === 'blackhole') return { kind: 'blackhole', route };
  if (peeringId && route.VpcPeeringConnectionId === peeringId)
    return { kind: 'ok' };
  return { kind: 'foreign', route };
}

/** Internet egress: private destinations never leave that way, so nothing moves off it. */
export const internetEgress = (route: Route) =>
  route.DestinationCidrBlock === '0.0.0.0/0' &&
  (route.GatewayId?.startsWith('igw-') ||
    !!route.NatGatewayId ||
    !!route.EgressOnlyInternetGatewayId);

/** Live routes of a table, other than the destination's own, that go somewhere else than the peering. */
function otherLiveRoutes(
  routes: readonly Route[] | undefined,
  destination: string,
  peeringId?: string,
): Array<Route & { DestinationCidrBlock: string }> {
  return (routes ?? []).filter(
    (r): r is Route & { DestinationCidrBlock: string } =>
      !!r.DestinationCidrBlock &&
      r.DestinationCidrBlock !== destination &&
      r.State !== 'blackhole' &&
      r.GatewayId !== 'local' &&
      !(peeringId && r.VpcPeeringConnectionId === peeringId),
  );
}

/**
 * The routes a new, more specific route would take traffic from: active
 * broader routes in the same table that today carry (part of) the
 * destination to another target, such as a Transit Gateway, a firewall
 * endpoint or an appliance. Longest prefix wins, so once the new route
 * exists that traffic goes through the peering instead.
 */
export function takenOver(
  routes: readonly Route[] | undefined,
  destination: string,
  peeringId?: string,
): Route[] {
  return otherLiveRoutes(routes, destination, peeringId).filter(
    r =>
      !internetEgress(r) && cidrContains(r.DestinationCidrBlock, destination),
  );
}

/**
 * Routes more specific than a destination, in the same table, to another
 * target: longest prefix wins, so that part of the range would not go
 * through the peering (an overlapping range routed elsewhere).
 */
export function carvedOut(
  routes: readonly Route[] | undefined,
  destination: string,
  peeringId?: string,
): Route[] {
  return otherLiveRoutes(routes, destination, peeringId).filter(r =>
    cidrContains(destination, r.DestinationCidrBlock),
  );
}
