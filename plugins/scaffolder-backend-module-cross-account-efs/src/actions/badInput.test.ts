import {
  AwsCallCounter,
  AwsClients,
} from '@internal/plugin-cross-account-efs-node';
import {
  SANDBOX_CONNECTION,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import type { JsonObject } from '@backstage/types';
import { runAction } from '../__testUtils__/runSteps';
import { sandboxConfig } from '../__testUtils__/sandboxConfig';
import { createCrossAccountEfsActions } from '.';

jest.setTimeout(120_000);

const { fileSystem, cluster } = SANDBOX_CONNECTION;

type Patch = (input: any) => void;

/**
 * [action, what is wrong, how to break a valid input, the field the error must name].
 * Network inputs start from what preflight really discovered.
 */
const corpus: Array<[string, string, Patch, string]> = [
  [
    'efs:discover',
    'account id too short',
    i => (i.fileSystem.accountId = '11111111111'),
    'fileSystem.accountId',
  ],
  [
    'efs:discover',
    'account id given as an ARN',
    i => (i.fileSystem.accountId = 'arn:aws:iam::111111111111:root'),
    'fileSystem.accountId',
  ],
  [
    'efs:discover',
    'account id as a number',
    i => (i.fileSystem.accountId = 111111111111),
    'fileSystem.accountId',
  ],
  [
    'efs:discover',
    'region misspelt',
    i => (i.fileSystem.region = 'us-west2'),
    'fileSystem.region',
  ],
  [
    'efs:discover',
    'AZ name instead of region',
    i => (i.fileSystem.region = 'us-west-2a'),
    'fileSystem.region',
  ],
  [
    'efs:discover',
    'file system id with upper-case hex',
    i => (i.fileSystem.fileSystemId = 'fs-66B4BE25'),
    'fileSystem.fileSystemId',
  ],
  [
    'efs:discover',
    'file system ARN instead of id',
    i =>
      (i.fileSystem.fileSystemId =
        'arn:aws:elasticfilesystem:us-west-2:111111111111:file-system/fs-66b4be25'),
    'fileSystem.fileSystemId',
  ],
  [
    'efs:discover',
    'file system missing',
    i => delete i.fileSystem,
    'fileSystem',
  ],
  [
    'efs:discover',
    'file system that does not exist',
    i => (i.fileSystem.fileSystemId = 'fs-0123456789abcdef0'),
    'fileSystem.fileSystemId',
  ],
  [
    'eks:discover',
    'cluster name starting with a hyphen',
    i => (i.cluster.clusterName = '-apps'),
    'cluster.clusterName',
  ],
  [
    'eks:discover',
    'cluster name with a dot',
    i => (i.cluster.clusterName = 'apps.cluster'),
    'cluster.clusterName',
  ],
  [
    'eks:discover',
    'cluster name over 100 characters',
    i => (i.cluster.clusterName = 'a'.repeat(101)),
    'cluster.clusterName',
  ],
  [
    'eks:discover',
    'cluster account id with spaces',
    i => (i.cluster.accountId = '222 222 222 222'),
    'cluster.accountId',
  ],
  [
    'eks:discover',
    'cluster region empty',
    i => (i.cluster.region = ''),
    'cluster.region',
  ],
  [
    'eks:discover',
    'cluster that does not exist',
    i => (i.cluster.clusterName = 'no-such-cluster'),
    'cluster.clusterName',
  ],
  [
    'preflight',
    'both sides malformed at once',
    i => {
      i.fileSystem.accountId = 'x';
      i.cluster.region = 'mars-1';
    },
    'fileSystem.accountId',
  ],
  [
    'preflight',
    'cluster in a region without that cluster',
    i => (i.cluster.region = 'us-east-1'),
    'cluster.clusterName',
  ],
  [
    'peering',
    'cluster VPC id malformed',
    i => (i.cluster.vpcId = 'vpc-XYZ'),
    'cluster.vpcId',
  ],
  [
    'peering',
    'file system VPC CIDR with /33',
    i => (i.fileSystem.vpcCidrs = ['10.0.0.0/33']),
    'fileSystem.vpcCidrs.0',
  ],
  [
    'peering',
    'cluster VPC without CIDR blocks',
    i => (i.cluster.vpcCidrs = []),
    'cluster.vpcCidrs',
  ],
  ['peering', 'cluster network missing', i => delete i.cluster, 'cluster'],
  [
    'routes',
    'peering connection id missing',
    i => delete i.peeringConnectionId,
    'peeringConnectionId',
  ],
  [
    'routes',
    'peering connection id malformed',
    i => (i.peeringConnectionId = 'pcx_123'),
    'peeringConnectionId',
  ],
  [
    'routes',
    'route table id malformed',
    i => (i.cluster.routeTableIds = ['rtb-?']),
    'cluster.routeTableIds.0',
  ],
  ['nfs-ingress', 'unknown mode', i => (i.mode = 'both'), 'mode'],
  [
    'nfs-ingress',
    'cluster security group id malformed',
    i => (i.cluster.clusterSecurityGroupId = 'sg-'),
    'cluster.clusterSecurityGroupId',
  ],
  [
    'nfs-ingress',
    'mount target security group malformed',
    i => (i.fileSystem.mountTargets[0].securityGroupIds = ['default']),
    'fileSystem.mountTargets.0.securityGroupIds.0',
  ],
  [
    'dns',
    'mount target IP out of range',
    i => (i.fileSystem.mountTargets[0].ipAddress = '10.0.1.300'),
    'fileSystem.mountTargets.0.ipAddress',
  ],
  [
    'dns',
    'AZ name where an AZ id belongs',
    i => (i.fileSystem.mountTargets[0].azId = 'us-west-2a'),
    'fileSystem.mountTargets.0.azId',
  ],
  [
    'dns',
    'file system id malformed in the network',
    i => (i.fileSystem.fileSystemId = 'fs-1'),
    'fileSystem.fileSystemId',
  ],
  [
    'iam',
    'role name with a space',
    i => (i.csiDriverRoleName = 'efs csi driver'),
    'csiDriverRoleName',
  ],
  [
    'iam',
    'role name longer than 64 characters',
    i => (i.efsAccessRoleName = 'r'.repeat(65)),
    'efsAccessRoleName',
  ],
  [
    'iam',
    'unknown workload identity',
    i => (i.workloadIdentity = 'kiam'),
    'workloadIdentity',
  ],
  [
    'csi-driver',
    'driver version that cannot pass an external id',
    i => (i.driverVersion = 'v1.7.7-eksbuild.1'),
    'driverVersion',
  ],
  [
    'csi-driver',
    "driver version 'latest'",
    i => (i.driverVersion = 'latest'),
    'driverVersion',
  ],
  [
    'csi-driver',
    'role name where the role ARN belongs',
    i => (i.csiDriverRoleArn = 'efs-csi-driver-apps-cluster'),
    'csiDriverRoleArn',
  ],
  [
    'kubernetes',
    'namespace with upper case and underscore',
    i => (i.namespace = 'Team_A'),
    'namespace',
  ],
  [
    'kubernetes',
    'namespace longer than 63 characters',
    i => (i.namespace = 'a'.repeat(64)),
    'namespace',
  ],
  [
    'kubernetes',
    'storage class name with a space',
    i => (i.storageClassName = 'EFS shared'),
    'storageClassName',
  ],
  [
    'kubernetes',
    'storage class name missing',
    i => delete i.storageClassName,
    'storageClassName',
  ],
  [
    'kubernetes',
    'directory perms as an unquoted YAML number (700)',
    i => (i.directoryPerms = 700),
    'directoryPerms',
  ],
  [
    'kubernetes',
    'directory perms with a non-octal digit',
    i => (i.directoryPerms = '780'),
    'directoryPerms',
  ],
  [
    'kubernetes',
    'directory perms in symbolic form',
    i => (i.directoryPerms = 'rwx------'),
    'directoryPerms',
  ],
  [
    'kubernetes',
    'gid range whose start is above its end',
    i => (i.gidRange = { start: 7000000, end: 50000 }),
    'gidRange.end',
  ],
  [
    'kubernetes',
    'gid range starting at root (0)',
    i => (i.gidRange = { start: 0, end: 100 }),
    'gidRange.start',
  ],
  [
    'kubernetes',
    'gid range with a fraction',
    i => (i.gidRange = { start: 50000.5, end: 60000 }),
    'gidRange.start',
  ],
  [
    'kubernetes',
    'unsupported driver version',
    i => (i.driverVersion = 'three'),
    'driverVersion',
  ],
  [
    'kubernetes',
    'reclaim policy Recycle',
    i => (i.reclaimPolicy = 'Recycle'),
    'reclaimPolicy',
  ],
];

describe('bad input (through the actions, against the AWS emulator)', () => {
  let emulator: SeededEmulator;
  const counter = new AwsCallCounter();
  let actions: ReturnType<typeof createCrossAccountEfsActions>;
  let discovered: JsonObject;

  beforeAll(async () => {
    emulator = await startSeededEmulator();
    actions = createCrossAccountEfsActions({
      aws: AwsClients.fromConfig(sandboxConfig(), {
        middleware: [counter.middleware],
      }),
    });
    discovered = await runAction(
      actions.find(a => a.id === 'cross-account-efs:preflight')!,
      {
        fileSystem,
        cluster,
      },
    );
  });
  afterAll(() => emulator?.stop());

  function validInput(action: string): any {
    const networks = JSON.parse(JSON.stringify(discovered));
    switch (action) {
      case 'efs:discover':
        return { fileSystem: { ...fileSystem } };
      case 'eks:discover':
        return { cluster: { ...cluster } };
      case 'preflight':
        return { fileSystem: { ...fileSystem }, cluster: { ...cluster } };
      case 'routes':
        return { ...networks, peeringConnectionId: 'pcx-0123456789abcdef0' };
      case 'csi-driver':
        return {
          ...networks,
          csiDriverRoleArn: `arn:aws:iam::${cluster.accountId}:role/efs-csi-driver-apps-cluster`,
        };
      case 'kubernetes':
        return {
          ...networks,
          efsAccessRoleArn: `arn:aws:iam::${fileSystem.accountId}:role/efs-csi-x-account`,
          storageClassName: 'efs-shared',
        };
      default:
        return networks;
    }
  }

  it('has at least 25 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  it.each(corpus)(
    '%s rejects %s, naming the field, before any mutation',
    async (action, _what, patch, field) => {
      const input = validInput(action);
      patch(input);
      counter.reset();
      const run = runAction(
        actions.find(a => a.id === `cross-account-efs:${action}`)!,
        input,
      );
      await expect(run).rejects.toThrow(
        new RegExp(`(^|[\\s:])${field.replace(/\./g, '\\.')}: `),
      );
      expect(counter.mutating).toEqual([]);
    },
  );
});
