import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { discoverCluster } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  ActionDeps,
  assertAccountsReadable,
  engineForAction,
  parseInput,
} from './engineForAction';
import { examples } from './eksDiscover.examples';
import { clusterNetwork, clusterRef } from './inputProperties';

const inputShape = { cluster: clusterRef };

/** Seed step 3: the cluster's VPC, CIDRs, security group, subnets, route tables. Read-only. */
export function createEksDiscoverAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:eks:discover',
    description:
      "Describes an EKS cluster's network: VPC and CIDR blocks, cluster security group, the subnets of the control plane and managed node groups (with AZ ids), their route tables, the OIDC issuer and the VPC's DNS attributes. Read-only.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: { cluster: clusterNetwork },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      await assertAccountsReadable(deps, ctx, [
        input.cluster.accountId,
        'cluster.accountId',
      ]);
      const network = await discoverCluster(
        engineForAction(deps, ctx),
        input.cluster,
      );
      ctx.logger.info(
        `${network.clusterName} runs in ${
          network.vpcId
        } (${network.vpcCidrs.join(', ')}), AZ ids ${[
          ...new Set(network.subnets.map(s => s.azId)),
        ].join(', ')}, cluster security group ${
          network.clusterSecurityGroupId
        }`,
      );
      ctx.output('cluster', network);
    },
  });
}
