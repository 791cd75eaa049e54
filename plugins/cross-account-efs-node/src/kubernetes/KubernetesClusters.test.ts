import { ConfigReader } from '@backstage/config';
import { AwsClients } from '../aws/AwsClients';
import { KubernetesClusters } from './KubernetesClusters';

const clusterConfig = (clusters: object[]) =>
  new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'catalog' },
        { type: 'config', clusters },
      ],
    },
  });

const clusters = KubernetesClusters.fromConfig(
  clusterConfig([
    {
      name: 'alpha',
      url: 'https://127.0.0.1:6443',
      authProvider: 'serviceAccount',
      serviceAccountToken: 'token',
      caData: 'Y2E=',
    },
    // The form the Kubernetes plugin's catalog locator produces: authMetadata only.
    {
      name: 'beta-in-backstage',
      url: 'https://127.0.0.1:6444',
      authMetadata: {
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/x-k8s-aws-id': 'beta',
        'kubernetes.io/aws-assume-role':
          'arn:aws:iam::222222222222:role/eks-admin',
      },
      caData: 'Y2E=',
    },
    { name: 'gamma', url: 'https://127.0.0.1:6445', authProvider: 'oidc' },
    { name: 'delta', url: 'https://127.0.0.1:6446' },
  ]),
);

// No call reaches AWS below: every cluster here has its url and CA in config.
const aws = AwsClients.fromConfig(new ConfigReader({}));
const at = (clusterName: string) => ({
  clusterName,
  accountId: '222222222222',
  region: 'us-west-2',
});

describe('KubernetesClusters', () => {
  it('makes one set of API clients per cluster, however many connections ask', async () => {
    const apis = await clusters.forCluster(at('alpha'), aws);
    expect(apis).toMatchObject({
      server: 'https://127.0.0.1:6443',
      authProvider: 'serviceAccount',
    });
    expect(await clusters.forCluster(at('alpha'), aws)).toBe(apis);
  });

  it('reads a cluster configured through authMetadata alone, found by its EKS name', async () => {
    expect(clusters.problem({ clusterName: 'beta' })).toBeUndefined();
    expect(await clusters.forCluster(at('beta'), aws)).toMatchObject({
      server: 'https://127.0.0.1:6444',
      authProvider: 'aws',
    });
  });

  it("finds a cluster the Kubernetes plugin names otherwise through the entity's backstage.io/kubernetes-id", async () => {
    expect(
      await clusters.forCluster({ ...at('apps'), kubernetesId: 'alpha' }, aws),
    ).toMatchObject({ server: 'https://127.0.0.1:6443' });
  });

  it('refuses a provider that signs in as each user, naming the two that work', async () => {
    await expect(clusters.forCluster(at('gamma'), aws)).rejects.toThrow(
      /gamma is configured with authProvider oidc.*Use authProvider: aws.*or serviceAccount/,
    );
  });

  it('refuses a service account cluster without its token', () => {
    expect(clusters.problem({ clusterName: 'delta' })).toMatch(
      /delta uses authProvider serviceAccount without a serviceAccountToken/,
    );
  });

  it('reads every form without failing at start-up, and ignores other locators', () => {
    expect(() =>
      KubernetesClusters.fromConfig(
        clusterConfig([
          { name: 'a', url: 'https://a', authProvider: 'google' },
          { name: 'b', authMetadata: {} },
          {
            name: 'c',
            url: 'https://c',
            caFile: '/nowhere',
            skipTLSVerify: true,
          },
        ]),
      ),
    ).not.toThrow();
  });
});
