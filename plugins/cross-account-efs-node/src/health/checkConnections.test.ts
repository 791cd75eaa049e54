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
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { independent, independentKubernetes, SANDBOX } from '@internal/sandbox';
import {
  AssociateDhcpOptionsCommand,
  CreateDhcpOptionsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  connectCluster,
  connectNetwork,
  EmulatorEngine,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { driverVolume } from '../__testUtils__/fixtures';
import { checkConnection } from '../engine/planConnection';
import { discoverTopology } from '../engine/prepareConnection';
import { checkConnections, sweepInterceptor } from './checkConnections';

jest.setTimeout(180_000);

const options = {
  storageClassName: 'efs-shared',
  namespace: 'team-a',
  directoryPerms: '700',
  connectivity: 'peering' as const,
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

  it("a deleted secret turns the kubernetes layer to error, and warns that the test claim's volume could no longer be deleted with its access point; the others stay ok", async () => {
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
      {
        layer: 'kubernetes',
        status: 'warning',
        remedy: expect.stringContaining(
          'for kube-system/x-account, re-run provisioning',
        ),
      },
    ]);
  });

  it("DHCP options with the VPC's own DNS servers turn vpc-dns to warning; the others stay ok", async () => {
    const t = await discoverTopology(sandbox.context(), sandboxSpec);
    const { DhcpOptions } = await eks().ec2.send(
      new CreateDhcpOptionsCommand({
        DhcpConfigurations: [
          { Key: 'domain-name-servers', Values: ['10.20.0.10'] },
        ],
      }),
    );
    await eks().ec2.send(
      new AssociateDhcpOptionsCommand({
        VpcId: t.cluster.vpcId,
        DhcpOptionsId: DhcpOptions!.DhcpOptionsId,
      }),
    );
    expect(await failing()).toEqual([
      {
        layer: 'vpc-dns',
        status: 'warning',
        remedy: expect.stringContaining(
          `Forward ${SANDBOX.efs.fileSystemId}.efs.${SANDBOX.region}.amazonaws.com to the VPC resolver`,
        ),
      },
    ]);
  });

  it('a volume whose deletion secret is gone turns the kubernetes layer to warning (its access point would leak); the others stay ok', async () => {
    await independentKubernetes(
      sandbox.emulator.kubernetes,
    ).core.createPersistentVolume({
      body: driverVolume({
        name: 'pvc-made-with-an-old-secret',
        storageClassName: options.storageClassName,
        deletionSecretName: 'x-account-old',
        fileSystemId: SANDBOX.efs.fileSystemId,
      }),
    });
    const results = await check();
    expect(
      results.find(r => r.id.startsWith('kubernetes:volumes:')),
    ).toMatchObject({
      status: 'warning',
      summary: expect.stringContaining(
        'pvc-made-with-an-old-secret (kube-system/x-account-old)',
      ),
    });
    expect(await failing()).toEqual([
      {
        layer: 'kubernetes',
        status: 'warning',
        remedy: expect.stringContaining('Re-create each secret as it was'),
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

  it("a sweep's verdicts equal the per-connection check's, with its shared reads and pacing on or off", async () => {
    const withoutTime = (results: Array<{ checkedAt?: string }>) =>
      results.map(({ checkedAt, ...rest }) => rest);
    const ctx = sandbox.context();
    const alone = withoutTime(
      await checkConnection(
        ctx,
        await discoverTopology(ctx, sandboxSpec),
        options,
      ),
    );
    for (const sweepOptions of [
      {},
      { shareReads: false },
      { quotas: false as const },
      { shareReads: false, quotas: false as const },
    ]) {
      const swept = await checkConnections(
        ctx,
        [{ spec: sandboxSpec, options }],
        sweepOptions,
      );
      expect(withoutTime(swept.get(connectionKey(sandboxSpec))!)).toEqual(
        alone,
      );
    }
  });

  it('an AWS answer is read-only in a sweep and out of one: changing it throws in both', async () => {
    const plain = sandbox.context().aws;
    const swept = plain.through(sweepInterceptor({}));
    for (const aws of [plain, swept]) {
      const { Vpcs } = await aws
        .ec2({ accountId: SANDBOX.eks.accountId, region: SANDBOX.region })
        .send(new DescribeVpcsCommand({}));
      expect(Vpcs!.length).toBeGreaterThan(0);
      expect(() => Vpcs!.sort()).toThrow(TypeError);
      expect(() => {
        (Vpcs![0] as any).VpcId = 'vpc-changed';
      }).toThrow(TypeError);
    }
  });
});
