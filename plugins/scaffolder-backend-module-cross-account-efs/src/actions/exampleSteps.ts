/** Steps the examples of the mutating actions start from: preflight outputs both sides. */
export const preflightStep = {
  id: 'preflight',
  action: 'cross-account-efs:preflight',
  name: 'Preflight checks',
  input: {
    fileSystem: {
      accountId: '111111111111',
      region: 'us-west-2',
      fileSystemId: 'fs-66b4be25',
    },
    cluster: {
      accountId: '222222222222',
      region: 'us-west-2',
      clusterName: 'apps-cluster',
    },
  },
};

export const bothSides = {
  fileSystem: '${{ steps.preflight.output.fileSystem }}',
  cluster: '${{ steps.preflight.output.cluster }}',
};

export const peeringStep = {
  id: 'peering',
  action: 'cross-account-efs:peering',
  name: 'Peer the VPCs',
  input: bothSides,
};

export const iamStep = {
  id: 'iam',
  action: 'cross-account-efs:iam',
  name: 'IAM roles and file system policy',
  input: bothSides,
};

export const csiDriverStep = {
  id: 'csiDriver',
  action: 'cross-account-efs:csi-driver',
  name: 'EFS CSI driver add-on',
  input: {
    ...bothSides,
    csiDriverRoleArn: '${{ steps.iam.output.csiDriverRoleArn }}',
  },
};
