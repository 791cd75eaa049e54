import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { removeConnection } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { ActionDeps, requestOnly, runOnRequest } from './engineForAction';
import { examples } from './remove.examples';
import { plan } from './outputProperties';

/** Deprovisioning: the removal plan of every layer, refused on any blocker, then applied in reverse order of provisioning. */
export function createRemoveAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:remove',
    description:
      "Removes the connection of a request in reverse order, as recorded on the request: the test claim, StorageClass and secret, this connection's IAM statements and the roles made for it, the DNS zones, the NFS rule, the routes and the peering. Plans the whole removal first and removes nothing while anything blocks it (PersistentVolumes still using the StorageClass); a dry run shows that plan. Only what provisioning made (tagged or recognised exactly); nothing foreign. Needs cross-account-efs.request.approve; the request becomes removed.",
    examples,
    supportsDryRun: true,
    schema: { input: requestOnly, output: { plan } },
    async handler(ctx) {
      await runOnRequest(deps, ctx, 'remove', async (request, engine) => {
        const changes = await removeConnection(
          engine,
          request.spec,
          request.options,
          { dryRun: ctx.isDryRun },
        );
        ctx.output('plan', changes);
        if (ctx.isDryRun) return;
        await deps.requests.complete(
          await ctx.getInitiatorCredentials(),
          request.id,
          'remove',
        );
      });
    },
  });
}
