import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeMountTargetsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { Emulator, startEmulator } from './emulator';
import { SANDBOX } from './layout';
import { sandboxClientConfig, seedSandbox } from './seed';

jest.setTimeout(60_000);

describe('seedSandbox (against the AWS emulator)', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.stop());

  const inAccount = (accountId: string) =>
    sandboxClientConfig(emulator.endpoint, accountId, SANDBOX.portalRoleName);

  it('builds both accounts, and a second run creates nothing', async () => {
    const first = await seedSandbox(emulator.endpoint);
    expect(first.created).toHaveLength(28);
    // Who may use apps-cluster's Kubernetes API: the portal, and kubectl's admin role.
    expect(first.created.filter(c => c.includes('eks access entry'))).toEqual([
      `${SANDBOX.eks.accountId} eks access entry apps-cluster arn:aws:iam::${SANDBOX.eks.accountId}:role/${SANDBOX.portalRoleName}`,
      `${SANDBOX.eks.accountId} eks access entry apps-cluster arn:aws:iam::${SANDBOX.eks.accountId}:role/${SANDBOX.adminRoleName}`,
    ]);
    expect(first.fileSystemId).toBe(SANDBOX.efs.fileSystemId);

    const second = await seedSandbox(emulator.endpoint);
    expect(second.created).toEqual([]);
    expect(second.existing).toHaveLength(28);
    expect(second.fileSystemId).toBe(first.fileSystemId);

    // Read back with independent calls, as the portal's role would.
    const efsAccount = inAccount(SANDBOX.efs.accountId);
    const mountTargets = await new EFSClient(efsAccount).send(
      new DescribeMountTargetsCommand({ FileSystemId: first.fileSystemId }),
    );
    expect(
      mountTargets.MountTargets?.map(m => m.AvailabilityZoneName).sort(),
    ).toEqual(SANDBOX.efs.subnets.map(s => s.az));
    const efsVpcs = await new EC2Client(efsAccount).send(
      new DescribeVpcsCommand({
        Filters: [{ Name: 'tag:Name', Values: [SANDBOX.efs.vpcName] }],
      }),
    );
    expect(efsVpcs.Vpcs?.map(v => v.CidrBlock)).toEqual([SANDBOX.efs.vpcCidr]);

    const cluster = await new EKSClient(inAccount(SANDBOX.eks.accountId)).send(
      new DescribeClusterCommand({ name: SANDBOX.eks.clusterName }),
    );
    expect(cluster.cluster?.resourcesVpcConfig?.subnetIds).toHaveLength(3);
    // The gateway completes what the emulator leaves out, as EKS answers it.
    expect(cluster.cluster?.resourcesVpcConfig?.clusterSecurityGroupId).toBe(
      first.clusterSecurityGroupId,
    );
    expect(cluster.cluster?.resourcesVpcConfig?.vpcId).toMatch(/^vpc-/);
  });
});

describe('examples/ catalog entities', () => {
  it('name the resources the sandbox seeds', () => {
    const file = join(__dirname, '../../examples/sandbox-resources.yaml');
    const entities = parseAllDocuments(readFileSync(file, 'utf8')).map(d =>
      d.toJS(),
    );
    const fileSystem = entities.find(e => e.spec?.type === 'efs-file-system');
    const cluster = entities.find(e => e.spec?.type === 'kubernetes-cluster');

    expect(fileSystem.metadata.annotations).toMatchObject({
      'aws.amazon.com/account-id': SANDBOX.efs.accountId,
      'aws.amazon.com/region': SANDBOX.region,
      'aws.amazon.com/efs-file-system-id': SANDBOX.efs.fileSystemId,
    });
    expect(cluster.metadata.annotations).toMatchObject({
      'aws.amazon.com/account-id': SANDBOX.eks.accountId,
      'aws.amazon.com/region': SANDBOX.region,
      'aws.amazon.com/eks-cluster-name': SANDBOX.eks.clusterName,
    });
  });
});
