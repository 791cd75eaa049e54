import { DeleteRouteCommand } from '@aws-sdk/client-ec2';
import { hasManagedTag } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { findPeering } from '../peering/read';
import { stillUsedBy } from '../peering/remove';
import { currentRoutes, desiredRoutes } from './read';
import { nothingToChange } from '../../engine/runPlan';

/**
 * Deletes the routes that point at the peering we made, once no other
 * connection uses it (until then they stay with it). Routes through a
 * peering someone else made are theirs, and stay.
 */
export async function planRoutesRemoval(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<void>> {
  const [peering, tables] = await Promise.all([
    findPeering(ctx, t),
    currentRoutes(ctx, t),
  ]);
  const peeringId = peering?.VpcPeeringConnectionId;
  if (
    !peeringId ||
    !hasManagedTag(peering.Tags) ||
    stillUsedBy(peering, t.spec).length
  ) {
    return nothingToChange();
  }
  const ours = desiredRoutes(t).filter(
    route =>
      tables
        .get(route.routeTableId)
        ?.find(r => r.DestinationCidrBlock === route.destination)
        ?.VpcPeeringConnectionId === peeringId,
  );
  const changes: PlannedChange[] = ours.map(route => ({
    layer: 'routes',
    accountId: route.accountId,
    action: 'delete',
    resource: 'route',
    summary: `Route ${route.destination} in ${route.routeTableId} -> ${peeringId}`,
  }));
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
    },
  };
}
