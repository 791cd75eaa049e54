import { z } from 'zod/v3';
import {
  accountIdSchema,
  clusterNameSchema,
  fileSystemIdSchema,
  regionSchema,
} from './fields';

/**
 * The file system side of a connection: where the EFS file system lives.
 *
 * @public
 */
export const fileSystemRefSchema = z.object({
  accountId: accountIdSchema.describe(
    'AWS account that owns the EFS file system',
  ),
  region: regionSchema.describe('Region of the EFS file system'),
  fileSystemId: fileSystemIdSchema.describe('EFS file system id'),
});
/** @public */
export type FileSystemRef = z.infer<typeof fileSystemRefSchema>;

/**
 * The cluster side of a connection: the EKS cluster that mounts the file system.
 *
 * @public
 */
export const clusterRefSchema = z.object({
  accountId: accountIdSchema.describe('AWS account that owns the EKS cluster'),
  region: regionSchema.describe('Region of the EKS cluster'),
  clusterName: clusterNameSchema.describe('EKS cluster name'),
  kubernetesId: z
    .string()
    .min(1)
    .max(253)
    .optional()
    .describe(
      "The cluster's name in the Kubernetes plugin's config (the entity's backstage.io/kubernetes-id), when it differs from the EKS name",
    ),
});
/** @public */
export type ClusterRef = z.infer<typeof clusterRefSchema>;

/**
 * One connection: a file system made mountable from one cluster.
 *
 * @public
 */
export const connectionSpecSchema = z.object({
  fileSystem: fileSystemRefSchema,
  cluster: clusterRefSchema,
});
/** @public */
export type ConnectionSpec = z.infer<typeof connectionSpecSchema>;

/**
 * A stable, readable key for a connection, used in tags and storage.
 *
 * @public
 */
export function connectionKey(spec: ConnectionSpec): string {
  return `${spec.fileSystem.fileSystemId}@${spec.fileSystem.accountId}/${spec.cluster.clusterName}@${spec.cluster.accountId}`;
}
