import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  StorageV1Api,
} from '@kubernetes/client-node';
import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';

/** The typed Kubernetes APIs the engine uses for one cluster. */
export interface KubernetesApis {
  core: CoreV1Api;
  storage: StorageV1Api;
  apps: AppsV1Api;
}

interface ClusterEntry {
  name: string;
  url: string;
  authProvider: string;
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
  caData?: string;
}

/**
 * Clusters as the Backstage Kubernetes plugin configures them
 * (`kubernetes.clusterLocatorMethods`, type `config`), so an operator
 * configures each cluster once. A cluster is found by its name, which is
 * the EKS cluster name.
 */
export class KubernetesClusters {
  static fromConfig(config: Config): KubernetesClusters {
    const clusters: ClusterEntry[] = [];
    for (const method of config.getOptionalConfigArray(
      'kubernetes.clusterLocatorMethods',
    ) ?? []) {
      if (method.getString('type') !== 'config') continue;
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        clusters.push({
          name: c.getString('name'),
          url: c.getString('url'),
          authProvider:
            c.getOptionalString('authProvider') ??
            c.getOptionalString('authMetadata.kubernetes\\.io/auth-provider') ??
            'serviceAccount',
          serviceAccountToken: c.getOptionalString('serviceAccountToken'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
          caData: c.getOptionalString('caData'),
        });
      }
    }
    return new KubernetesClusters(clusters);
  }

  constructor(private readonly clusters: ClusterEntry[]) {}

  /** One set of API clients per cluster (or its configuration error), as AwsClients keeps one client per account. */
  private readonly apis = new Map<string, KubernetesApis | Error>();

  /** The APIs of the named cluster, or an error that says how to configure it. */
  forCluster(clusterName: string): KubernetesApis {
    let apis = this.apis.get(clusterName);
    if (!apis) {
      try {
        apis = this.makeApis(clusterName);
      } catch (e) {
        apis = e as Error;
      }
      this.apis.set(clusterName, apis);
    }
    if (apis instanceof Error) throw apis;
    return apis;
  }

  private makeApis(clusterName: string): KubernetesApis {
    const cluster = this.clusters.find(c => c.name === clusterName);
    if (!cluster) {
      throw new NotFoundError(
        `No Kubernetes cluster named ${clusterName} is configured. Add it under kubernetes.clusterLocatorMethods (type: config), as for the Backstage Kubernetes plugin, with name: ${clusterName}.`,
      );
    }
    if (
      cluster.authProvider !== 'serviceAccount' ||
      !cluster.serviceAccountToken
    ) {
      throw new InputError(
        `Cluster ${clusterName} uses authProvider ${cluster.authProvider}; the cross-account EFS actions support serviceAccount with a serviceAccountToken.`,
      );
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          skipTLSVerify: cluster.skipTLSVerify,
          caData: cluster.caData,
        },
      ],
      users: [{ name: 'backstage', token: cluster.serviceAccountToken }],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: 'backstage' },
      ],
      currentContext: cluster.name,
    });
    return {
      core: kc.makeApiClient(CoreV1Api),
      storage: kc.makeApiClient(StorageV1Api),
      apps: kc.makeApiClient(AppsV1Api),
    };
  }
}
