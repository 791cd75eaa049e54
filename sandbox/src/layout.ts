/**
 * The sandbox's world: two accounts in one region, as a platform team would
 * have them before anyone asks for cross-account EFS. Everything the seed
 * creates is described here, so tests and catalog entities can refer to it.
 */
export const SANDBOX = {
  region: 'us-west-2',
  /** Where the portal's own identity lives (the emulator's default account). */
  platformAccountId: '123456789012',
  /** Role the portal assumes in each account (`aws.accountDefaults.roleName`). */
  portalRoleName: 'backstage-cross-account-efs',
  /** Role the seed assumes to build each account, as an org admin would. */
  adminRoleName: 'OrganizationAccountAccessRole',
  efs: {
    accountId: '111111111111',
    vpcName: 'shared-services',
    vpcCidr: '10.0.0.0/16',
    subnets: [
      {
        name: 'shared-services-private-a',
        az: 'us-west-2a',
        cidr: '10.0.1.0/24',
      },
      {
        name: 'shared-services-private-b',
        az: 'us-west-2b',
        cidr: '10.0.2.0/24',
      },
      {
        name: 'shared-services-private-c',
        az: 'us-west-2c',
        cidr: '10.0.3.0/24',
      },
    ],
    routeTableName: 'shared-services-private',
    securityGroupName: 'efs-mount-targets',
    fileSystemName: 'shared-efs',
    creationToken: 'sandbox-shared-efs',
    /**
     * The emulator draws ids at random; the seed fixes its random state just
     * before creating the file system, so the id is the same on every fresh
     * sandbox and the catalog entity in examples/ can name it.
     */
    fileSystemIdSeed: 1111,
    fileSystemId: 'fs-66b4be25',
  },
  eks: {
    accountId: '222222222222',
    vpcName: 'apps',
    vpcCidr: '10.1.0.0/16',
    subnets: [
      { name: 'apps-nodes-a', az: 'us-west-2a', cidr: '10.1.1.0/24' },
      { name: 'apps-nodes-b', az: 'us-west-2b', cidr: '10.1.2.0/24' },
      { name: 'apps-nodes-c', az: 'us-west-2c', cidr: '10.1.3.0/24' },
    ],
    routeTableName: 'apps-nodes',
    clusterName: 'apps-cluster',
    clusterRoleName: 'apps-cluster-role',
    clusterSecurityGroupName: 'eks-cluster-sg-apps-cluster',
    kubernetesVersion: '1.33',
    /**
     * A second cluster whose VPC reuses the shared-services range
     * (10.0.0.0/16): peering cannot work, and preflight says so.
     */
    legacy: {
      vpcName: 'legacy',
      vpcCidr: '10.0.0.0/16',
      subnets: [
        { name: 'legacy-nodes-a', az: 'us-west-2a', cidr: '10.0.1.0/24' },
        { name: 'legacy-nodes-b', az: 'us-west-2b', cidr: '10.0.2.0/24' },
      ],
      routeTableName: 'legacy-nodes',
      clusterName: 'legacy-cluster',
      clusterSecurityGroupName: 'eks-cluster-sg-legacy-cluster',
    },
  },
} as const;

export type SandboxLayout = typeof SANDBOX;

/** The connection the sandbox is built for: its file system and its cluster. */
export const SANDBOX_CONNECTION = {
  fileSystem: {
    accountId: SANDBOX.efs.accountId,
    region: SANDBOX.region,
    fileSystemId: SANDBOX.efs.fileSystemId,
  },
  cluster: {
    accountId: SANDBOX.eks.accountId,
    region: SANDBOX.region,
    clusterName: SANDBOX.eks.clusterName,
  },
};
