import type { JsonValue } from '@backstage/types';
import {
  AwsCallCounter,
  AwsClients,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  SANDBOX_CONNECTION,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import { runAction } from '../__testUtils__/runSteps';
import { sandboxConfig } from '../__testUtils__/sandboxConfig';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { sandboxCatalog } from '../__testUtils__/portalBackend';
import { AccountScope } from '../requests/AccountScope';
import { unreachableRequests } from '../__testUtils__/actionsForListing';
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
    'request:create',
    'namespace with upper case and underscore',
    i => (i.namespace = 'Team_A'),
    'namespace',
  ],
  [
    'request:create',
    'namespace longer than 63 characters',
    i => (i.namespace = 'a'.repeat(64)),
    'namespace',
  ],
  [
    'request:create',
    'storage class name with a space',
    i => (i.storageClassName = 'EFS shared'),
    'storageClassName',
  ],
  [
    'request:create',
    'storage class name missing',
    i => delete i.storageClassName,
    'storageClassName',
  ],
  [
    'request:create',
    'directory perms as an unquoted YAML number (700)',
    i => (i.directoryPerms = 700),
    'directoryPerms',
  ],
  [
    'request:create',
    'directory perms with a non-octal digit',
    i => (i.directoryPerms = '780'),
    'directoryPerms',
  ],
  [
    'request:create',
    'directory perms in symbolic form',
    i => (i.directoryPerms = 'rwx------'),
    'directoryPerms',
  ],
  [
    'request:create',
    'gid range whose start is above its end',
    i => (i.gidRange = { start: 7000000, end: 50000 }),
    'gidRange.end',
  ],
  [
    'request:create',
    'gid range starting at root (0)',
    i => (i.gidRange = { start: 0, end: 100 }),
    'gidRange.start',
  ],
  [
    'request:create',
    'gid range with a fraction',
    i => (i.gidRange = { start: 50000.5, end: 60000 }),
    'gidRange.start',
  ],
  [
    'request:create',
    'namespace kube-system',
    i => (i.namespace = 'kube-system'),
    'namespace',
  ],
  [
    'request:create',
    'the default namespace',
    i => (i.namespace = 'default'),
    'namespace',
  ],
  [
    'request:create',
    'unknown workload identity',
    i => (i.workloadIdentity = 'kiam'),
    'workloadIdentity',
  ],
  [
    'request:create',
    'unknown NFS rule source',
    i => (i.nfsIngressMode = 'both'),
    'nfsIngressMode',
  ],
  [
    'request:create',
    'root access as a string',
    i => (i.rootAccess = 'yes'),
    'rootAccess',
  ],
  [
    'request:create',
    'file system given as an account id instead of an entity',
    i => (i.fileSystemRef = '111111111111'),
    'fileSystemRef',
  ],
];

/** A forged value for each field a template might try to slip into a provisioning action. */
const forgeries: Array<[string, string, JsonValue]> = [
  ['nfs-ingress', 'cluster', { vpcCidrs: ['0.0.0.0/0'] }],
  ['nfs-ingress', 'mode', 'cidr'],
  ['iam', 'efsAccessRoleName', 'attacker-chosen'],
  ['iam', 'rootAccess', true],
  ['kubernetes', 'efsAccessRoleArn', 'arn:aws:iam::333333333333:role/other'],
  ['kubernetes', 'storageClassName', 'efs-other'],
  ['peering', 'fileSystem', { vpcId: 'vpc-0123456789abcdef0' }],
  ['routes', 'peeringConnectionId', 'pcx-0123456789abcdef0'],
  ['dns', 'cluster', { vpcId: 'vpc-0123456789abcdef0' }],
  ['csi-driver', 'driverVersion', 'v1.7.7-eksbuild.1'],
  ['verify', 'storageClassName', 'efs-shared'],
  ['remove', 'storageClassName', 'efs-shared'],
];

describe('bad input (through the actions, against the AWS emulator)', () => {
  let emulator: SeededEmulator;
  const counter = new AwsCallCounter();
  let actions: ReturnType<typeof createCrossAccountEfsActions>;

  beforeAll(async () => {
    emulator = await startSeededEmulator();
    actions = createCrossAccountEfsActions({
      aws: AwsClients.fromConfig(sandboxConfig(), {
        middleware: [counter.middleware],
      }),
      requests: unreachableRequests,
      accounts: new AccountScope(
        new Set(),
        catalogServiceMock({ entities: sandboxCatalog() as any }),
      ),
    });
  });
  afterAll(() => emulator?.stop());

  function validInput(action: string): any {
    switch (action) {
      case 'efs:discover':
        return { fileSystem: { ...fileSystem } };
      case 'eks:discover':
        return { cluster: { ...cluster } };
      case 'preflight':
        return { fileSystem: { ...fileSystem }, cluster: { ...cluster } };
      default:
        return {
          fileSystemRef: 'resource:default/shared-efs',
          clusterRef: 'resource:default/apps-cluster',
          storageClassName: 'efs-shared',
        };
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

  it.each(forgeries)(
    '%s refuses a template value for %s, naming it, before any call',
    async (action, field, value) => {
      counter.reset();
      const run = runAction(
        actions.find(a => a.id === `cross-account-efs:${action}`)!,
        { requestId: '3f0a8c1e-5b7d-4e2a-9c1f-2d6b8e4a7c90', [field]: value },
      );
      await expect(run).rejects.toThrow(
        `${field}: not accepted by this action. What this action changes comes from the approved request and live reads, never from template values: pass only requestId.`,
      );
      expect(counter.calls).toEqual([]);
    },
  );

  it('a read-only action refuses an account that neither the config nor a catalog entity the user can see names, before any call', async () => {
    counter.reset();
    await expect(
      runAction(actions.find(a => a.id === 'cross-account-efs:eks:discover')!, {
        cluster: { ...cluster, accountId: '333333333333' },
      }),
    ).rejects.toThrow(
      'cluster.accountId: account 333333333333 is not in aws.accounts, and no catalog entity you can see',
    );
    expect(counter.calls).toEqual([]);
  });
});
