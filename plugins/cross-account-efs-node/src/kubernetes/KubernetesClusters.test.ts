import { ConfigReader } from '@backstage/config';
import { KubernetesClusters } from './KubernetesClusters';

const clusters = KubernetesClusters.fromConfig(
  new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'alpha',
              url: 'https://127.0.0.1:6443',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'token',
            },
            {
              name: 'beta',
              url: 'https://127.0.0.1:6444',
              authProvider: 'aws',
            },
          ],
        },
      ],
    },
  }),
);

describe('KubernetesClusters', () => {
  it('makes one set of API clients per cluster, however many connections ask', () => {
    const apis = clusters.forCluster('alpha');
    expect(apis.core).toBeDefined();
    expect(clusters.forCluster('alpha')).toBe(apis);
  });

  it('names the fix for a cluster that is not configured, every time it is asked', () => {
    const ask = () => clusters.forCluster('gamma');
    expect(ask).toThrow(
      /No Kubernetes cluster named gamma is configured.*kubernetes.clusterLocatorMethods/,
    );
    expect(ask).toThrow(/gamma/);
  });

  it('says which auth providers it supports', () => {
    expect(() => clusters.forCluster('beta')).toThrow(
      /authProvider aws.*serviceAccount/,
    );
  });
});
