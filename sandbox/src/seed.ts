import {
  AssociateRouteTableCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  Tag,
} from '@aws-sdk/client-ec2';
import {
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
} from '@aws-sdk/client-efs';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateClusterCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { SANDBOX } from './layout';

/** What one seed run found or made, one line per resource. */
export interface SeedReport {
  created: string[];
  existing: string[];
  fileSystemId: string;
  clusterSecurityGroupId: string;
}

/** The emulator accepts any key pair; this one acts in the platform account. */
export const SANDBOX_PLATFORM_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'sandbox-platform',
  secretAccessKey: 'sandbox-platform',
};

/**
 * The `aws` app-config section for the portal on the sandbox, as an operator
 * would write it: the portal's identity assumes a role in each account.
 */
export function sandboxAwsIntegrationConfig() {
  return {
    mainAccount: {
      accessKeyId: SANDBOX_PLATFORM_CREDENTIALS.accessKeyId,
      secretAccessKey: SANDBOX_PLATFORM_CREDENTIALS.secretAccessKey,
      region: SANDBOX.region,
    },
    accountDefaults: {
      roleName: SANDBOX.portalRoleName,
      region: SANDBOX.region,
    },
  };
}

const SEEDED_BY = { Key: 'sandbox:seeded-by', Value: 'cross-account-efs' };

function nameTags(name: string): Tag[] {
  return [{ Key: 'Name', Value: name }, SEEDED_BY];
}

type Recorder = (what: string, created: boolean) => void;

/** SDK client config for one sandbox account, through a role in it (the admin role by default). */
export function sandboxClientConfig(
  endpoint: string,
  accountId: string,
  roleName: string = SANDBOX.adminRoleName,
) {
  return {
    region: SANDBOX.region,
    endpoint,
    credentials: fromTemporaryCredentials({
      masterCredentials: SANDBOX_PLATFORM_CREDENTIALS,
      params: {
        RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
        RoleSessionName: 'sandbox',
      },
      clientConfig: { region: SANDBOX.region, endpoint },
    }),
  };
}

async function ensureVpc(
  ec2: EC2Client,
  name: string,
  cidr: string,
  record: Recorder,
): Promise<string> {
  const found = await ec2.send(
    new DescribeVpcsCommand({
      Filters: [{ Name: 'tag:Name', Values: [name] }],
    }),
  );
  let vpcId = found.Vpcs?.[0]?.VpcId;
  record(`vpc ${name} ${cidr}`, !vpcId);
  if (!vpcId) {
    const created = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: cidr,
        TagSpecifications: [{ ResourceType: 'vpc', Tags: nameTags(name) }],
      }),
    );
    vpcId = created.Vpc!.VpcId!;
  }
  // Private hosted zones only resolve in a VPC with both DNS attributes on.
  for (const attribute of ['enableDnsSupport', 'enableDnsHostnames'] as const) {
    const current = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute }),
    );
    const value =
      attribute === 'enableDnsSupport'
        ? current.EnableDnsSupport?.Value
        : current.EnableDnsHostnames?.Value;
    if (!value) {
      await ec2.send(
        new ModifyVpcAttributeCommand({
          VpcId: vpcId,
          [attribute === 'enableDnsSupport'
            ? 'EnableDnsSupport'
            : 'EnableDnsHostnames']: { Value: true },
        }),
      );
    }
  }
  return vpcId;
}

async function ensureSubnets(
  ec2: EC2Client,
  vpcId: string,
  subnets: ReadonlyArray<{ name: string; az: string; cidr: string }>,
  record: Recorder,
): Promise<string[]> {
  const ids: string[] = [];
  for (const subnet of subnets) {
    const found = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'cidr-block', Values: [subnet.cidr] },
        ],
      }),
    );
    let subnetId = found.Subnets?.[0]?.SubnetId;
    record(`subnet ${subnet.name} ${subnet.cidr} ${subnet.az}`, !subnetId);
    if (!subnetId) {
      const created = await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: subnet.cidr,
          AvailabilityZone: subnet.az,
          TagSpecifications: [
            { ResourceType: 'subnet', Tags: nameTags(subnet.name) },
          ],
        }),
      );
      subnetId = created.Subnet!.SubnetId!;
    }
    ids.push(subnetId);
  }
  return ids;
}

async function ensureRouteTable(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  subnetIds: string[],
  record: Recorder,
): Promise<string> {
  const found = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'tag:Name', Values: [name] },
      ],
    }),
  );
  let table = found.RouteTables?.[0];
  record(`route table ${name}`, !table);
  if (!table) {
    const created = await ec2.send(
      new CreateRouteTableCommand({
        VpcId: vpcId,
        TagSpecifications: [
          { ResourceType: 'route-table', Tags: nameTags(name) },
        ],
      }),
    );
    table = created.RouteTable!;
  }
  const associated = new Set(
    (table.Associations ?? []).map(a => a.SubnetId).filter(Boolean),
  );
  for (const subnetId of subnetIds) {
    if (!associated.has(subnetId)) {
      await ec2.send(
        new AssociateRouteTableCommand({
          RouteTableId: table.RouteTableId!,
          SubnetId: subnetId,
        }),
      );
    }
  }
  return table.RouteTableId!;
}

async function ensureSecurityGroup(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  description: string,
  extraTags: Tag[],
  record: Recorder,
): Promise<string> {
  const found = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [name] },
      ],
    }),
  );
  let groupId = found.SecurityGroups?.[0]?.GroupId;
  record(`security group ${name}`, !groupId);
  if (!groupId) {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: name,
        Description: description,
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [...nameTags(name), ...extraTags],
          },
        ],
      }),
    );
    groupId = created.GroupId!;
  }
  return groupId;
}

async function ensureRole(
  iam: IAMClient,
  roleName: string,
  trustPolicy: object,
  description: string,
  record: Recorder,
): Promise<string> {
  try {
    const existing = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    record(`iam role ${roleName}`, false);
    return existing.Role!.Arn!;
  } catch (e) {
    if (!(e instanceof NoSuchEntityException)) throw e;
  }
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      Description: description,
      AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
      Tags: [SEEDED_BY],
    }),
  );
  record(`iam role ${roleName}`, true);
  return created.Role!.Arn!;
}

/**
 * The role the portal assumes in an account, trusted by the portal's own
 * identity only (never the platform account's root).
 */
async function ensurePortalRole(
  iam: IAMClient,
  portalPrincipalArn: string,
  record: Recorder,
) {
  await ensureRole(
    iam,
    SANDBOX.portalRoleName,
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: portalPrincipalArn },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    'Assumed by the developer portal to connect EFS file systems to EKS clusters',
    record,
  );
}

async function seedEfsAccount(
  endpoint: string,
  portalPrincipalArn: string,
  record: Recorder,
): Promise<string> {
  const layout = SANDBOX.efs;
  const config = sandboxClientConfig(endpoint, layout.accountId);
  const ec2 = new EC2Client(config);
  const efs = new EFSClient(config);
  const at = (what: string, created: boolean) =>
    record(`${layout.accountId} ${what}`, created);

  await ensurePortalRole(new IAMClient(config), portalPrincipalArn, at);
  const vpcId = await ensureVpc(ec2, layout.vpcName, layout.vpcCidr, at);
  const subnetIds = await ensureSubnets(ec2, vpcId, layout.subnets, at);
  await ensureRouteTable(ec2, vpcId, layout.routeTableName, subnetIds, at);
  const groupId = await ensureSecurityGroup(
    ec2,
    vpcId,
    layout.securityGroupName,
    'NFS access to the shared EFS mount targets',
    [],
    at,
  );

  const found = await efs.send(
    new DescribeFileSystemsCommand({ CreationToken: layout.creationToken }),
  );
  let fileSystemId = found.FileSystems?.[0]?.FileSystemId;
  if (!fileSystemId) {
    // Sandbox only: fix the emulator's random state so the id is reproducible.
    await fetch(`${endpoint}/moto-api/seed?a=${layout.fileSystemIdSeed}`, {
      method: 'POST',
    });
    const created = await efs.send(
      new CreateFileSystemCommand({
        CreationToken: layout.creationToken,
        PerformanceMode: 'generalPurpose',
        Encrypted: true,
        Tags: [{ Key: 'Name', Value: layout.fileSystemName }, SEEDED_BY],
      }),
    );
    fileSystemId = created.FileSystemId!;
  }
  at(
    `efs file system ${fileSystemId} (${layout.fileSystemName})`,
    !found.FileSystems?.length,
  );

  const mountTargets = await efs.send(
    new DescribeMountTargetsCommand({ FileSystemId: fileSystemId }),
  );
  const covered = new Set(
    (mountTargets.MountTargets ?? []).map(m => m.SubnetId),
  );
  for (const [i, subnetId] of subnetIds.entries()) {
    at(`efs mount target in ${layout.subnets[i].az}`, !covered.has(subnetId));
    if (!covered.has(subnetId)) {
      await efs.send(
        new CreateMountTargetCommand({
          FileSystemId: fileSystemId,
          SubnetId: subnetId,
          SecurityGroups: [groupId],
        }),
      );
    }
  }
  return fileSystemId;
}

/** An EKS cluster with the security group EKS would create for it. */
async function ensureCluster(
  clients: { ec2: EC2Client; eks: EKSClient },
  cluster: {
    clusterName: string;
    clusterSecurityGroupName: string;
    kubernetesVersion: string;
    vpcId: string;
    subnetIds: string[];
    clusterRoleArn: string;
  },
  at: (what: string, created: boolean) => void,
): Promise<string> {
  const clusterSecurityGroupId = await ensureSecurityGroup(
    clients.ec2,
    cluster.vpcId,
    cluster.clusterSecurityGroupName,
    'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.',
    [{ Key: 'aws:eks:cluster-name', Value: cluster.clusterName }],
    at,
  );
  try {
    await clients.eks.send(
      new DescribeClusterCommand({ name: cluster.clusterName }),
    );
    at(`eks cluster ${cluster.clusterName}`, false);
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    await clients.eks.send(
      new CreateClusterCommand({
        name: cluster.clusterName,
        version: cluster.kubernetesVersion,
        roleArn: cluster.clusterRoleArn,
        resourcesVpcConfig: {
          subnetIds: cluster.subnetIds,
          securityGroupIds: [clusterSecurityGroupId],
        },
        tags: { [SEEDED_BY.Key]: SEEDED_BY.Value },
      }),
    );
    at(`eks cluster ${cluster.clusterName}`, true);
  }
  return clusterSecurityGroupId;
}

/**
 * Who may use the cluster's Kubernetes API (EKS access entries): the portal's
 * role, and the admin role kubectl signs in with. Both get cluster admin:
 * the engine writes cluster-scoped objects (StorageClass, namespaces), which
 * no narrower EKS access policy allows; RBAC through Kubernetes groups is
 * the narrower way, and the sandbox does not model RBAC.
 */
async function ensureClusterAccess(
  eks: EKSClient,
  clusterName: string,
  principalArn: string,
  at: (what: string, created: boolean) => void,
) {
  const what = `eks access entry ${clusterName} ${principalArn}`;
  try {
    await eks.send(
      new DescribeAccessEntryCommand({ clusterName, principalArn }),
    );
    at(what, false);
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    await eks.send(new CreateAccessEntryCommand({ clusterName, principalArn }));
    at(what, true);
  }
  await eks.send(
    new AssociateAccessPolicyCommand({
      clusterName,
      principalArn,
      policyArn:
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    }),
  );
}

async function seedEksAccount(
  endpoint: string,
  portalPrincipalArn: string,
  record: Recorder,
): Promise<string> {
  const layout = SANDBOX.eks;
  const config = sandboxClientConfig(endpoint, layout.accountId);
  const ec2 = new EC2Client(config);
  const iam = new IAMClient(config);
  const eks = new EKSClient(config);
  const at = (what: string, created: boolean) =>
    record(`${layout.accountId} ${what}`, created);

  await ensurePortalRole(iam, portalPrincipalArn, at);
  const vpcId = await ensureVpc(ec2, layout.vpcName, layout.vpcCidr, at);
  const subnetIds = await ensureSubnets(ec2, vpcId, layout.subnets, at);
  await ensureRouteTable(ec2, vpcId, layout.routeTableName, subnetIds, at);
  const clusterRoleArn = await ensureRole(
    iam,
    layout.clusterRoleName,
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    'EKS cluster service role',
    at,
  );
  const clusterSecurityGroupId = await ensureCluster(
    { ec2, eks },
    { ...layout, vpcId, subnetIds, clusterRoleArn },
    at,
  );
  for (const role of [SANDBOX.portalRoleName, SANDBOX.adminRoleName]) {
    await ensureClusterAccess(
      eks,
      layout.clusterName,
      `arn:aws:iam::${layout.accountId}:role/${role}`,
      at,
    );
  }
  // The legacy cluster, in its own VPC that overlaps the file system's.
  const legacy = layout.legacy;
  const legacyVpcId = await ensureVpc(ec2, legacy.vpcName, legacy.vpcCidr, at);
  const legacySubnetIds = await ensureSubnets(
    ec2,
    legacyVpcId,
    legacy.subnets,
    at,
  );
  await ensureRouteTable(
    ec2,
    legacyVpcId,
    legacy.routeTableName,
    legacySubnetIds,
    at,
  );
  await ensureCluster(
    { ec2, eks },
    {
      ...legacy,
      kubernetesVersion: layout.kubernetesVersion,
      vpcId: legacyVpcId,
      subnetIds: legacySubnetIds,
      clusterRoleArn,
    },
    at,
  );
  return clusterSecurityGroupId;
}

/**
 * Builds both sandbox accounts through the real AWS SDK, assuming an admin
 * role in each as an organisation's bootstrap would. Idempotent: every
 * resource is looked up first, so a second run creates nothing.
 */
export async function seedSandbox(endpoint: string): Promise<SeedReport> {
  const created: string[] = [];
  const existing: string[] = [];
  const record: Recorder = (what, isNew) =>
    (isNew ? created : existing).push(what);

  const sts = new STSClient({
    region: SANDBOX.region,
    endpoint,
    credentials: SANDBOX_PLATFORM_CREDENTIALS,
  });
  const portal = await sts.send(new GetCallerIdentityCommand({}));
  const fileSystemId = await seedEfsAccount(endpoint, portal.Arn!, record);
  const clusterSecurityGroupId = await seedEksAccount(
    endpoint,
    portal.Arn!,
    record,
  );
  return { created, existing, fileSystemId, clusterSecurityGroupId };
}
