import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { planNfsIngress } from '@internal/plugin-cross-account-efs-node';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import { discoveredNetworks, requestId } from './inputProperties';
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

const inputShape = { ...discoveredNetworks, requestId, mode };

/** Seed step 7. */
export function createNfsIngressAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:nfs-ingress',
    description:
      "Allows TCP 2049 into the mount targets' security group from the cluster: its security group across accounts, or its VPC's CIDR blocks. An existing rule that already allows it counts as done.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
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
      const input = parseInput(inputShape, ctx.input);
      const result = await ensureLayer(deps, ctx, input, (engine, t) =>
        planNfsIngress(engine, t, input.mode),
      );
      if (result) ctx.output('securityGroupIds', result.securityGroupIds);
    },
  });
}
