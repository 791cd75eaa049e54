import type { Route } from '@aws-sdk/client-ec2';
import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, Topology } from '../../engine/types';
import { cidrContains } from '../../preflight/cidr';
import { currentRoutes, desiredRoutes, internetEgress, target } from './read';

type Covered = Route & { DestinationCidrBlock: string };

const prefixLength = (cidr: string) => Number(cidr.split('/')[1]);

/** The route the VPC router picks for a whole range: the longest prefix that contains it. */
export function longestPrefixMatch(
  routes: readonly Route[] | undefined,
  destination: string,
): Covered | undefined {
  return (routes ?? [])
    .filter(
      (r): r is Covered =>
        !!r.DestinationCidrBlock &&
        cidrContains(r.DestinationCidrBlock, destination),
    )
    .sort(
      (a, b) =>
        prefixLength(b.DestinationCidrBlock) -
        prefixLength(a.DestinationCidrBlock),
    )[0];
}

/** More specific routes inside the range that lead nowhere: that part of it is dropped. */
const deadInside = (
  routes: readonly Route[] | undefined,
  destination: string,
) =>
  (routes ?? []).filter(
    (r): r is Covered =>
      !!r.DestinationCidrBlock &&
      r.DestinationCidrBlock !== destination &&
      r.State === 'blackhole' &&
      cidrContains(destination, r.DestinationCidrBlock),
  );

/**
 * `existing` connectivity: every route table on each side has an active
 * route covering each of the other VPC's CIDR blocks, whatever its target
 * (a Transit Gateway, a peering, a firewall endpoint). The Transit Gateway's
 * own route tables live in the network account and are not read.
 */
export async function checkRoutesReachable(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const tables = await currentRoutes(ctx, t);
  return desiredRoutes(t).map(route => {
    const id = `reach:${route.routeTableId}:${route.destination}`;
    const routes = tables.get(route.routeTableId);
    const best = longestPrefixMatch(routes, route.destination);
    const evidence = {
      accountId: route.accountId,
      routeTableId: route.routeTableId,
      destination: route.destination,
      ...(best
        ? { route: best.DestinationCidrBlock, target: target(best) }
        : {}),
    };
    const where = `${route.routeTableId} (account ${route.accountId})`;
    const remedy = `Ask the owner of the network to route ${route.destination} from ${route.routeTableId} to the Transit Gateway or peering that joins the two VPCs, or request the connection with connectivity "peering".`;
    const fail = (summary: string) =>
      checkResult('routes', id, 'error', { summary, remedy, evidence });
    if (!best) return fail(`${where} has no route to ${route.destination}.`);
    if (best.State === 'blackhole') {
      return fail(
        `${where} sends ${route.destination} to ${target(best)} (route ${
          best.DestinationCidrBlock
        }), which is gone: the route is a blackhole.`,
      );
    }
    if (internetEgress(best)) {
      return fail(
        `${where} reaches ${
          route.destination
        } only by its default route to ${target(
          best,
        )}: private addresses of the other VPC are not reachable that way.`,
      );
    }
    const dead = deadInside(routes, route.destination);
    if (dead.length) {
      return fail(
        `${where} drops part of ${route.destination}: ${dead
          .map(r => `${r.DestinationCidrBlock} -> ${target(r)} (blackhole)`)
          .join(', ')}.`,
      );
    }
    return checkResult('routes', id, 'ok', {
      summary: `${route.routeTableId} reaches ${
        route.destination
      } through ${target(best)} (route ${best.DestinationCidrBlock}).`,
      evidence,
    });
  });
}
