import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { planPeering } from '@internal/plugin-cross-account-efs-node';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import {
  discoveredNetworks,
  requestId,
  peeringConnectionId,
} from './inputProperties';
import { plan } from './outputProperties';
import { examples } from './peering.examples';

const inputShape = { ...discoveredNetworks, requestId };

/** Seed steps 4-5: find or request the peering, accept it from the file system's account, wait for active. */
export function createPeeringAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:peering',
    description:
      "Connects the cluster's VPC to the file system's VPC: reuses a live peering between them if there is one, otherwise requests one from the cluster's account, accepts it from the file system's account and waits until it is active. Failed, rejected and expired requests are reported and replaced.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: {
        peeringConnectionId: () => peeringConnectionId().optional(),
        plan,
      },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      const result = await ensureLayer(deps, ctx, input, (engine, t) =>
        planPeering(engine, t),
      );
      if (result) {
        ctx.logger.info(
          `peering ${result.peeringConnectionId} is ${result.status}`,
        );
        ctx.output('peeringConnectionId', result.peeringConnectionId);
      }
    },
  });
}
