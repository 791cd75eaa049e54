import {
  CreateSecurityGroupCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DescribeFileSystemPolicyCommand,
} from '@aws-sdk/client-efs';
import { CreateClusterCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ListHostedZonesByVPCCommand } from '@aws-sdk/client-route-53';
import { ConnectionSpec } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { independent, SANDBOX } from '@internal/sandbox';
import {
  connectNetwork,
  disconnectNetwork,
  EmulatorEngine,
  sandboxRoles,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import type { ClientMiddleware } from '../aws/AwsClients';
import { parsePolicy } from '../iam/policyDocument';
import {
  DatabaseDocumentLock,
  DocumentLock,
  InProcessDocumentLock,
} from '../iam/sharedDocumentLock';
import knexFactory from 'knex';
import { iam } from '../layers/iam';
import { discoverTopology } from './prepareConnection';
import { runPlan } from './runPlan';

jest.setTimeout(180_000);

const secondSpec: ConnectionSpec = {
  ...sandboxSpec,
  cluster: { ...sandboxSpec.cluster, clusterName: 'apps-cluster-2' },
};

/** A second EKS cluster in the apps VPC, as a team would add one. */
async function createSecondCluster(vpcId: string) {
  const eks = independent(SANDBOX.eks.accountId);
  const { Subnets = [] } = await eks.ec2.send(
    new DescribeSubnetsCommand({
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
    }),
  );
  await eks.ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: 'eks-cluster-sg-apps-cluster-2',
      Description: 'EKS cluster security group',
      VpcId: vpcId,
      TagSpecifications: [
        {
          ResourceType: 'security-group',
          Tags: [{ Key: 'aws:eks:cluster-name', Value: 'apps-cluster-2' }],
        },
      ],
    }),
  );
  const { Role } = await eks.iam.send(
    new GetRoleCommand({ RoleName: SANDBOX.eks.clusterRoleName }),
  );
  await eks.eks.send(
    new CreateClusterCommand({
      name: 'apps-cluster-2',
      version: SANDBOX.eks.kubernetesVersion,
      roleArn: Role!.Arn!,
      resourcesVpcConfig: { subnetIds: Subnets.map(s => s.SubnetId!) },
    }),
  );
}

/** A second file system in the EFS account, mounted where the first is. */
async function createSecondFileSystem(): Promise<string> {
  const efs = independent(SANDBOX.efs.accountId);
  const { FileSystemId } = await efs.efs.send(
    new CreateFileSystemCommand({ CreationToken: 'second', Encrypted: true }),
  );
  const { Subnets = [] } = await efs.ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'tag:Name', Values: SANDBOX.efs.subnets.map(s => s.name) },
      ],
    }),
  );
  for (const subnet of Subnets) {
    await efs.efs.send(
      new CreateMountTargetCommand({
        FileSystemId,
        SubnetId: subnet.SubnetId!,
      }),
    );
  }
  return FileSystemId!;
}

describe('pieces two connections share (AWS emulator)', () => {
  let sandbox: EmulatorEngine;

  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  beforeEach(() => sandbox.reset());
  afterAll(() => sandbox?.stop());

  it('a second cluster on the same VPC reuses the peering and the zones; removing one connection leaves them for the other', async () => {
    const t = await discoverTopology(sandbox.context(), sandboxSpec);
    await createSecondCluster(t.cluster.vpcId);
    await connectNetwork(sandbox.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    const second = await connectNetwork(sandbox.context(), secondSpec, {
      nfsIngressMode: 'cidr',
    });
    // No second peering or zone: the second connection records that it uses them.
    expect(
      second.changes.filter(c => c.layer === 'peering').map(c => c.summary),
    ).toEqual([expect.stringContaining('also uses')]);
    // The zones are already on the VPC: the second connection only records its use.
    expect(
      second.changes.filter(c => c.layer === 'dns').map(c => c.summary),
    ).toEqual([
      expect.stringContaining('also uses'),
      expect.stringContaining('also uses'),
      expect.stringContaining('also uses'),
    ]);

    const eks = independent(SANDBOX.eks.accountId);
    const state = async () => {
      const { VpcPeeringConnections = [] } = await eks.ec2.send(
        new DescribeVpcPeeringConnectionsCommand({
          Filters: [{ Name: 'status-code', Values: ['active'] }],
        }),
      );
      const { HostedZoneSummaries = [] } = await eks.r53.send(
        new ListHostedZonesByVPCCommand({
          VPCId: t.cluster.vpcId,
          VPCRegion: SANDBOX.region,
        }),
      );
      const { RouteTables = [] } = await eks.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: 'vpc-id', Values: [t.cluster.vpcId] }],
        }),
      );
      return {
        peerings: VpcPeeringConnections.filter(p => p.Status?.Code === 'active')
          .length,
        zones: HostedZoneSummaries.length,
        peeringRoutes: RouteTables.flatMap(r => r.Routes ?? []).filter(
          r => r.VpcPeeringConnectionId,
        ).length,
      };
    };
    const connected = await state();
    expect(connected).toEqual({ peerings: 1, zones: 3, peeringRoutes: 1 });

    const first = await disconnectNetwork(sandbox.context(), sandboxSpec, {
      nfsIngressMode: 'cidr',
    });
    expect(
      first.filter(c => c.action === 'delete').map(c => c.resource),
    ).toEqual(['security-group-rule'].filter(() => false));
    expect(await state()).toEqual(connected);

    const last = await disconnectNetwork(sandbox.context(), secondSpec, {
      nfsIngressMode: 'cidr',
    });
    expect(
      last
        .filter(c => c.action === 'delete')
        .map(c => c.resource)
        .sort(),
    ).toEqual([
      'route',
      'route',
      'route53-private-hosted-zone',
      'route53-private-hosted-zone',
      'route53-private-hosted-zone',
      'route53-vpc-association',
      'route53-vpc-association',
      'route53-vpc-association',
      'security-group-rule',
      'vpc-peering-connection',
    ]);
    expect(await state()).toEqual({ peerings: 0, zones: 0, peeringRoutes: 0 });
  });

  it('a second file system of the same cluster shares both roles: its statements join the one inline policy, and removing either keeps the other', async () => {
    const second: ConnectionSpec = {
      ...sandboxSpec,
      fileSystem: {
        ...sandboxSpec.fileSystem,
        fileSystemId: await createSecondFileSystem(),
      },
    };
    const ctx = sandbox.context();
    const options = { workloadIdentity: 'pod-identity' as const };
    const topologies = [];
    for (const spec of [sandboxSpec, second]) {
      const t = await discoverTopology(ctx, spec);
      await runPlan(ctx, await iam.plan(ctx, t, options));
      topologies.push(t);
    }
    const sid = (spec: ConnectionSpec) =>
      spec.fileSystem.fileSystemId.replace('-', '');
    const [a, b] = [sid(sandboxSpec), sid(second)];
    const roles = {
      efs: {
        accountId: SANDBOX.efs.accountId,
        roleName: sandboxRoles.efsRoleName,
      },
      driver: {
        accountId: SANDBOX.eks.accountId,
        roleName: sandboxRoles.csiDriverRoleName,
      },
    };
    const statements = async (role: {
      accountId: string;
      roleName: string;
    }) => {
      try {
        const { PolicyDocument } = await independent(role.accountId).iam.send(
          new GetRolePolicyCommand({
            RoleName: role.roleName,
            PolicyName: 'cross-account-efs',
          }),
        );
        return parsePolicy(PolicyDocument)
          .Statement.map(st => st.Sid)
          .sort();
      } catch {
        return 'no policy';
      }
    };
    expect(await statements(roles.efs)).toEqual(
      [
        `CreateAccessPoint${a}`,
        `CreateAccessPoint${b}`,
        'DeleteDriverAccessPoint',
        `DescribeFileSystem${a}`,
        `DescribeFileSystem${b}`,
        'TagAccessPointOnCreate',
      ].sort(),
    );
    expect(await statements(roles.driver)).toEqual(
      [
        'AssumeEfsAccountRole',
        `MountFileSystem${a}`,
        `MountFileSystem${b}`,
      ].sort(),
    );

    await runPlan(ctx, await iam.remove(ctx, topologies[0], options));
    expect(await statements(roles.efs)).toEqual(
      [
        `CreateAccessPoint${b}`,
        'DeleteDriverAccessPoint',
        `DescribeFileSystem${b}`,
        'TagAccessPointOnCreate',
      ].sort(),
    );
    expect(await statements(roles.driver)).toEqual(
      ['AssumeEfsAccountRole', `MountFileSystem${b}`].sort(),
    );

    const last = (
      await runPlan(ctx, await iam.remove(ctx, topologies[1], options))
    ).plan.changes;
    expect(last.map(c => `${c.resource} ${c.action}`)).toEqual([
      'efs-file-system-policy delete',
      'iam-role-policy delete',
      'iam-role delete',
      'iam-role-policy delete',
      'iam-role delete',
    ]);
    expect(await statements(roles.efs)).toBe('no policy');
    expect(await statements(roles.driver)).toBe('no policy');
  });

  /**
   * Two provisioning tasks for two clusters on one file system at the same
   * moment, each with its own lock (its replica's). Reads of the policy are
   * held until both tasks have asked (or 300 ms passed), so without a shared
   * lock both would merge into the same old copy. Returns the policy's Sids.
   */
  async function provisionTogether(locks: [DocumentLock, DocumentLock]) {
    const t = await discoverTopology(sandbox.context(), sandboxSpec);
    await createSecondCluster(t.cluster.vpcId);
    const options = { workloadIdentity: 'pod-identity' as const };
    let waiting: Array<() => void> = [];
    const togetherReads: ClientMiddleware = () => ({
      applyToStack: stack =>
        stack.add(
          (next, context) => async args => {
            if (context.commandName === 'DescribeFileSystemPolicyCommand') {
              await new Promise<void>(release => {
                waiting.push(release);
                if (waiting.length === 2) {
                  waiting.forEach(r => r());
                  waiting = [];
                }
                setTimeout(release, 300);
              });
            }
            return next(args);
          },
          { step: 'initialize', name: 'togetherReads' },
        ),
    });
    await Promise.all(
      [sandboxSpec, secondSpec].map(async (spec, i) => {
        const ctx = sandbox.context([togetherReads], locks[i]);
        const topology = await discoverTopology(ctx, spec);
        await runPlan(ctx, await iam.plan(ctx, topology, options));
      }),
    );
    const { Policy } = await independent(SANDBOX.efs.accountId).efs.send(
      new DescribeFileSystemPolicyCommand({
        FileSystemId: SANDBOX.efs.fileSystemId,
      }),
    );
    return parsePolicy(Policy)
      .Statement.map(st => st.Sid)
      .sort();
  }
  const bothStatements = [
    `CrossAccountEfsMount${SANDBOX.eks.accountId}appscluster`,
    `CrossAccountEfsMount${SANDBOX.eks.accountId}appscluster2`,
    'CrossAccountEfsSecureTransport',
  ];

  it('two clusters provisioning IAM for one file system at the same moment in one replica both keep their statement in its policy', async () => {
    const lock = new InProcessDocumentLock();
    expect(await provisionTogether([lock, lock])).toEqual(bothStatements);
  });

  it('without a lock they share, two replicas lose a statement: what the database lock is for', async () => {
    const sids = await provisionTogether([
      new InProcessDocumentLock(),
      new InProcessDocumentLock(),
    ]);
    expect(sids).not.toEqual(bothStatements);
  });

  const postgres = Object.entries(process.env).find(([k]) =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  )?.[1];
  it('two replicas on PostgreSQL (each its own connection and lock) provisioning at the same moment both keep their statement', async () => {
    // ./dev test configures the local PostgreSQL; without one there is nothing to run against.
    expect(postgres || !process.env.CI).toBeTruthy();
    if (!postgres) return;
    const replicas = [1, 2].map(() =>
      knexFactory({ client: 'pg', connection: postgres }),
    );
    const sids = await provisionTogether([
      new DatabaseDocumentLock(replicas[0]),
      new DatabaseDocumentLock(replicas[1]),
    ]).finally(() => Promise.all(replicas.map(r => r.destroy())));
    expect(sids).toEqual(bothStatements);
  });
});
