import {
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateTransitGatewayCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcPeeringConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { independent } from '@internal/sandbox';
import {
  connectNetwork,
  disconnectNetwork,
  EmulatorEngine,
  sandboxClusterOptions,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { layerOf } from '../layers';
import { planConnection } from './planConnection';
import { discoverTopology } from './prepareConnection';
import { recommendConnectivity } from './recommendConnectivity';
import type { Topology } from './types';

jest.setTimeout(180_000);

const existing = {
  connectivity: 'existing' as const,
  nfsIngressMode: 'cidr' as const,
};
const NETWORK_LAYERS = ['peering', 'routes', 'nfs-ingress'] as const;

/**
 * What a network team's Transit Gateway leaves in each VPC: every route
 * table sends the other VPC's range to the gateway. One gateway per account
 * stands in for a gateway shared through RAM (the emulator keeps a route's
 * gateway in the table's own account); the VPC route tables, which is all
 * this mode reads, look the same.
 */
async function routeThroughTransitGateways(t: Topology) {
  const tgws: string[] = [];
  for (const [side, other] of [
    [t.cluster, t.fileSystem],
    [t.fileSystem, t.cluster],
  ] as const) {
    const { ec2 } = independent(side.accountId);
    const { TransitGateway } = await ec2.send(
      new CreateTransitGatewayCommand({ Description: 'network team hub' }),
    );
    tgws.push(TransitGateway!.TransitGatewayId!);
    for (const RouteTableId of side.routeTableIds) {
      for (const DestinationCidrBlock of other.vpcCidrs) {
        await ec2.send(
          new CreateRouteCommand({
            RouteTableId,
            DestinationCidrBlock,
            TransitGatewayId: TransitGateway!.TransitGatewayId,
          }),
        );
      }
    }
  }
  return tgws;
}

/** The network team's NFS rule: a broad range, not the cluster's exact CIDR. */
async function allowNfsFromPrivateRanges(t: Topology) {
  await independent(t.fileSystem.accountId).ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: t.fileSystem.mountTargets[0].securityGroupIds[0],
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 2049,
          ToPort: 2049,
          IpRanges: [{ CidrIp: '10.0.0.0/8' }],
        },
      ],
    }),
  );
}

/** Peerings, every route of both VPCs, and every ingress rule, read independently. */
async function networkState(t: Topology) {
  const eks = independent(t.cluster.accountId).ec2;
  const efs = independent(t.fileSystem.accountId).ec2;
  const routes = async (ec2: typeof eks, vpcId: string) => {
    const { RouteTables = [] } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
      }),
    );
    return RouteTables.flatMap(rt =>
      (rt.Routes ?? []).map(
        r =>
          `${rt.RouteTableId} ${r.DestinationCidrBlock} ${
            r.TransitGatewayId ?? r.VpcPeeringConnectionId ?? r.GatewayId
          } ${r.State}`,
      ),
    ).sort();
  };
  const { VpcPeeringConnections = [] } = await eks.send(
    new DescribeVpcPeeringConnectionsCommand({}),
  );
  const { SecurityGroupRules = [] } = await efs.send(
    new DescribeSecurityGroupRulesCommand({}),
  );
  return {
    peerings: VpcPeeringConnections.map(p => p.Status?.Code),
    routes: [
      ...(await routes(eks, t.cluster.vpcId)),
      ...(await routes(efs, t.fileSystem.vpcId)),
    ],
    rules: SecurityGroupRules.filter(r => !r.IsEgress)
      .map(r => `${r.GroupId} ${r.FromPort} ${r.CidrIpv4}`)
      .sort(),
  };
}

describe('existing connectivity against the AWS emulator (two accounts, routes through Transit Gateways)', () => {
  let engine: EmulatorEngine;

  beforeAll(async () => {
    engine = await startEmulatorEngine();
  });
  afterAll(() => engine?.stop());

  it('recommends a peering where nothing routes, and existing connectivity once every table reaches the other VPC through a Transit Gateway', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    expect(await recommendConnectivity(engine.context(), t)).toEqual({
      connectivity: 'peering',
      reason: expect.stringContaining('Nothing routes between the VPCs'),
    });
    const tgws = await routeThroughTransitGateways(t);
    const recommendation = await recommendConnectivity(engine.context(), t);
    expect(recommendation.connectivity).toBe('existing');
    for (const tgw of tgws) expect(recommendation.reason).toContain(tgw);
  });

  it('changes and removes nothing in the network layers: the DNS layer alone mutates, the network checks are ok, and a re-run makes no mutating call', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    await routeThroughTransitGateways(t);
    await allowNfsFromPrivateRanges(t);
    const before = await networkState(t);

    engine.counter.reset();
    await connectNetwork(engine.context(), sandboxSpec, existing);
    const first = [...engine.counter.calls];
    expect(first.filter(c => c.mutating && c.service !== 'route53')).toEqual(
      [],
    );
    expect(await networkState(t)).toEqual(before);

    const checks = (
      await Promise.all(
        NETWORK_LAYERS.map(id =>
          layerOf(id).check(engine.context(), t, existing),
        ),
      )
    ).flat();
    expect(checks.map(c => [c.layer, c.status])).toEqual([
      ['peering', 'ok'],
      ...t.cluster.routeTableIds.map(() => ['routes', 'ok']),
      ...t.fileSystem.routeTableIds.map(() => ['routes', 'ok']),
      ['nfs-ingress', 'ok'],
    ]);
    expect(checks[0].summary).toContain('mode existing');

    engine.counter.reset();
    await connectNetwork(engine.context(), sandboxSpec, existing);
    expect(engine.counter.mutating).toEqual([]);

    const removed = await disconnectNetwork(
      engine.context(),
      sandboxSpec,
      existing,
    );
    expect(new Set(removed.map(c => c.layer))).toEqual(new Set(['dns']));
    expect(await networkState(t)).toEqual(before);

    // Figures for the issue note.
    // eslint-disable-next-line no-console
    console.log(
      `existing mode, network layers: first run ${first.length} AWS calls (${
        first.filter(c => c.mutating).length
      } mutating, all Route 53), re-run 0 mutating`,
    );
  });

  it('names the route table that lost its route, and blocks provisioning on it before any mutation', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    await routeThroughTransitGateways(t);
    await allowNfsFromPrivateRanges(t);
    const [routeTableId] = t.cluster.routeTableIds;
    const destination = t.fileSystem.vpcCidrs[0];
    await independent(t.cluster.accountId).ec2.send(
      new DeleteRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: destination,
      }),
    );

    const routes = await layerOf('routes').check(engine.context(), t, existing);
    expect(routes.filter(r => r.status !== 'ok')).toEqual([
      expect.objectContaining({
        status: 'error',
        summary: `${routeTableId} (account ${t.cluster.accountId}) has no route to ${destination}.`,
        remedy: expect.stringContaining('Ask the owner of the network'),
      }),
    ]);

    engine.counter.reset();
    const plan = await planConnection(engine.context(), sandboxSpec, {
      ...sandboxClusterOptions,
      ...existing,
    });
    expect(plan.blockers).toEqual([
      expect.objectContaining({
        layer: 'routes',
        summary: `${routeTableId} (account ${t.cluster.accountId}) has no route to ${destination}.`,
      }),
    ]);
    expect(engine.counter.mutating).toEqual([]);
  });

  it('does not count the default route to the internet, or a missing NFS rule, as reachable', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    // The cluster's subnets reach the internet, and nothing else.
    const { ec2 } = independent(t.cluster.accountId);
    const { InternetGateway } = await ec2.send(
      new CreateInternetGatewayCommand({}),
    );
    const igw = InternetGateway!.InternetGatewayId!;
    await ec2.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: igw,
        VpcId: t.cluster.vpcId,
      }),
    );
    for (const RouteTableId of t.cluster.routeTableIds) {
      await ec2.send(
        new CreateRouteCommand({
          RouteTableId,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: igw,
        }),
      );
    }
    engine.counter.reset();
    const plan = await planConnection(engine.context(), sandboxSpec, {
      ...sandboxClusterOptions,
      ...existing,
    });
    const network = plan.blockers.filter(b => b.layer !== 'dns');
    expect(network.map(b => b.summary)).toEqual([
      ...t.cluster.routeTableIds.map(
        rt =>
          `${rt} (account ${t.cluster.accountId}) reaches ${t.fileSystem.vpcCidrs[0]} only by its default route to ${igw}: private addresses of the other VPC are not reachable that way.`,
      ),
      ...t.fileSystem.routeTableIds.map(
        rt =>
          `${rt} (account ${t.fileSystem.accountId}) has no route to ${t.cluster.vpcCidrs[0]}.`,
      ),
      expect.stringContaining('does not allow TCP 2049'),
    ]);
    expect(engine.counter.mutating).toEqual([]);
  });
});
