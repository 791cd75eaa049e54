import {
  DeleteRouteCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByVPCCommand,
} from '@aws-sdk/client-route-53';
import {
  connectionKey,
  overallStatus,
} from '@internal/plugin-cross-account-efs-common';
import { independent, independentKubernetes, SANDBOX } from '@internal/sandbox';
import {
  EmulatorEngine,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { connectCluster } from '../engine/connectCluster';
import { connectNetwork } from '../engine/connectNetwork';
import { discoverTopology } from '../engine/prepareConnection';
import { SweepScope } from '../aws/sweepScope';
import { checkIam, readConnectionRoles } from '../layers/iam';
import {
  checkPrivateDns,
  readFileSystemZoneRecords,
} from '../layers/privateDns';
import { checkConnections } from './checkConnections';

jest.setTimeout(180_000);

const options = {
  storageClassName: 'efs-shared',
  namespace: 'team-a',
  directoryPerms: '700',
  nfsIngressMode: 'cidr' as const,
  workloadIdentity: 'irsa' as const,
  rootAccess: false,
};

describe('health of a connection, layer by layer (AWS emulator; add-ons: sandbox gateway; cluster: Kubernetes double)', () => {
  let sandbox: EmulatorEngine;
  const eks = () => independent(SANDBOX.eks.accountId);
  const efs = () => independent(SANDBOX.efs.accountId);

  const check = async () =>
    (
      await checkConnections(sandbox.context(), [
        { spec: sandboxSpec, options },
      ])
    ).get(connectionKey(sandboxSpec))!;
  const failing = async () =>
    (await check())
      .filter(r => r.status !== 'ok')
      .map(r => ({ layer: r.layer, status: r.status, remedy: r.remedy }));

  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  beforeEach(async () => {
    await sandbox.reset();
    await connectNetwork(sandbox.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    await connectCluster(sandbox.context(), sandboxSpec, {
      ...options,
      verify: true,
    });
  });
  afterAll(() => sandbox?.stop());

  it('after provisioning, every layer is ok', async () => {
    const results = await check();
    expect(overallStatus(results)).toBe('ok');
    expect([...new Set(results.map(r => r.layer))].sort()).toEqual([
      'csi-driver',
      'dns',
      'iam',
      'kubernetes',
      'mount-targets',
      'nfs-ingress',
      'peering',
      'routes',
      'vpc-dns',
    ]);
  });

  it('a deleted route turns the routes layer to error; the others stay ok', async () => {
    const t = await discoverTopology(sandbox.context(), sandboxSpec);
    await eks().ec2.send(
      new DeleteRouteCommand({
        RouteTableId: t.cluster.routeTableIds[0],
        DestinationCidrBlock: t.fileSystem.vpcCidrs[0],
      }),
    );
    expect(await failing()).toEqual([
      {
        layer: 'routes',
        status: 'error',
        remedy: expect.stringContaining('Re-run provisioning'),
      },
    ]);
  });

  it('a revoked NFS rule turns the nfs-ingress layer to error; the others stay ok', async () => {
    const { SecurityGroupRules = [] } = await efs().ec2.send(
      new DescribeSecurityGroupRulesCommand({}),
    );
    const rule = SecurityGroupRules.find(
      r => !r.IsEgress && r.FromPort === 2049,
    )!;
    await efs().ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: rule.GroupId,
        SecurityGroupRuleIds: [rule.SecurityGroupRuleId!],
      }),
    );
    expect(await failing()).toEqual([
      {
        layer: 'nfs-ingress',
        status: 'error',
        remedy: expect.stringContaining('Re-run provisioning'),
      },
    ]);
  });

  it('an A record pointing elsewhere turns the dns layer to error; the others stay ok', async () => {
    const t = await discoverTopology(sandbox.context(), sandboxSpec);
    const { HostedZoneSummaries = [] } = await eks().r53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: t.cluster.vpcId,
        VPCRegion: SANDBOX.region,
      }),
    );
    // The zone lives in the file system's account, shared by the clusters.
    const zone = HostedZoneSummaries[0];
    expect(zone.Owner?.OwningAccount).toBe(SANDBOX.efs.accountId);
    await efs().r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: zone.Name,
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: '10.0.9.9' }],
              },
            },
          ],
        },
      }),
    );
    expect(await failing()).toEqual([
      { layer: 'dns', status: 'error', remedy: expect.any(String) },
    ]);
  });

  it('a deleted secret turns the kubernetes layer to error; the others stay ok', async () => {
    await independentKubernetes(
      sandbox.emulator.kubernetes,
    ).core.deleteNamespacedSecret({
      name: 'x-account',
      namespace: 'kube-system',
    });
    expect(await failing()).toEqual([
      {
        layer: 'kubernetes',
        status: 'error',
        remedy: expect.stringContaining('Re-run provisioning'),
      },
    ]);
  });

  it('one sweep reads what connections share once', async () => {
    const legacy = {
      ...sandboxSpec,
      cluster: {
        ...sandboxSpec.cluster,
        clusterName: SANDBOX.eks.legacy.clusterName,
      },
    };
    const alone = async (spec: typeof sandboxSpec) => {
      sandbox.counter.reset();
      await checkConnections(sandbox.context(), [{ spec, options }]);
      return sandbox.counter.calls.length;
    };
    const separately = (await alone(sandboxSpec)) + (await alone(legacy));
    sandbox.counter.reset();
    const swept = await checkConnections(sandbox.context(), [
      { spec: sandboxSpec, options },
      { spec: legacy, options },
    ]);
    expect(swept.size).toBe(2);
    expect(sandbox.counter.mutating).toEqual([]);
    expect(sandbox.counter.calls.length).toBeLessThan(separately);
    // eslint-disable-next-line no-console
    console.log(
      `two connections: ${separately} calls checked one by one, ${sandbox.counter.calls.length} in one sweep`,
    );
  });

  it("a sweep sends the EFS account's role reads and zone listing before any discovery call (its deepest queues start first)", async () => {
    sandbox.counter.reset();
    await checkConnections(sandbox.context(), [{ spec: sandboxSpec, options }]);
    const order = sandbox.counter.calls.map(
      c => `${c.service} ${c.accountId} ${c.command}`,
    );
    const efsAccount = SANDBOX.efs.accountId;
    const firstDiscovery = order.findIndex(c =>
      /DescribeFileSystems|DescribeCluster/.test(c),
    );
    expect(order.slice(0, firstDiscovery).sort()).toEqual([
      `iam ${efsAccount} GetRole`,
      `iam ${efsAccount} GetRolePolicy`,
      `route53 ${efsAccount} ListHostedZones`,
    ]);
  });

  it("a sweep's early reads (roles, file system policy, zone records) are the checks' own: the checks make none of them again", async () => {
    const plain = sandbox.context();
    const t = await discoverTopology(plain, sandboxSpec);
    const ctx = {
      ...plain,
      aws: plain.aws.inSweep(new SweepScope({ concurrency: 8 })),
    };
    await Promise.all([
      readConnectionRoles(ctx, sandboxSpec, options),
      readFileSystemZoneRecords(ctx, [sandboxSpec.fileSystem]),
    ]);
    sandbox.counter.reset();
    const results = [
      ...(await checkIam(ctx, t, options)),
      ...(await checkPrivateDns(ctx, t)),
    ];
    expect(overallStatus(results)).toBe('ok');
    // What is left is what needs discovery: the OIDC provider and the zones on the cluster's VPC.
    expect(sandbox.counter.calls.map(c => c.command).sort()).toEqual([
      'ListHostedZonesByVPC',
      'ListOpenIDConnectProviders',
    ]);
  });
});
