import { AwsClients } from '../aws/AwsClients';
import { createEngineContext } from '../engine/createEngineContext';
import type { EngineContext, Topology } from '../engine/types';

/** Credentials for clients whose HTTP layer or `send` a test replaces. */
export const offlineCredentials = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'offline',
      secretAccessKey: 'offline',
    }),
  }),
};

/** An engine whose clients never leave the process (their `send` is mocked by the test). */
export function offlineEngine(): EngineContext & { logs: string[] } {
  const logs: string[] = [];
  const aws = new AwsClients({
    credentialsManager: offlineCredentials,
    maxAttempts: 1,
  });
  const ctx = createEngineContext({
    aws,
    logger: { info: m => logs.push(m), warn: m => logs.push(`WARN ${m}`) },
  });
  return Object.assign(ctx, { logs });
}

/** A small, valid topology; tests change what they are about. */
export function topology(
  overrides: {
    fileSystem?: Partial<Topology['fileSystem']>;
    cluster?: Partial<Topology['cluster']>;
  } = {},
): Topology {
  const fileSystem: Topology['fileSystem'] = {
    accountId: '111111111111',
    region: 'us-west-2',
    fileSystemId: 'fs-0123456789abcdef0',
    fileSystemArn:
      'arn:aws:elasticfilesystem:us-west-2:111111111111:file-system/fs-0123456789abcdef0',
    lifeCycleState: 'available',
    vpcId: 'vpc-0aaaaaaaaaaaaaaa1',
    vpcCidrs: ['10.0.0.0/16'],
    mountTargets: [
      {
        mountTargetId: 'fsmt-1',
        azId: 'usw2-az1',
        azName: 'us-west-2b',
        ipAddress: '10.0.2.10',
        subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
        securityGroupIds: ['sg-0aaaaaaaaaaaaaaa1'],
        state: 'available',
      },
      {
        mountTargetId: 'fsmt-2',
        azId: 'usw2-az2',
        azName: 'us-west-2a',
        ipAddress: '10.0.1.10',
        subnetId: 'subnet-0aaaaaaaaaaaaaaa2',
        securityGroupIds: ['sg-0aaaaaaaaaaaaaaa1'],
        state: 'available',
      },
    ],
    routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1'],
    ...overrides.fileSystem,
  };
  const cluster: Topology['cluster'] = {
    accountId: '222222222222',
    region: 'us-west-2',
    clusterName: 'apps',
    vpcId: 'vpc-0bbbbbbbbbbbbbbb1',
    vpcCidrs: ['10.1.0.0/16'],
    clusterSecurityGroupId: 'sg-0bbbbbbbbbbbbbbb1',
    subnets: [
      {
        subnetId: 'subnet-0bbbbbbbbbbbbbbb1',
        azId: 'usw2-az1',
        azName: 'us-west-2b',
      },
      {
        subnetId: 'subnet-0bbbbbbbbbbbbbbb2',
        azId: 'usw2-az2',
        azName: 'us-west-2a',
      },
    ],
    routeTableIds: ['rtb-0bbbbbbbbbbbbbbb1'],
    dnsSupport: true,
    dnsHostnames: true,
    ...overrides.cluster,
  };
  return {
    spec: {
      fileSystem: {
        accountId: fileSystem.accountId,
        region: fileSystem.region,
        fileSystemId: fileSystem.fileSystemId,
      },
      cluster: {
        accountId: cluster.accountId,
        region: cluster.region,
        clusterName: cluster.clusterName,
      },
    },
    fileSystem,
    cluster,
  };
}

/** An AWS service error as the SDK throws it. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: {},
  });
}

/**
 * A PersistentVolume the driver provisioned for a class, naming the secret
 * its deletion needs (as the external provisioner annotates it).
 */
export function driverVolume(options: {
  name: string;
  storageClassName: string;
  deletionSecretName: string;
  fileSystemId: string;
}) {
  return {
    metadata: {
      name: options.name,
      annotations: {
        'volume.kubernetes.io/provisioner-deletion-secret-name':
          options.deletionSecretName,
        'volume.kubernetes.io/provisioner-deletion-secret-namespace':
          'kube-system',
      },
    },
    spec: {
      storageClassName: options.storageClassName,
      persistentVolumeReclaimPolicy: 'Delete',
      accessModes: ['ReadWriteMany'],
      capacity: { storage: '5Gi' },
      csi: {
        driver: 'efs.csi.aws.com',
        volumeHandle: `${options.fileSystemId}::fsap-0123456789abcdef0`,
      },
    },
  };
}
