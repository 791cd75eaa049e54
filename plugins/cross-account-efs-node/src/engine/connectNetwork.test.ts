import {
  CreateRouteCommand,
  CreateTransitGatewayCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import { independent, SANDBOX } from '@internal/sandbox';
import type { ClientMiddleware } from '../aws/AwsClients';
import {
  EmulatorEngine,
  sandboxSpec,
  startEmulatorEngine,
  connectNetwork,
  disconnectNetwork,
  sandboxClusterOptions,
} from '../__testUtils__/emulatorEngine';
import { discoverCluster } from '../discovery/discoverCluster';
import { discoverFileSystem } from '../discovery/discoverFileSystem';
import { planConnection, removeConnection } from './planConnection';
import { discoverTopology } from './prepareConnection';

jest.setTimeout(180_000);

/** A route someone else made: a range of a table sent to a new Transit Gateway. */
async function routeToTransitGateway(
  accountId: string,
  routeTableId: string,
  destination: string,
) {
  const ec2 = independent(accountId).ec2;
  const { TransitGateway } = await ec2.send(
    new CreateTransitGatewayCommand({ Description: 'network team hub' }),
  );
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: routeTableId,
      DestinationCidrBlock: destination,
      TransitGatewayId: TransitGateway!.TransitGatewayId,
    }),
  );
  return TransitGateway!.TransitGatewayId!;
}

/** Everything the network layers leave behind, read independently. */
async function observedState(clusterVpcId: string, fileSystemVpcId: string) {
  const eks = independent(SANDBOX.eks.accountId);
  const efs = independent(SANDBOX.efs.accountId);
  const { VpcPeeringConnections = [] } = await eks.ec2.send(
    new DescribeVpcPeeringConnectionsCommand({
      Filters: [{ Name: 'requester-vpc-info.vpc-id', Values: [clusterVpcId] }],
    }),
  );
  const peerings = VpcPeeringConnections.filter(
    p => p.Status?.Code !== 'deleted',
  ).map(p => ({
    status: p.Status?.Code,
    accepterVpc: p.AccepterVpcInfo?.VpcId,
  }));
  const peeringRoutes = async (ec2: EC2Client, vpcId: string) => {
    const { RouteTables = [] } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
      }),
    );
    return RouteTables.flatMap(t =>
      (t.Routes ?? [])
        .filter(r => r.VpcPeeringConnectionId)
        .map(r => `${t.RouteTableId} ${r.DestinationCidrBlock} ${r.State}`),
    ).sort();
  };
  const { SecurityGroupRules = [] } = await efs.ec2.send(
    new DescribeSecurityGroupRulesCommand({}),
  );
  const nfsRules = SecurityGroupRules.filter(
    r => !r.IsEgress && r.FromPort === 2049,
  ).map(r => `${r.GroupId} ${r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId}`);
  const { HostedZoneSummaries = [] } = await eks.r53.send(
    new ListHostedZonesByVPCCommand({
      VPCId: clusterVpcId,
      VPCRegion: SANDBOX.region,
    }),
  );
  const zones = [];
  for (const z of HostedZoneSummaries) {
    // The zone is read where it lives: the file system's account.
    const owner = independent(z.Owner?.OwningAccount ?? SANDBOX.eks.accountId);
    const { ResourceRecordSets = [] } = await owner.r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: z.HostedZoneId }),
    );
    const a = ResourceRecordSets.filter(r => r.Type === 'A').map(r =>
      r.ResourceRecords?.map(v => v.Value).join(','),
    );
    zones.push(
      `${z.Name} A ${a.join(';')} (account ${z.Owner?.OwningAccount})`,
    );
  }
  return {
    peerings,
    clusterRoutes: await peeringRoutes(eks.ec2, clusterVpcId),
    fileSystemRoutes: await peeringRoutes(efs.ec2, fileSystemVpcId),
    nfsRules,
    zones: zones.sort(),
  };
}

/** Lets `after` mutating calls through, then loses the next response, as a crash would. */
function crashAfterMutations(after: number): ClientMiddleware {
  let seen = 0;
  return () => ({
    applyToStack: stack =>
      stack.add(
        (next, context) => async args => {
          const result = await next(args);
          const mutating = !/^(Describe|List|Get)/.test(
            String(context.commandName),
          );
          if (mutating && ++seen > after) {
            throw new Error(`simulated crash after ${after} mutating calls`);
          }
          return result;
        },
        { step: 'initialize', name: 'crashAfterMutations' },
      ),
  });
}

describe('network layers against the AWS emulator (two accounts)', () => {
  let engine: EmulatorEngine;

  beforeAll(async () => {
    engine = await startEmulatorEngine();
  });
  afterAll(() => engine?.stop());

  /** The seeded sandbox plus whatever the layers added, read independently. */
  async function observedStateOfSandbox() {
    const ctx = engine.context();
    const cluster = await discoverCluster(ctx, sandboxSpec.cluster);
    const fileSystem = await discoverFileSystem(ctx, sandboxSpec.fileSystem);
    return {
      cluster,
      fileSystem,
      layers: await observedState(cluster.vpcId, fileSystem.vpcId),
    };
  }

  it('connects the VPCs, and a second run makes no mutating call', async () => {
    const started = Date.now();
    const first = await connectNetwork(engine.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    const firstMs = Date.now() - started;
    const { cluster, fileSystem } = first.topology;
    const firstCalls = [...engine.counter.calls];

    const state = await observedState(cluster.vpcId, fileSystem.vpcId);
    expect(state.peerings).toEqual([
      { status: 'active', accepterVpc: fileSystem.vpcId },
    ]);
    expect(state.clusterRoutes).toEqual([
      `${cluster.routeTableIds[0]} ${SANDBOX.efs.vpcCidr} active`,
    ]);
    expect(state.fileSystemRoutes).toEqual([
      `${fileSystem.routeTableIds[0]} ${SANDBOX.eks.vpcCidr} active`,
    ]);
    expect(state.nfsRules).toEqual([
      `${fileSystem.mountTargets[0].securityGroupIds[0]} ${SANDBOX.eks.vpcCidr}`,
    ]);
    expect(state.zones).toEqual(
      fileSystem.mountTargets
        .map(
          m =>
            `${m.azId}.${SANDBOX.efs.fileSystemId}.efs.${SANDBOX.region}.amazonaws.com. A ${m.ipAddress} (account ${SANDBOX.efs.accountId})`,
        )
        .sort(),
    );

    engine.counter.reset();
    const again = Date.now();
    await connectNetwork(engine.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    const againMs = Date.now() - again;
    expect(engine.counter.mutating).toEqual([]);
    expect(await observedState(cluster.vpcId, fileSystem.vpcId)).toEqual(state);

    // Figures for the issue note.
    const mutating = firstCalls.filter(c => c.mutating).length;
    // eslint-disable-next-line no-console
    console.log(
      `network run: ${firstCalls.length} AWS calls (${mutating} mutating, ${
        firstCalls.length - mutating
      } read) in ${firstMs} ms; re-run: ${
        engine.counter.calls.length
      } calls, 0 mutating, in ${againMs} ms`,
    );
  });

  it('reaches the same end state, without duplicates, when a run dies after any mutating call', async () => {
    await engine.reset();
    const clean = await connectNetwork(engine.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    const expected = await observedState(
      clean.topology.cluster.vpcId,
      clean.topology.fileSystem.vpcId,
    );
    const mutations = engine.counter.mutating.length;
    expect(mutations).toBeGreaterThan(5);

    for (let crashAfter = 1; crashAfter < mutations; crashAfter++) {
      await engine.reset();
      await expect(
        connectNetwork(
          engine.context([crashAfterMutations(crashAfter)]),
          sandboxSpec,
          { nfsIngressMode: 'cidr' },
        ),
      ).rejects.toThrow('simulated crash');
      const resumed = await connectNetwork(engine.context(), sandboxSpec, {
        nfsIngressMode: 'cidr',
      });
      const state = await observedState(
        resumed.topology.cluster.vpcId,
        resumed.topology.fileSystem.vpcId,
      );
      // Ids differ per reset; compare shapes with the ids normalised.
      const normalise = (s: unknown) =>
        JSON.stringify(s).replace(/(rtb|sg|vpc)-[0-9a-f]+/g, '$1-x');
      expect(normalise(state)).toEqual(normalise(expected));
    }
  });

  it('removes, in reverse order, everything it made and nothing else; its dry run shows that plan and changes nothing', async () => {
    await engine.reset();
    const before = await observedStateOfSandbox();
    await connectNetwork(engine.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    const provisioned = await observedStateOfSandbox();
    engine.counter.reset();
    const planned = await removeConnection(
      engine.context(),
      sandboxSpec,
      { nfsIngressMode: 'cidr' },
      { dryRun: true, layers: ['peering', 'routes', 'nfs-ingress', 'dns'] },
    );
    expect(engine.counter.mutating).toEqual([]);
    expect(await observedStateOfSandbox()).toEqual(provisioned);
    const removed = await disconnectNetwork(engine.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    expect(removed.map(r => `${r.layer} ${r.action} ${r.resource}`)).toEqual([
      'dns delete route53-vpc-association',
      'dns delete route53-private-hosted-zone',
      'dns delete route53-vpc-association',
      'dns delete route53-private-hosted-zone',
      'dns delete route53-vpc-association',
      'dns delete route53-private-hosted-zone',
      'nfs-ingress delete security-group-rule',
      'routes delete route',
      'routes delete route',
      'peering delete vpc-peering-connection',
    ]);
    expect(removed).toEqual(planned);
    expect(await observedStateOfSandbox()).toEqual(before);
    // Removing again finds nothing to remove.
    engine.counter.reset();
    await expect(
      disconnectNetwork(engine.context(), sandboxSpec, {
        nfsIngressMode: 'cidr',
      }),
    ).resolves.toEqual([]);
    expect(engine.counter.mutating).toEqual([]);
  });

  it('refuses before any mutation when preflight finds a problem (cluster VPC without DNS hostnames)', async () => {
    await engine.reset();
    const { cluster } = await discoverTopology(engine.context(), sandboxSpec);
    await independent(SANDBOX.eks.accountId).ec2.send(
      new ModifyVpcAttributeCommand({
        VpcId: cluster.vpcId,
        EnableDnsHostnames: { Value: false },
      }),
    );
    engine.counter.reset();
    await expect(connectNetwork(engine.context(), sandboxSpec)).rejects.toThrow(
      /^Preflight found 1 problem\(s\):\n- cluster\.clusterName: .* has enableDnsHostnames off.* Fix: Turn on enableDnsHostnames/,
    );
    expect(engine.counter.mutating).toEqual([]);
  });

  it('refuses, before any mutation, a peering route that would take traffic off a broader Transit Gateway route; with acceptRouteTakeover it adds the route and leaves the broader one', async () => {
    await engine.reset();
    const { cluster, fileSystem } = await discoverTopology(
      engine.context(),
      sandboxSpec,
    );
    const ec2 = independent(SANDBOX.eks.accountId).ec2;
    const [routeTableId] = cluster.routeTableIds;
    const tgw = await routeToTransitGateway(
      SANDBOX.eks.accountId,
      routeTableId,
      '10.0.0.0/8',
    );
    engine.counter.reset();
    // The plan gate every provisioning step passes (and the approver reviews).
    const plan = await planConnection(engine.context(), sandboxSpec, {
      ...sandboxClusterOptions,
      nfsIngressMode: 'cidr',
    });
    expect(plan.blockers).toEqual([
      expect.objectContaining({
        layer: 'routes',
        summary: expect.stringContaining(
          `In route table ${routeTableId} (account ${SANDBOX.eks.accountId}), a route for ${fileSystem.vpcCidrs[0]} through the peering would take that traffic off 10.0.0.0/8 -> ${tgw}`,
        ),
        remedy: expect.stringContaining('acceptRouteTakeover'),
      }),
    ]);
    expect(engine.counter.mutating).toEqual([]);

    await connectNetwork(engine.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
      acceptRouteTakeover: true,
    });
    const { RouteTables = [] } = await ec2.send(
      new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }),
    );
    const routes = RouteTables[0].Routes ?? [];
    expect(
      routes.find(r => r.DestinationCidrBlock === fileSystem.vpcCidrs[0])
        ?.VpcPeeringConnectionId,
    ).toMatch(/^pcx-/);
    expect(
      routes.find(r => r.DestinationCidrBlock === '10.0.0.0/8')
        ?.TransitGatewayId,
    ).toBe(tgw);
  });

  it("refuses, before any mutation, when the file system VPC already routes part of the cluster's range elsewhere (an overlapping network), without suggesting to delete that route", async () => {
    await engine.reset();
    const { cluster, fileSystem } = await discoverTopology(
      engine.context(),
      sandboxSpec,
    );
    const [routeTableId] = fileSystem.routeTableIds;
    // Half of the cluster VPC's range is also an on-premises network.
    const [first, second] = cluster.vpcCidrs[0].split('.');
    const overlapping = `${first}.${second}.128.0/17`;
    const tgw = await routeToTransitGateway(
      SANDBOX.efs.accountId,
      routeTableId,
      overlapping,
    );
    engine.counter.reset();
    const plan = await planConnection(engine.context(), sandboxSpec, {
      ...sandboxClusterOptions,
      nfsIngressMode: 'cidr',
    });
    expect(plan.blockers).toEqual([
      {
        layer: 'routes',
        summary: `Route table ${routeTableId} in account ${SANDBOX.efs.accountId} sends part of ${cluster.vpcCidrs[0]} elsewhere: ${overlapping} -> ${tgw}. Those more specific routes win, so that part of the range would not go through the peering.`,
        remedy: expect.stringContaining(
          'Leave those routes to whoever uses them',
        ),
      },
    ]);
    expect(plan.blockers[0].remedy).not.toMatch(/remove|delete/i);
    expect(engine.counter.mutating).toEqual([]);
  });
});
