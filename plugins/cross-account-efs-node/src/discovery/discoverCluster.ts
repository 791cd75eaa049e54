import {
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterNetwork,
  ClusterRef,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import type { EngineContext } from '../engine/types';
import {
  routeTablesForSubnets,
  vpcCidrsAndDnsServers,
  vpcRouteTables,
} from './vpcFacts';

/**
 * Seed step 3: the cluster's VPC and CIDRs, its cluster security group, the
 * subnets its control plane and managed node groups use (with AZ ids), their
 * route tables, the OIDC issuer and the VPC's DNS attributes. Read-only.
 *
 * @public
 */
export async function discoverCluster(
  ctx: EngineContext,
  ref: ClusterRef,
): Promise<ClusterNetwork> {
  const eks = ctx.aws.eks(ref);
  const ec2 = ctx.aws.ec2(ref);

  let cluster;
  try {
    ({ cluster } = await eks.send(
      new DescribeClusterCommand({ name: ref.clusterName }),
    ));
  } catch (e) {
    if (!isAwsError(e, 'ResourceNotFoundException')) throw e;
  }
  if (!cluster?.resourcesVpcConfig?.vpcId) {
    throw new NotFoundError(
      `cluster.clusterName: no EKS cluster ${ref.clusterName} in account ${ref.accountId}, region ${ref.region}. Check the name and region on the cluster's catalog entity.`,
    );
  }
  const vpcConfig = cluster.resourcesVpcConfig;
  const vpcId = vpcConfig.vpcId!;

  // Everything else needs only the VPC, so it is read side by side.
  const [subnetIds, vpcSubnets, dnsSupport, dnsHostnames, vpc, tables] =
    await Promise.all([
      nodeSubnetIds(eks, ref.clusterName, vpcConfig.subnetIds ?? []),
      // The VPC's subnets in one call: node groups' subnets are in the cluster's VPC.
      ec2.send(
        new DescribeSubnetsCommand({
          Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
        }),
      ),
      ec2.send(
        new DescribeVpcAttributeCommand({
          VpcId: vpcId,
          Attribute: 'enableDnsSupport',
        }),
      ),
      ec2.send(
        new DescribeVpcAttributeCommand({
          VpcId: vpcId,
          Attribute: 'enableDnsHostnames',
        }),
      ),
      vpcCidrsAndDnsServers(ec2, vpcId),
      vpcRouteTables(ec2, vpcId),
    ]);
  const subnets = (vpcSubnets.Subnets ?? [])
    .filter(s => subnetIds.has(s.SubnetId!))
    .map(s => ({
      subnetId: s.SubnetId!,
      azId: s.AvailabilityZoneId!,
      azName: s.AvailabilityZone!,
    }))
    .sort((a, b) => a.subnetId.localeCompare(b.subnetId));

  return {
    accountId: ref.accountId,
    region: ref.region,
    clusterName: ref.clusterName,
    kubernetesVersion: cluster.version,
    vpcId,
    vpcCidrs: vpc.cidrs,
    clusterSecurityGroupId: vpcConfig.clusterSecurityGroupId!,
    subnets,
    routeTableIds: routeTablesForSubnets(tables, [...subnetIds]),
    oidcIssuer: cluster.identity?.oidc?.issuer,
    dnsSupport: dnsSupport.EnableDnsSupport?.Value === true,
    dnsHostnames: dnsHostnames.EnableDnsHostnames?.Value === true,
    dnsServers: vpc.dnsServers,
  };
}

/** The subnets pods can run in: the control plane's and every managed node group's. */
async function nodeSubnetIds(
  eks: EKSClient,
  clusterName: string,
  controlPlaneSubnetIds: string[],
): Promise<Set<string>> {
  const subnetIds = new Set(controlPlaneSubnetIds);
  const { nodegroups = [] } = await eks.send(
    new ListNodegroupsCommand({ clusterName }),
  );
  const described = await Promise.all(
    nodegroups.map(nodegroupName =>
      eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName })),
    ),
  );
  for (const { nodegroup } of described) {
    for (const subnetId of nodegroup?.subnets ?? []) subnetIds.add(subnetId);
  }
  return subnetIds;
}
