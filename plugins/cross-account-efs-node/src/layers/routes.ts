import {
  CreateRouteCommand,
  DeleteRouteCommand,
  ReplaceRouteCommand,
  Route,
} from '@aws-sdk/client-ec2';
import { CheckResult } from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import { vpcRouteTables } from '../discovery/vpcFacts';
import { checkResult } from '../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';

/** One route we want: this destination, in this table, through the peering. */
interface DesiredRoute {
  accountId: string;
  region: string;
  routeTableId: string;
  destination: string;
}

type RouteVerdict =
  | { kind: 'ok' }
  | { kind: 'missing' }
  | { kind: 'blackhole'; route: Route }
  | { kind: 'foreign'; route: Route };

export interface RoutesResult {
  routes: Array<{
    accountId: string;
    routeTableId: string;
    destination: string;
  }>;
}

/** Seed step 6, both ways: every route table on each side, every CIDR of the other VPC. */
function desiredRoutes(t: Topology): DesiredRoute[] {
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

function target(route: Route): string {
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

/**
 * Reads both sides' route tables at once, one call per VPC: the same read
 * discovery makes, so a sweep answers it from its cache.
 */
async function currentRoutes(
  ctx: EngineContext,
  t: Topology,
): Promise<Map<string, Route[]>> {
  const sides = [t.cluster, t.fileSystem].filter(
    side => side.routeTableIds.length > 0,
  );
  const tables = await Promise.all(
    sides.map(side => vpcRouteTables(ctx.aws.ec2(side), side.vpcId)),
  );
  const byTable = new Map<string, Route[]>();
  for (const table of tables.flat())
    byTable.set(table.RouteTableId!, table.Routes ?? []);
  return byTable;
}

function judge(
  routes: Route[] | undefined,
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

export async function planRoutes(
  ctx: EngineContext,
  t: Topology,
  peeringConnectionId: string | undefined,
): Promise<LayerPlan<RoutesResult>> {
  const desired = desiredRoutes(t);
  const tables = await currentRoutes(ctx, t);
  const via = peeringConnectionId ?? 'the new peering connection';
  const changes: PlannedChange[] = [];
  const blockers: Blocker[] = [];
  const work: Array<{ route: DesiredRoute; replace: boolean }> = [];

  for (const route of desired) {
    const verdict = judge(
      tables.get(route.routeTableId),
      route.destination,
      peeringConnectionId,
    );
    if (verdict.kind === 'ok') continue;
    if (verdict.kind === 'foreign') {
      blockers.push({
        layer: 'routes',
        summary: `Route table ${route.routeTableId} in account ${
          route.accountId
        } already sends ${route.destination} to ${target(verdict.route)}.`,
        remedy: `Remove or change that route if it is stale; it is not ours to overwrite. If traffic should go through ${target(
          verdict.route,
        )} (e.g. a Transit Gateway), connect through it instead of peering.`,
      });
      continue;
    }
    const replace = verdict.kind === 'blackhole';
    changes.push({
      layer: 'routes',
      accountId: route.accountId,
      action: replace ? 'update' : 'create',
      resource: 'route',
      summary: replace
        ? `Repair blackhole route ${route.destination} in ${
            route.routeTableId
          } (was ${target(verdict.route)}) -> ${via}`
        : `Route ${route.destination} in ${route.routeTableId} -> ${via}`,
    });
    work.push({ route, replace });
  }

  return {
    changes,
    blockers,
    apply: async () => {
      if (!peeringConnectionId) {
        throw new Error(
          'routes need the peering connection id from the peering step',
        );
      }
      for (const { route, replace } of work) {
        const key = `routes:${route.routeTableId}:${route.destination}:${peeringConnectionId}`;
        await ctx.checkpoint(key, async () => {
          const ec2 = ctx.aws.ec2(route);
          const input = {
            RouteTableId: route.routeTableId,
            DestinationCidrBlock: route.destination,
            VpcPeeringConnectionId: peeringConnectionId,
          };
          if (replace) {
            await ec2.send(new ReplaceRouteCommand(input));
            return;
          }
          try {
            await ec2.send(new CreateRouteCommand(input));
          } catch (e) {
            if (!isAwsError(e, 'RouteAlreadyExists')) throw e;
            // Someone added it since we looked: fine if it is ours, else stop.
            const again = await currentRoutes(ctx, t);
            const verdict = judge(
              again.get(route.routeTableId),
              route.destination,
              peeringConnectionId,
            );
            if (verdict.kind !== 'ok') {
              throw new Error(
                `Route table ${route.routeTableId} gained a route for ${route.destination} to another target while we worked; check it and re-run.`,
              );
            }
          }
        });
      }
      return {
        routes: desired.map(({ accountId, routeTableId, destination }) => ({
          accountId,
          routeTableId,
          destination,
        })),
      };
    },
  };
}

export async function checkRoutes(
  ctx: EngineContext,
  t: Topology,
  peeringConnectionId: string | undefined,
): Promise<CheckResult[]> {
  const tables = await currentRoutes(ctx, t);
  return desiredRoutes(t).map(route => {
    const id = `route:${route.routeTableId}:${route.destination}`;
    const verdict = judge(
      tables.get(route.routeTableId),
      route.destination,
      peeringConnectionId,
    );
    const evidence = {
      accountId: route.accountId,
      routeTableId: route.routeTableId,
      destination: route.destination,
    };
    switch (verdict.kind) {
      case 'ok':
        return checkResult('routes', id, 'ok', {
          summary: `${route.routeTableId} routes ${route.destination} through ${peeringConnectionId}.`,
          evidence,
        });
      case 'missing':
        return checkResult('routes', id, 'error', {
          summary: `${route.routeTableId} (account ${route.accountId}) has no route to ${route.destination}.`,
          remedy:
            'Re-run provisioning: it adds the route through the peering connection.',
          evidence,
        });
      case 'blackhole':
        return checkResult('routes', id, 'error', {
          summary: `The route to ${route.destination} in ${
            route.routeTableId
          } is a blackhole (target ${target(verdict.route)} is gone).`,
          remedy:
            'Re-run provisioning: it points the route at the current peering connection.',
          evidence: { ...evidence, target: target(verdict.route) },
        });
      default:
        return checkResult('routes', id, 'error', {
          summary: `${route.routeTableId} sends ${
            route.destination
          } to ${target(verdict.route)}, not the peering connection.`,
          remedy:
            'Remove or change that route by hand (provisioning never overwrites a route it did not make), then re-run provisioning.',
          evidence: { ...evidence, target: target(verdict.route) },
        });
    }
  });
}

/** Deletes only the routes that point at our peering connection. */
export async function removeRoutes(
  ctx: EngineContext,
  t: Topology,
  peeringConnectionId: string,
): Promise<PlannedChange[]> {
  const tables = await currentRoutes(ctx, t);
  const removed: PlannedChange[] = [];
  for (const route of desiredRoutes(t)) {
    const existing = tables
      .get(route.routeTableId)
      ?.find(r => r.DestinationCidrBlock === route.destination);
    if (existing?.VpcPeeringConnectionId !== peeringConnectionId) continue;
    await ctx.checkpoint(
      `routes:delete:${route.routeTableId}:${route.destination}`,
      async () => {
        await ctx.aws.ec2(route).send(
          new DeleteRouteCommand({
            RouteTableId: route.routeTableId,
            DestinationCidrBlock: route.destination,
          }),
        );
      },
    );
    removed.push({
      layer: 'routes',
      accountId: route.accountId,
      action: 'delete',
      resource: 'route',
      summary: `Route ${route.destination} in ${route.routeTableId}`,
    });
  }
  return removed;
}
