import {
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
  RouteTable,
} from '@aws-sdk/client-ec2';

/** IPv4 CIDR blocks associated with a VPC, primary and secondary. */
export async function vpcCidrs(
  ec2: EC2Client,
  vpcId: string,
): Promise<string[]> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  const vpc = Vpcs?.[0];
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
