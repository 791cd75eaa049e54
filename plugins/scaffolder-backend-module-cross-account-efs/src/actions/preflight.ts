import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { prepareConnection } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  ActionDeps,
  assertAccountsReadable,
  engineForAction,
  parseInput,
} from './engineForAction';
import {
  clusterNetwork,
  clusterRef,
  fileSystemNetwork,
  fileSystemRef,
} from './inputProperties';
import { examples } from './preflight.examples';

const inputShape = { fileSystem: fileSystemRef, cluster: clusterRef };

/**
 * Seed step 4's checks and the ones it leaves out: regions, CIDR overlap
 * (secondary blocks too), file system state, mount targets in every AZ id
 * the cluster uses, DNS on the cluster VPC. Fails listing every problem;
 * changes nothing.
 */
export function createPreflightAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:preflight',
    description:
      'Checks, without changing anything, that a file system can be connected to a cluster: same region, different accounts, file system available, no CIDR overlap, a mount target in every AZ id the cluster uses, DNS support and hostnames on the cluster VPC. Outputs both sides as discovered, for the next steps.',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: { fileSystem: fileSystemNetwork, cluster: clusterNetwork },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      await assertAccountsReadable(
        deps,
        ctx,
        [input.fileSystem.accountId, 'fileSystem.accountId'],
        [input.cluster.accountId, 'cluster.accountId'],
      );
      const { fileSystem, cluster } = await prepareConnection(
        engineForAction(deps, ctx),
        input,
      );
      ctx.logger.info(
        'preflight passed: the file system can be connected to the cluster',
      );
      ctx.output('fileSystem', fileSystem);
      ctx.output('cluster', cluster);
    },
  });
}
