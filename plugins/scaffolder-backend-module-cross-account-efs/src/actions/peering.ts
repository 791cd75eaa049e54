import type { PeeringResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionDeps } from './engineForAction';
import { peeringConnectionId } from './inputProperties';
import { createLayerAction } from './layerAction';
import { examples } from './peering.examples';

/** Seed steps 4-5: find or request the peering, accept it from the file system's account, wait for active. */
export function createPeeringAction(deps: ActionDeps) {
  return createLayerAction<PeeringResult>(deps, {
    id: 'cross-account-efs:peering',
    layer: 'peering',
    description:
      "Connects the cluster's VPC to the file system's VPC: reuses a live peering between them if there is one, otherwise requests one from the cluster's account, accepts it from the file system's account and waits until it is active. Failed, rejected and expired requests are reported and replaced.",
    examples,
    output: { peeringConnectionId: () => peeringConnectionId().optional() },
    report(result, ctx) {
      ctx.logger.info(
        `peering ${result.peeringConnectionId} is ${result.status}`,
      );
      ctx.output('peeringConnectionId', result.peeringConnectionId);
    },
  });
}
