import {
  clusterNetworkSchema,
  clusterRefSchema,
  fileSystemNetworkSchema,
  fileSystemRefSchema,
  peeringConnectionIdSchema,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

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
