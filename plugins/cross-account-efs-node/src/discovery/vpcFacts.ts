import {
  DescribeDhcpOptionsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
  RouteTable,
  Vpc,
} from '@aws-sdk/client-ec2';

/** IPv4 CIDR blocks associated with a VPC, primary and secondary. */
export async function vpcCidrs(
  ec2: EC2Client,
  vpcId: string,
): Promise<string[]> {
  return cidrsOf(await describeVpc(ec2, vpcId));
}

async function describeVpc(
  ec2: EC2Client,
  vpcId: string,
): Promise<Vpc | undefined> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  return Vpcs?.[0];
}

/** A cluster VPC's CIDR blocks and the DNS servers its nodes are given. */
export async function vpcCidrsAndDnsServers(ec2: EC2Client, vpcId: string) {
  const vpc = await describeVpc(ec2, vpcId);
  return { cidrs: cidrsOf(vpc), dnsServers: await vpcDnsServers(ec2, vpc) };
}

/** The DNS servers a VPC's DHCP options set; the default set is the VPC resolver. */
export async function vpcDnsServers(
  ec2: EC2Client,
  vpc: Vpc | undefined,
): Promise<string[]> {
  const id = vpc?.DhcpOptionsId;
  if (!id || id === 'default') return ['AmazonProvidedDNS'];
  const { DhcpOptions = [] } = await ec2.send(
    new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [id] }),
  );
  const servers = DhcpOptions[0]?.DhcpConfigurations?.find(
    c => c.Key === 'domain-name-servers',
  )?.Values?.map(v => v.Value!);
  // No domain-name-servers: instances get no DNS server from DHCP at all.
  return servers ?? [];
}

function cidrsOf(vpc: Vpc | undefined): string[] {
  const associated = (vpc?.CidrBlockAssociationSet ?? [])
    .filter(a => a.CidrBlockState?.State === 'associated' && a.CidrBlock)
    .map(a => a.CidrBlock!);
  if (associated.length > 0) return associated;
  return vpc?.CidrBlock ? [vpc.CidrBlock] : [];
}

/**
 * Every route table of a VPC, in one call. Discovery and the routes layer
 * ask the same way, so a sweep reads each VPC's tables once.
 */
export async function vpcRouteTables(
  ec2: EC2Client,
  vpcId: string,
): Promise<RouteTable[]> {
  const { RouteTables = [] } = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
    }),
  );
  return RouteTables;
}

/** The route table each subnet uses: its explicit association, or the VPC's main table. */
export function routeTablesForSubnets(
  tables: RouteTable[],
  subnetIds: string[],
): string[] {
  const explicit = new Map<string, string>();
  let main: string | undefined;
  for (const table of tables) {
    for (const association of table.Associations ?? []) {
      if (association.Main) main = table.RouteTableId;
      else if (association.SubnetId)
        explicit.set(association.SubnetId, table.RouteTableId!);
    }
  }
  const ids = new Set<string>();
  for (const subnetId of subnetIds) {
    const id = explicit.get(subnetId) ?? main;
    if (id) ids.add(id);
  }
  return [...ids].sort();
}
