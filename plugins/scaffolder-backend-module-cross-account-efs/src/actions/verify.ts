import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  connectionOptionsSchema,
  overallStatus,
} from '@internal/plugin-cross-account-efs-common';
import { checkConnection } from '@internal/plugin-cross-account-efs-node';
import {
  ActionDeps,
  engineForAction,
  parseInput,
  topologyOf,
} from './engineForAction';
import { discoveredNetworks, requestId } from './inputProperties';
import { examples } from './verify.examples';

const roleArn = (what: string) => () =>
  z
    .string()
    .regex(
      /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
      'must be an IAM role ARN',
    )
    .describe(what);

const options = connectionOptionsSchema.shape;
const inputShape = {
  ...discoveredNetworks,
  requestId,
  efsAccessRoleArn: roleArn('Output efsAccessRoleArn of cross-account-efs:iam'),
  csiDriverRoleArn: roleArn('Output csiDriverRoleArn of cross-account-efs:iam'),
  storageClassName: () => options.storageClassName,
  namespace: () => options.namespace,
  nfsIngressMode: () => options.nfsIngressMode,
  workloadIdentity: () => options.workloadIdentity,
};

/** Seed step 11.4, and more: every layer's health check; fails unless all are healthy. */
export function createVerifyAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:verify',
    description:
      'Runs the health checks of every layer (peering, routes, NFS rule, DNS, IAM, add-on, secret, StorageClass, test claim) and fails the task, listing each problem with its fix, unless the connection is healthy. Read-only.',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: {
        status: () =>
          z.string().optional().describe('ok, warning, error or unknown'),
        checks: () =>
          z
            .array(
              z.object({
                layer: z.string(),
                status: z.string(),
                summary: z.string(),
              }),
            )
            .optional()
            .describe('One line per check'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      if (ctx.isDryRun) return;
      const results = await checkConnection(
        engineForAction(deps, ctx),
        topologyOf(input),
        {
          ...input,
          directoryPerms: '700',
        },
      );
      const status = overallStatus(results);
      ctx.output('status', status);
      ctx.output(
        'checks',
        results.map(r => ({
          layer: r.layer,
          status: r.status,
          summary: r.summary,
        })),
      );
      for (const r of results)
        ctx.logger.info(`${r.status.padEnd(7)} ${r.layer}: ${r.summary}`);
      const failed = results.filter(r => r.status === 'error');
      if (failed.length) {
        throw new Error(
          `The connection is not healthy:\n${failed
            .map(
              r =>
                `- ${r.layer}: ${r.summary}${
                  r.remedy ? ` Fix: ${r.remedy}` : ''
                }`,
            )
            .join('\n')}`,
        );
      }
    },
  });
}
