import { DeleteRouteCommand, DeleteTagsCommand } from '@aws-sdk/client-ec2';
import { hasManagedTag } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { nothingToChange } from '../../engine/runPlan';
import { findPeering } from '../peering/read';
import { stillUsedBy } from '../peering/remove';
import {
  currentRouteTables,
  desiredRoutes,
  madeByUs,
  routeRecordKey,
} from './read';

/**
 * Deletes the routes we made to the peering, once no other connection uses
 * it (until then they stay with it): through a peering we made, every route
 * to it; through one made by hand, only the routes its tables record as
 * ours. Routes someone else made stay exactly as they are.
 */
export async function planRoutesRemoval(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<void>> {
  const [peering, tables] = await Promise.all([
    findPeering(ctx, t),
    currentRouteTables(ctx, t),
  ]);
  const peeringId = peering?.VpcPeeringConnectionId;
  if (!peeringId || stillUsedBy(peering, t.spec).length) {
    return nothingToChange();
  }
  const ourPeering = hasManagedTag(peering.Tags);
  const desired = desiredRoutes(t);
  const ours = desired.filter(route => {
    const table = tables.get(route.routeTableId);
    const through =
      table?.Routes?.find(r => r.DestinationCidrBlock === route.destination)
        ?.VpcPeeringConnectionId === peeringId;
    return (
      through && (ourPeering || madeByUs(table, route.destination, peeringId))
    );
  });
  const changes: PlannedChange[] = ours.map(route => ({
    layer: 'routes',
    accountId: route.accountId,
    action: 'delete',
    resource: 'route',
    summary: `Route ${route.destination} in ${route.routeTableId} -> ${peeringId}`,
  }));
  // The records go with their routes; a stale one (its route gone) goes too.
  const records = desired.filter(route =>
    tables
      .get(route.routeTableId)
      ?.Tags?.some(tag => tag.Key === routeRecordKey(route.destination)),
  );
  for (const route of records.filter(r => !ours.includes(r))) {
    changes.push({
      layer: 'routes',
      accountId: route.accountId,
      action: 'update',
      resource: 'route-table',
      summary: `Forget the record of a route ${route.destination} in ${route.routeTableId} (the route is gone)`,
    });
  }
  return {
    changes,
    blockers: [],
    apply: async () => {
      for (const route of ours) {
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
      }
      for (const route of records) {
        await ctx.checkpoint(
          `routes:forget:${route.routeTableId}:${route.destination}`,
          async () => {
            await ctx.aws.ec2(route).send(
              new DeleteTagsCommand({
                Resources: [route.routeTableId],
                Tags: [{ Key: routeRecordKey(route.destination) }],
              }),
            );
          },
        );
      }
    },
  };
}
