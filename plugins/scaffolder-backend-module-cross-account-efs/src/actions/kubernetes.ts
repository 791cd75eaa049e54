import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  directoryPermsSchema,
  driverVersionSchema,
  gidRangeSchema,
  namespaceSchema,
  storageClassNameSchema,
} from '@internal/plugin-cross-account-efs-common';
import { planKubernetesStorage } from '@internal/plugin-cross-account-efs-node';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import { discoveredNetworks, requestId } from './inputProperties';
import { examples } from './kubernetes.examples';
import { plan } from './outputProperties';

const inputShape = {
  ...discoveredNetworks,
  requestId,
  efsAccessRoleArn: () =>
    z
      .string()
      .regex(
        /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        'must be an IAM role ARN, such as arn:aws:iam::111111111111:role/efs-csi-x-account-222222222222-apps-cluster (output efsAccessRoleArn of cross-account-efs:iam)',
      )
      .describe(
        'The role in the file system account, as output by cross-account-efs:iam (output `efsAccessRoleArn`)',
      ),
  storageClassName: () =>
    storageClassNameSchema.describe(
      'Name of the StorageClass that application teams put in their claims',
    ),
  directoryPerms: () =>
    directoryPermsSchema
      .default('700')
      .describe(
        'Mode of the directory made for each volume, as a quoted octal string. Each volume gets its own access point whose POSIX user owns the directory, so "700" suits one workload per volume',
      ),
  gidRange: () =>
    gidRangeSchema
      .optional()
      .describe(
        "POSIX gids the driver hands out to access points. Default: the driver's (50000-7000000)",
      ),
  basePath: () =>
    z
      .string()
      .regex(/^\/[\w./-]*$/, 'must be an absolute path, such as /teams/a')
      .optional()
      .describe('Directory on the file system under which volumes are made'),
  reclaimPolicy: () =>
    z
      .enum(['Delete', 'Retain'], {
        errorMap: () => ({ message: "must be 'Delete' or 'Retain'" }),
      })
      .default('Delete')
      .describe(
        'What happens to the access point when a claim is deleted (the directory and its data stay either way)',
      ),
  namespace: () =>
    namespaceSchema
      .optional()
      .describe(
        'Namespace for the workloads (created if missing) and for the test claim',
      ),
  verify: () =>
    z
      .boolean()
      .default(false)
      .describe(
        'Create a test claim (kept, for health checks) and a short-lived pod that writes to it; fail if the claim does not bind',
      ),
  replaceStorageClass: () =>
    z
      .boolean()
      .default(false)
      .describe(
        'If a StorageClass of that name exists and differs, delete and re-create it, but only while no PersistentVolume uses it',
      ),
  driverVersion: () =>
    driverVersionSchema
      .optional()
      .describe(
        'Driver version, as output by cross-account-efs:csi-driver; the version running in the cluster wins',
      ),
};

/** Seed steps 10.6 and 11. */
export function createKubernetesAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:kubernetes',
    description:
      "Writes, in the cluster (configured as for the Kubernetes plugin): the x-account secret in the driver's namespace (role ARN, crossaccount, and the external id read from the role's trust; never logged or output), and a StorageClass made for the installed driver version (no crossaccount mount option on v3+). A differing StorageClass is never changed silently: the step fails with the differences and the way out. Optionally a namespace, and a test claim with a pod that writes to it.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
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
            .describe('The test claim, when verify is on'),
        plan,
      },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      const result = await ensureLayer(deps, ctx, input, (engine, t) =>
        planKubernetesStorage(engine, t, input),
      );
      if (result) {
        ctx.output('storageClassName', result.storageClassName);
        ctx.output('driverVersion', result.driverVersion);
        if (result.testClaim) ctx.output('testClaim', result.testClaim);
      }
    },
  });
}
