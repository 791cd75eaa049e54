import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { planPeering, runPlan } from '@internal/plugin-cross-account-efs-node';
import {
  ActionDeps,
  engineForAction,
  parseInput,
  topologyOf,
} from './engineForAction';
import {
  clusterNetwork,
  fileSystemNetwork,
  peeringConnectionId,
} from './inputProperties';
import { plan } from './outputProperties';
import { examples } from './peering.examples';

/** Seed steps 4-5: find or request the peering, accept it from the file system's account, wait for active. */
export function createPeeringAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:peering',
    description:
      "Connects the cluster's VPC to the file system's VPC: reuses a live peering between them if there is one, otherwise requests one from the cluster's account, accepts it from the file system's account and waits until it is active. Failed, rejected and expired requests are reported and replaced.",
    examples,
    supportsDryRun: true,
    schema: {
      input: { fileSystem: fileSystemNetwork, cluster: clusterNetwork },
      output: {
        peeringConnectionId: () => peeringConnectionId().optional(),
        plan,
      },
    },
    async handler(ctx) {
      const input = parseInput(
        { fileSystem: fileSystemNetwork(), cluster: clusterNetwork() },
        ctx.input,
      );
      const engine = engineForAction(deps, ctx);
      const outcome = await runPlan(
        engine,
        await planPeering(engine, topologyOf(input)),
        {
          dryRun: ctx.isDryRun,
        },
      );
      ctx.output('plan', outcome.plan.changes);
      if (!outcome.dryRun) {
        ctx.logger.info(
          `peering ${outcome.result.peeringConnectionId} is ${outcome.result.status}`,
        );
        ctx.output('peeringConnectionId', outcome.result.peeringConnectionId);
      }
    },
  });
}
