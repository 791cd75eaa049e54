import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ActionDeps,
  RecordedFailure,
  requestOnly,
  runOnRequest,
} from './engineForAction';
import { examples } from './verify.examples';

/**
 * Seed step 11.4, and more: the last provisioning step. The backend checks
 * every layer itself, stores the result as the card's snapshot, and records
 * the request provisioned, or failed with each problem and its fix.
 */
export function createVerifyAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:verify',
    description:
      'Ends provisioning of an approved request: the backend runs the health checks of every layer (peering, routes, NFS rule, DNS, IAM, add-on, secret, StorageClass, test claim), stores them for the entity card, and records the request provisioned; otherwise the request is failed and the task fails, listing each problem with its fix. Changes nothing in AWS or Kubernetes.',
    examples,
    supportsDryRun: true,
    schema: {
      input: requestOnly,
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
      await runOnRequest(deps, ctx, 'provision', async request => {
        if (ctx.isDryRun) {
          ctx.logger.info(
            'dry run: the connection would be checked and the request recorded provisioned',
          );
          return;
        }
        const outcome = await deps.requests.complete(
          await ctx.getInitiatorCredentials(),
          request.id,
          'provision',
        );
        const results = outcome.snapshot?.results ?? [];
        for (const r of results)
          ctx.logger.info(`${r.status.padEnd(7)} ${r.layer}: ${r.summary}`);
        ctx.output('status', outcome.snapshot?.status ?? 'unknown');
        ctx.output(
          'checks',
          results.map(r => ({
            layer: r.layer,
            status: r.status,
            summary: r.summary,
          })),
        );
        if (outcome.request.status !== 'provisioned') {
          throw new RecordedFailure(
            outcome.request.failure?.message ??
              `The request is ${outcome.request.status}.`,
          );
        }
      });
    },
  });
}
