import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SANDBOX,
  SANDBOX_CONNECTION,
  sandboxClusterEntity,
  sandboxFileSystemEntity,
} from '@internal/sandbox';
import { ConfigReader } from '@backstage/config';
import { entityMappingFromConfig } from './entityMapping';
import { resolveConnection } from './resolveConnection';

const { efs, eks, region } = SANDBOX;

/** An entity of the given type with only these annotations. */
const entity = (
  name: string,
  type: string,
  annotations: Record<string, string>,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, owner: 'group:default/platform-team' },
});

const resolveWith = (entities: object[], config: object = {}) =>
  resolveConnection(
    catalogServiceMock({ entities: entities as any }),
    {
      fileSystemRef: 'resource:default/shared-efs',
      clusterRef: 'resource:default/apps-cluster',
    },
    mockCredentials.user(),
    entityMappingFromConfig(
      new ConfigReader({ crossAccountEfs: { catalog: config } }),
    ),
  );

const named = (kubernetesId: string) => {
  const cluster = sandboxClusterEntity();
  cluster.metadata.annotations['backstage.io/kubernetes-id'] = kubernetesId;
  return cluster;
};

const resolve = (kubernetesId: string) =>
  resolveConnection(
    catalogServiceMock({
      entities: [sandboxFileSystemEntity(), named(kubernetesId)] as any,
    }),
    {
      fileSystemRef: 'resource:default/shared-efs',
      clusterRef: 'resource:default/apps-cluster',
    },
    mockCredentials.user(),
  );

describe('resolveConnection', () => {
  it("records the Kubernetes plugin's name for the cluster only when it differs from the EKS name", async () => {
    expect(await resolve('apps-cluster')).toEqual(SANDBOX_CONNECTION);
    expect((await resolve('prod-apps')).cluster).toEqual({
      ...SANDBOX_CONNECTION.cluster,
      kubernetesId: 'prod-apps',
    });
  });

  it('resolves entities that carry only their AWS ARN to the same connection', async () => {
    expect(
      await resolveWith([
        entity('shared-efs', 'efs-file-system', {
          'aws.amazon.com/arn': `arn:aws:elasticfilesystem:${region}:${efs.accountId}:file-system/${efs.fileSystemId}`,
        }),
        entity('apps-cluster', 'kubernetes-cluster', {
          'aws.amazon.com/arn': `arn:aws:eks:${region}:${eks.accountId}:cluster/${eks.clusterName}`,
        }),
      ]),
    ).toEqual(SANDBOX_CONNECTION);
  });

  it("resolves a cluster described as the Kubernetes plugin's catalog locator reads it to the same connection", async () => {
    expect(
      await resolveWith([
        sandboxFileSystemEntity(),
        entity('apps-cluster', 'kubernetes-cluster', {
          'kubernetes.io/api-server': `https://0123456789ABCDEF.gr7.${region}.eks.amazonaws.com`,
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': eks.clusterName,
          'kubernetes.io/aws-assume-role': `arn:aws:iam::${eks.accountId}:role/eks-reader`,
        }),
      ]),
    ).toEqual(SANDBOX_CONNECTION);
  });

  it('follows the configured spec.types and annotations, and refuses another type naming the configured ones', async () => {
    const config = {
      fileSystem: {
        types: ['filesystem'],
        annotations: { fileSystemId: 'example.com/efs-id' },
      },
      cluster: { types: ['eks-cluster'] },
    };
    const fs = entity('shared-efs', 'filesystem', {
      'aws.amazon.com/account-id': efs.accountId,
      'aws.amazon.com/region': region,
      'example.com/efs-id': efs.fileSystemId,
    });
    const cluster = {
      ...sandboxClusterEntity(),
      spec: { type: 'eks-cluster' },
    };
    expect(await resolveWith([fs, cluster], config)).toEqual(
      SANDBOX_CONNECTION,
    );
    await expect(
      resolveWith([fs, sandboxClusterEntity()], config),
    ).rejects.toThrow(
      'clusterRef: resource:default/apps-cluster is not a Resource of spec.type eks-cluster (crossAccountEfs.catalog).',
    );
  });

  it('names what is missing when an entity says neither an ARN nor the annotations', async () => {
    await expect(
      resolveWith([
        entity('shared-efs', 'efs-file-system', {}),
        sandboxClusterEntity(),
      ]),
    ).rejects.toThrow(
      /lack valid AWS annotations \(aws\.amazon\.com\/arn, or aws\.amazon\.com\/account-id, .*fileSystem\.accountId/,
    );
  });
});
