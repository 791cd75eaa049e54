import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  planNfsIngress,
  runPlan,
} from '@internal/plugin-cross-account-efs-node';
import {
  ActionDeps,
  engineForAction,
  parseInput,
  topologyOf,
} from './engineForAction';
import { clusterNetwork, fileSystemNetwork } from './inputProperties';
import { examples } from './nfsIngress.examples';
import { plan } from './outputProperties';

const mode = () =>
  z
    .enum(['security-group', 'cidr'], {
      errorMap: () => ({ message: "must be 'security-group' or 'cidr'" }),
    })
    .default('security-group')
    .describe(
      "security-group: allow <cluster account>/<cluster security group> (needs VPC peering). cidr: allow the cluster VPC's CIDR blocks (Transit Gateway, or wherever group references cannot cross).",
    );

/** Seed step 7. */
export function createNfsIngressAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:nfs-ingress',
    description:
      "Allows TCP 2049 into the mount targets' security group from the cluster: its security group across accounts, or its VPC's CIDR blocks. An existing rule that already allows it counts as done.",
    examples,
    supportsDryRun: true,
    schema: {
      input: { fileSystem: fileSystemNetwork, cluster: clusterNetwork, mode },
      output: {
        securityGroupIds: () =>
          z
            .array(z.string())
            .optional()
            .describe("The mount targets' security groups"),
        plan,
      },
    },
    async handler(ctx) {
      const input = parseInput(
        {
          fileSystem: fileSystemNetwork(),
          cluster: clusterNetwork(),
          mode: mode(),
        },
        ctx.input,
      );
      const engine = engineForAction(deps, ctx);
      const outcome = await runPlan(
        engine,
        await planNfsIngress(engine, topologyOf(input), input.mode),
        { dryRun: ctx.isDryRun },
      );
      ctx.output('plan', outcome.plan.changes);
      if (!outcome.dryRun)
        ctx.output('securityGroupIds', outcome.result.securityGroupIds);
    },
  });
}
