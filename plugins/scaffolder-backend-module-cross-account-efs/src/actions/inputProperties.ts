import { z } from 'zod/v3';
import {
  clusterNetworkSchema,
  clusterRefSchema,
  fileSystemNetworkSchema,
  fileSystemRefSchema,
  peeringConnectionIdSchema,
  workloadIdentitySchema,
} from '@internal/plugin-cross-account-efs-common';

/** Input fragments shared by the actions, defined once. */
export const fileSystemRef = () =>
  fileSystemRefSchema.describe(
    'The EFS file system: account id, region and file system id',
  );

export const clusterRef = () =>
  clusterRefSchema.describe(
    'The EKS cluster: account id, region and cluster name',
  );

export const fileSystemNetwork = () =>
  fileSystemNetworkSchema.describe(
    "The file system's network, as output by cross-account-efs:efs:discover (output `fileSystem`)",
  );

export const clusterNetwork = () =>
  clusterNetworkSchema.describe(
    "The cluster's network, as output by cross-account-efs:eks:discover (output `cluster`)",
  );

export const peeringConnectionId = () =>
  peeringConnectionIdSchema.describe(
    'The VPC peering connection, as output by cross-account-efs:peering (output `peeringConnectionId`)',
  );

/** Both sides as discovered: the input of every mutating action. */
export const discoveredNetworks = {
  fileSystem: fileSystemNetwork,
  cluster: clusterNetwork,
};

export const workloadIdentity = () =>
  workloadIdentitySchema
    .default('irsa')
    .describe(
      "How the driver's pods get their AWS identity: irsa (IAM roles for service accounts, through the cluster's OIDC provider) or pod-identity (EKS Pod Identity)",
    );

export const requestId = () =>
  z
    .string()
    .uuid('must be the id of a connection request (a UUID)')
    .optional()
    .describe(
      'The approved connection request this runs for. Required where the portal enforces approvals (the default): the action refuses, before any AWS call, unless that request was approved by someone other than its requester and names the same file system and cluster',
    );
