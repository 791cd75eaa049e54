import { z } from 'zod/v3';
import type { KubernetesStorageResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionDeps } from './engineForAction';
import { examples } from './kubernetes.examples';
import { createLayerAction } from './layerAction';

/** Seed steps 10.6 and 11. */
export function createKubernetesAction(deps: ActionDeps) {
  return createLayerAction<KubernetesStorageResult>(deps, {
    id: 'cross-account-efs:kubernetes',
    layer: 'kubernetes',
    description:
      "Writes, in the cluster (configured as for the Kubernetes plugin): the x-account secret in the driver's namespace (role ARN, crossaccount, and the external id read from the role's trust; never logged or output), the request's StorageClass made for the installed driver version (no crossaccount mount option on v3+), the request's namespace, and a test claim with a pod that writes to it, which must bind. A differing StorageClass is never changed silently: the step fails with the differences and the way out.",
    examples,
    output: {
      storageClassName: () =>
        z.string().optional().describe('The StorageClass'),
      driverVersion: () =>
        z.string().optional().describe('The driver version it was made for'),
      testClaim: () =>
        z
          .object({
            namespace: z.string(),
            name: z.string(),
            phase: z.string(),
          })
          .optional()
          .describe('The test claim'),
    },
    report(result, ctx) {
      ctx.output('storageClassName', result.storageClassName);
      ctx.output('driverVersion', result.driverVersion);
      if (result.testClaim) ctx.output('testClaim', result.testClaim);
    },
  });
}
