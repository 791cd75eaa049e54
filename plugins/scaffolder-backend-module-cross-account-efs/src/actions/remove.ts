import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  disconnectCluster,
  disconnectNetwork,
} from '@internal/plugin-cross-account-efs-node';
import { ActionDeps, requestOnly, runOnRequest } from './engineForAction';
import { examples } from './remove.examples';
import { plan } from './outputProperties';

/** Deprovisioning, in reverse order of provisioning. */
export function createRemoveAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:remove',
    description:
      "Removes the connection of a request in reverse order, as recorded on the request: the test claim, StorageClass and secret (refused, removing nothing, while PersistentVolumes use the class), this connection's IAM statements and the roles made for it, the DNS zones, the NFS rule, the routes and the peering. Only what provisioning made (tagged or recognised exactly); nothing foreign. Needs cross-account-efs.request.approve; the request becomes removed.",
    examples,
    supportsDryRun: true,
    schema: { input: requestOnly, output: { plan } },
    async handler(ctx) {
      await runOnRequest(deps, ctx, 'remove', async (request, engine) => {
        if (ctx.isDryRun) {
          ctx.logger.info(
            `dry run: the connection of request ${request.id} would be removed`,
          );
          return;
        }
        const { spec, options } = request;
        const removed = [
          ...(await disconnectCluster(engine, spec, options)),
          ...(await disconnectNetwork(engine, spec, {
            nfsIngressMode: options.nfsIngressMode,
          })),
        ];
        for (const r of removed)
          ctx.logger.info(
            `removed ${r.resource} in ${r.accountId}: ${r.summary}`,
          );
        ctx.output('plan', removed);
        await deps.requests.complete(
          await ctx.getInitiatorCredentials(),
          request.id,
          'remove',
        );
      });
    },
  });
}
