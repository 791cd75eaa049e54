import {
  CreateRouteCommand,
  CreateTagsCommand,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { isAwsError } from '../../aws/errors';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { findPeering } from '../peering/read';
import {
  currentRoutes,
  DesiredRoute,
  desiredRoutes,
  carvedOut,
  judge,
  routeRecordKey,
  takenOver,
  target,
} from './read';

/** @public */
export interface RoutesResult {
  routes: Array<{
    accountId: string;
    routeTableId: string;
    destination: string;
  }>;
}

/**
 * Seed step 6: a route through the peering in every route table on each
 * side, for every CIDR of the other VPC. Never overwrites a route to
 * another target.
 */
export async function planRoutes(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions = {},
): Promise<LayerPlan<RoutesResult>> {
  const peeringConnectionId = (await findPeering(ctx, t))
    ?.VpcPeeringConnectionId;
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
      const other = target(verdict.route);
      blockers.push({
        layer: 'routes',
        summary: `Route table ${route.routeTableId} in account ${route.accountId} already sends ${route.destination} to ${other}.`,
        remedy: other.startsWith('pcx-')
          ? `Another VPC peering carries that range (another connection, or a VPC whose addresses overlap this one's): a route table reaches a range through one VPC only. Connect a cluster VPC whose range does not overlap, or route through a Transit Gateway; leave that route to whoever uses it.`
          : `If that route is stale and nobody uses it, remove it; it is not ours to overwrite. If traffic should go through ${other} (e.g. a Transit Gateway), connect through it instead of peering.`,
      });
      continue;
    }
    const carved = carvedOut(
      tables.get(route.routeTableId),
      route.destination,
      peeringConnectionId,
    );
    if (carved.length) {
      blockers.push({
        layer: 'routes',
        summary: `Route table ${route.routeTableId} in account ${
          route.accountId
        } sends part of ${route.destination} elsewhere: ${carved
          .map(r => `${r.DestinationCidrBlock} -> ${target(r)}`)
          .join(
            ', ',
          )}. Those more specific routes win, so that part of the range would not go through the peering.`,
        remedy: `If those addresses belong to another network (another connection's VPC, an on-premises range), the two ranges overlap: connect a VPC whose range does not. Leave those routes to whoever uses them.`,
      });
      continue;
    }
    const moved = takenOver(
      tables.get(route.routeTableId),
      route.destination,
      peeringConnectionId,
    );
    const movedFrom = moved
      .map(r => `${r.DestinationCidrBlock} -> ${target(r)}`)
      .join(', ');
    if (moved.length && !options.acceptRouteTakeover) {
      blockers.push({
        layer: 'routes',
        summary: `In route table ${route.routeTableId} (account ${
          route.accountId
        }), a route for ${
          route.destination
        } through the peering would take that traffic off ${movedFrom}: the longest prefix wins, so it would bypass ${moved
          .map(target)
          .join(', ')}.`,
        remedy: `If that path must stay (inspection, a firewall, a Transit Gateway), connect over it instead of a new peering. To move ${route.destination} to the peering anyway, request the connection again with acceptRouteTakeover.`,
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
        : `Route ${route.destination} in ${route.routeTableId} -> ${via}${
            moved.length
              ? ` (takes ${route.destination} off ${movedFrom}, as accepted)`
              : ''
          }`,
    });
    work.push({ route, replace });
  }

  return {
    changes,
    blockers,
    apply: async () => {
      if (work.length && !peeringConnectionId) {
        throw new Error(
          'There is no peering to route through yet: run the peering step (cross-account-efs:peering) first.',
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
          // Recorded first: a route we made must never look hand-made.
          await ec2.send(
            new CreateTagsCommand({
              Resources: [route.routeTableId],
              Tags: [
                {
                  Key: routeRecordKey(route.destination),
                  Value: peeringConnectionId,
                },
              ],
            }),
          );
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
