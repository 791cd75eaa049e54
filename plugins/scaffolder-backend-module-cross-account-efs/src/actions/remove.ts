import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterRefSchema,
  connectionOptionsSchema,
  fileSystemRefSchema,
} from '@internal/plugin-cross-account-efs-common';
import {
  disconnectCluster,
  disconnectNetwork,
} from '@internal/plugin-cross-account-efs-node';
import {
  ActionDeps,
  assertApproved,
  engineForAction,
  parseInput,
} from './engineForAction';
import { requestId } from './inputProperties';
import { examples } from './remove.examples';
import { plan } from './outputProperties';

const options = connectionOptionsSchema.shape;
const inputShape = {
  fileSystem: () => fileSystemRefSchema.describe('The EFS file system'),
  cluster: () => clusterRefSchema.describe('The EKS cluster'),
  requestId,
  storageClassName: () => options.storageClassName,
  namespace: () => options.namespace,
  nfsIngressMode: () => options.nfsIngressMode,
  workloadIdentity: () => options.workloadIdentity,
};

/** Deprovisioning, in reverse order of provisioning. */
export function createRemoveAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:remove',
    description:
      "Removes a connection in reverse order: the test claim, StorageClass and secret (refused, removing nothing, while PersistentVolumes use the class), this connection's IAM statements and the roles made for it, the DNS zones, the NFS rule, the routes and the peering. Only what provisioning made (tagged or recognised exactly); nothing foreign.",
    examples,
    schema: { input: inputShape, output: { plan } },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      const spec = { fileSystem: input.fileSystem, cluster: input.cluster };
      await assertApproved(deps, ctx, input.requestId, spec);
      if (ctx.isDryRun) return;
      const engine = engineForAction(deps, ctx);
      const removed = [
        ...(await disconnectCluster(engine, spec, input)),
        ...(await disconnectNetwork(engine, spec, {
          nfsIngressMode: input.nfsIngressMode,
        })),
      ];
      for (const r of removed)
        ctx.logger.info(
          `removed ${r.resource} in ${r.accountId}: ${r.summary}`,
        );
      ctx.output('plan', removed);
    },
  });
}
