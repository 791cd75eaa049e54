import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { discoverFileSystem } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  ActionDeps,
  assertAccountsReadable,
  engineForAction,
  parseInput,
} from './engineForAction';
import { examples } from './efsDiscover.examples';
import { fileSystemNetwork, fileSystemRef } from './inputProperties';

const inputShape = { fileSystem: fileSystemRef };

/** Seed steps 1-2: mount targets per AZ id, VPC, CIDRs. Read-only. */
export function createEfsDiscoverAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:efs:discover',
    description:
      "Describes an EFS file system's network: mount targets per AZ id (id, IP, subnet, security groups, state), its VPC, CIDR blocks and route tables. Read-only.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: { fileSystem: fileSystemNetwork },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      await assertAccountsReadable(deps, ctx, [
        input.fileSystem.accountId,
        'fileSystem.accountId',
      ]);
      const network = await discoverFileSystem(
        engineForAction(deps, ctx),
        input.fileSystem,
      );
      ctx.logger.info(
        `${network.fileSystemId} is ${network.lifeCycleState} in ${
          network.vpcId
        } (${network.vpcCidrs.join(
          ', ',
        )}); mount targets: ${network.mountTargets
          .map(m => `${m.azId} ${m.ipAddress} (${m.state})`)
          .join(', ')}`,
      );
      ctx.output('fileSystem', network);
    },
  });
}
