import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcPeeringConnectionsCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import { mountTargetZoneName } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { independent } from '@internal/sandbox';
import {
  connectNetwork,
  disconnectNetwork,
  EmulatorEngine,
  sandboxClusterOptions,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { planConnection } from './planConnection';
import { discoverTopology } from './prepareConnection';
import type { Topology } from './types';

jest.setTimeout(240_000);

const options = { nfsIngressMode: 'cidr' as const };

/** Seed steps 4-5 by hand, the other way round: the file system's account requests. */
async function peerByHand(t: Topology, accept: boolean) {
  const { VpcPeeringConnection } = await independent(
    t.fileSystem.accountId,
  ).ec2.send(
    new CreateVpcPeeringConnectionCommand({
      VpcId: t.fileSystem.vpcId,
      PeerVpcId: t.cluster.vpcId,
      PeerOwnerId: t.cluster.accountId,
      PeerRegion: t.cluster.region,
    }),
  );
  const id = VpcPeeringConnection!.VpcPeeringConnectionId!;
  if (accept) {
    await independent(t.cluster.accountId).ec2.send(
      new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }),
    );
  }
  return id;
}

/** Seed step 6 by hand: both sides route the other's range through the peering. */
async function routeByHand(t: Topology, peeringId: string) {
  for (const [side, other] of [
    [t.cluster, t.fileSystem],
    [t.fileSystem, t.cluster],
  ] as const) {
    for (const RouteTableId of side.routeTableIds) {
      for (const DestinationCidrBlock of other.vpcCidrs) {
        await independent(side.accountId).ec2.send(
          new CreateRouteCommand({
            RouteTableId,
            DestinationCidrBlock,
            VpcPeeringConnectionId: peeringId,
          }),
        );
      }
    }
  }
}

/** Seed step 7 by hand. */
async function allowNfsByHand(t: Topology) {
  await independent(t.fileSystem.accountId).ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: t.fileSystem.mountTargets[0].securityGroupIds[0],
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 2049,
          ToPort: 2049,
          IpRanges: t.cluster.vpcCidrs.map(CidrIp => ({ CidrIp })),
        },
      ],
    }),
  );
}

/** Seed step 8 as the seed does it: a zone per AZ id in the cluster's account, on its VPC. */
async function zonesByHand(t: Topology, ipOf = (ip: string) => ip) {
  const r53 = independent(t.cluster.accountId).r53;
  for (const mountTarget of t.fileSystem.mountTargets) {
    const Name = mountTargetZoneName(mountTarget.azId, t.spec);
    const { HostedZone } = await r53.send(
      new CreateHostedZoneCommand({
        Name,
        CallerReference: `by-hand-${Name}`,
        VPC: { VPCId: t.cluster.vpcId, VPCRegion: t.cluster.region as any },
        HostedZoneConfig: { PrivateZone: true },
      }),
    );
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: HostedZone!.Id,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name,
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: ipOf(mountTarget.ipAddress) }],
              },
            },
          ],
        },
      }),
    );
  }
}

/** Peerings, every route of both VPCs, every ingress rule, the cluster VPC's zones and their records. */
async function networkState(t: Topology) {
  const eks = independent(t.cluster.accountId);
  const efs = independent(t.fileSystem.accountId);
  const routes = async (ec2: typeof eks.ec2, vpcId: string) => {
    const { RouteTables = [] } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
      }),
    );
    return RouteTables.flatMap(rt =>
      (rt.Routes ?? []).map(
        r =>
          `${rt.RouteTableId} ${r.DestinationCidrBlock} ${
            r.VpcPeeringConnectionId ?? r.GatewayId
          } ${r.State}`,
      ),
    ).sort();
  };
  const { VpcPeeringConnections = [] } = await eks.ec2.send(
    new DescribeVpcPeeringConnectionsCommand({}),
  );
  const { SecurityGroupRules = [] } = await efs.ec2.send(
    new DescribeSecurityGroupRulesCommand({}),
  );
  const { HostedZoneSummaries = [] } = await eks.r53.send(
    new ListHostedZonesByVPCCommand({
      VPCId: t.cluster.vpcId,
      VPCRegion: t.cluster.region as any,
    }),
  );
  const zones = [];
  for (const z of HostedZoneSummaries) {
    const owner = independent(z.Owner?.OwningAccount ?? t.cluster.accountId);
    const { ResourceRecordSets = [] } = await owner.r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: z.HostedZoneId }),
    );
    const a = ResourceRecordSets.filter(r => r.Type === 'A').map(r =>
      r.ResourceRecords?.map(v => v.Value).join(','),
    );
    zones.push(
      `${z.HostedZoneId} ${z.Name} A ${a.join(';')} (${
        z.Owner?.OwningAccount
      })`,
    );
  }
  return {
    peerings: VpcPeeringConnections.filter(
      p => p.Status?.Code !== 'deleted',
    ).map(p => `${p.VpcPeeringConnectionId} ${p.Status?.Code}`),
    routes: [
      ...(await routes(eks.ec2, t.cluster.vpcId)),
      ...(await routes(efs.ec2, t.fileSystem.vpcId)),
    ],
    rules: SecurityGroupRules.filter(r => !r.IsEgress)
      .map(r => `${r.SecurityGroupRuleId} ${r.FromPort} ${r.CidrIpv4}`)
      .sort(),
    zones: zones.sort(),
  };
}

const creates = (calls: EmulatorEngine['counter']['calls']) =>
  calls.filter(c => c.mutating && !/Tags/.test(c.command)).map(c => c.command);

describe("the seed's hand-made pieces, against the AWS emulator (two accounts)", () => {
  let engine: EmulatorEngine;

  beforeAll(async () => {
    engine = await startEmulatorEngine();
  });
  afterAll(() => engine?.stop());

  it('adopts steps 4-8 made by hand (peering requested by the file system account, routes, NFS rule, zones in the cluster account): only tags are written, a re-run writes nothing, and removal restores exactly the state before', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    const peeringId = await peerByHand(t, true);
    await routeByHand(t, peeringId);
    await allowNfsByHand(t);
    await zonesByHand(t);
    const before = await networkState(t);

    const plan = await planConnection(engine.context(), sandboxSpec, {
      ...sandboxClusterOptions,
      ...options,
    });
    const network = plan.layers.filter(l =>
      ['peering', 'routes', 'nfs-ingress', 'dns'].includes(l.id),
    );
    expect(
      network.flatMap(l => l.plan.changes.map(c => c.summary.split(' ')[0])),
    ).toEqual([
      'Adopt',
      'Adopt',
      ...t.fileSystem.mountTargets.map(() => 'Adopt'),
    ]);
    expect(plan.blockers).toEqual([]);

    engine.counter.reset();
    await connectNetwork(engine.context(), sandboxSpec, options);
    expect(creates(engine.counter.calls)).toEqual([]);
    expect(await networkState(t)).toEqual(before);

    engine.counter.reset();
    await connectNetwork(engine.context(), sandboxSpec, options);
    expect(engine.counter.mutating).toEqual([]);

    engine.counter.reset();
    await disconnectNetwork(engine.context(), sandboxSpec, options);
    expect(creates(engine.counter.calls)).toEqual([]);
    expect(await networkState(t)).toEqual(before);
  });

  it.each([
    ['the peering (active)', (t: Topology) => peerByHand(t, true)],
    ['the NFS rule', allowNfsByHand],
    ['the per-AZ zones', (t: Topology) => zonesByHand(t)],
  ])(
    'adopts %s made by hand alone: provisioning makes the rest without a duplicate, and removal restores exactly the state before',
    async (_, makeByHand) => {
      await engine.reset();
      const t = await discoverTopology(engine.context(), sandboxSpec);
      await makeByHand(t);
      const before = await networkState(t);

      await connectNetwork(engine.context(), sandboxSpec, options);
      const connected = await networkState(t);
      expect(connected.peerings).toHaveLength(1);
      const rules = connected.rules.map(r => r.split(' ').slice(1).join(' '));
      expect(new Set(rules).size).toBe(rules.length);
      const zoneNames = connected.zones.map(z => z.split(' ')[1]);
      expect(zoneNames).toHaveLength(t.fileSystem.mountTargets.length);
      expect(new Set(zoneNames).size).toBe(zoneNames.length);

      await disconnectNetwork(engine.context(), sandboxSpec, options);
      expect(await networkState(t)).toEqual(before);
    },
  );

  it('accepts a hand-made peering from the account that is its accepter (the cluster account here), adds and records its own routes, and removal deletes only those, leaving the peering', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    const peeringId = await peerByHand(t, false);
    const before = await networkState(t);

    await connectNetwork(engine.context(), sandboxSpec, options);
    expect(
      engine.counter.calls
        .filter(c => c.command === 'AcceptVpcPeeringConnection')
        .map(c => c.accountId),
    ).toEqual([t.cluster.accountId]);
    const connected = await networkState(t);
    expect(connected.peerings).toEqual([`${peeringId} active`]);
    expect(connected.routes.filter(r => r.includes(peeringId))).toHaveLength(
      t.cluster.routeTableIds.length + t.fileSystem.routeTableIds.length,
    );

    await disconnectNetwork(engine.context(), sandboxSpec, options);
    const after = await networkState(t);
    // Acceptance cannot be undone: the peering stays, active, with no route of ours.
    expect(after).toEqual({ ...before, peerings: [`${peeringId} active`] });
  });

  it('refuses, before any mutation, a hand-made zone whose record points at another address, naming the fix', async () => {
    await engine.reset();
    const t = await discoverTopology(engine.context(), sandboxSpec);
    await zonesByHand(t, () => '10.0.99.99');
    engine.counter.reset();
    const plan = await planConnection(engine.context(), sandboxSpec, {
      ...sandboxClusterOptions,
      ...options,
    });
    const dns = plan.blockers.filter(b => b.layer === 'dns');
    expect(dns).toHaveLength(t.fileSystem.mountTargets.length);
    expect(dns[0]).toEqual({
      layer: 'dns',
      summary: expect.stringMatching(
        /^Private zone .* made in account 222222222222\) on vpc-\w+ answers 10\.0\.99\.99, but the mount target in \w+-az\d is 10\.0\.\d+\.\d+\.$/,
      ),
      remedy: expect.stringMatching(
        /^Set that zone's A record to 10\.0\.\d+\.\d+, then re-run: the connection adopts it\./,
      ),
    });
    expect(engine.counter.mutating).toEqual([]);
  });
});
