import { z } from 'zod/v3';
import type { RoutesResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionDeps } from './engineForAction';
import { createLayerAction } from './layerAction';
import { examples } from './routes.examples';

const routes = () =>
  z
    .array(
      z.object({
        accountId: z.string(),
        routeTableId: z.string(),
        destination: z.string(),
      }),
    )
    .describe('Every route that now goes through the peering connection');

/** Seed step 6, both ways. */
export function createRoutesAction(deps: ActionDeps) {
  return createLayerAction<RoutesResult>(deps, {
    id: 'cross-account-efs:routes',
    layer: 'routes',
    description:
      "Adds a route to every CIDR block of the other VPC through the peering connection, in every route table of the cluster's subnets and of the mount targets' subnets. Repairs blackhole routes; refuses, before changing anything, when a route for that destination already goes elsewhere.",
    examples,
    output: { routes: () => routes().optional() },
    report(result, ctx) {
      ctx.output('routes', result.routes);
    },
  });
}
