import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { planRoutes } from '@internal/plugin-cross-account-efs-node';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import {
  discoveredNetworks,
  requestId,
  peeringConnectionId,
} from './inputProperties';
import { plan } from './outputProperties';
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
  return createTemplateAction({
    id: 'cross-account-efs:routes',
    description:
      "Adds a route to every CIDR block of the other VPC through the peering connection, in every route table of the cluster's subnets and of the mount targets' subnets. Repairs blackhole routes; refuses, before changing anything, when a route for that destination already goes elsewhere.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...discoveredNetworks,
        requestId,
        peeringConnectionId: () => peeringConnectionId().optional(),
      },
      output: { routes: () => routes().optional(), plan },
    },
    async handler(ctx) {
      const input = parseInput(
        {
          ...discoveredNetworks,
          requestId,
          // A dry run plans before the peering exists; an unset template output renders empty.
          peeringConnectionId: () =>
            z.preprocess(
              v => (v === '' || v === null ? undefined : v),
              ctx.isDryRun
                ? peeringConnectionId().optional()
                : peeringConnectionId(),
            ),
        },
        ctx.input,
      );
      const result = await ensureLayer(deps, ctx, input, (engine, t) =>
        planRoutes(engine, t, input.peeringConnectionId),
      );
      if (result) ctx.output('routes', result.routes);
    },
  });
}
