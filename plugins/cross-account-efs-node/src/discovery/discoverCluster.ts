import {
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterNetwork,
  ClusterRef,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import type { EngineContext } from '../engine/types';
import { routeTablesForSubnets, vpcCidrs } from './vpcFacts';

/**
 * Seed step 3: the cluster's VPC and CIDRs, its cluster security group, the
 * subnets its control plane and managed node groups use (with AZ ids), their
 * route tables, the OIDC issuer and the VPC's DNS attributes. Read-only.
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

  // Nodes can run in subnets other than the control plane's.
  const subnetIds = new Set(vpcConfig.subnetIds ?? []);
  const { nodegroups = [] } = await eks.send(
    new ListNodegroupsCommand({ clusterName: ref.clusterName }),
  );
  const described = await Promise.all(
    nodegroups.map(nodegroupName =>
      eks.send(
        new DescribeNodegroupCommand({
          clusterName: ref.clusterName,
          nodegroupName,
        }),
      ),
    ),
  );
  for (const { nodegroup } of described) {
    for (const subnetId of nodegroup?.subnets ?? []) subnetIds.add(subnetId);
  }

  const { Subnets = [] } = await ec2.send(
    new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] }),
  );
  const subnets = Subnets.map(s => ({
    subnetId: s.SubnetId!,
    azId: s.AvailabilityZoneId!,
    azName: s.AvailabilityZone!,
  })).sort((a, b) => a.subnetId.localeCompare(b.subnetId));

  const [dnsSupport, dnsHostnames] = await Promise.all([
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
  ]);

  return {
    accountId: ref.accountId,
    region: ref.region,
    clusterName: ref.clusterName,
    kubernetesVersion: cluster.version,
    vpcId,
    vpcCidrs: await vpcCidrs(ec2, vpcId),
    clusterSecurityGroupId: vpcConfig.clusterSecurityGroupId!,
    subnets,
    routeTableIds: await routeTablesForSubnets(ec2, vpcId, [...subnetIds]),
    oidcIssuer: cluster.identity?.oidc?.issuer,
    dnsSupport: dnsSupport.EnableDnsSupport?.Value === true,
    dnsHostnames: dnsHostnames.EnableDnsHostnames?.Value === true,
  };
}
