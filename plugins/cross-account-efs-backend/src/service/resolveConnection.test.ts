import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SANDBOX_CONNECTION,
  sandboxClusterEntity,
  sandboxFileSystemEntity,
} from '@internal/sandbox';
import { resolveConnection } from './resolveConnection';

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
});
