import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  StorageV1Api,
} from '@kubernetes/client-node';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ClusterRef } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { AwsClients } from '../aws/AwsClients';
import { EksTokenSource } from './eksToken';

/**
 * The typed Kubernetes APIs the engine uses for one cluster.
 *
 * @public
 */
export interface KubernetesApis {
  core: CoreV1Api;
  storage: StorageV1Api;
  apps: AppsV1Api;
  /** The API server the engine talks to, and how it signs in: for messages. */
  server: string;
  authProvider: string;
}

/**
 * One cluster of `kubernetes.clusterLocatorMethods` (type `config`), in the Kubernetes plugin's own keys.
 *
 * @public
 */
export interface KubernetesClusterConfigEntry {
  name: string;
  /** The EKS name, when the Kubernetes plugin knows the cluster by another. */
  eksName: string;
  url?: string;
  authProvider: string;
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
  caData?: string;
  caFile?: string;
  assumeRole?: string;
  externalId?: string;
}

// The Kubernetes plugin's authMetadata keys (@backstage/plugin-kubernetes-common).
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';
const AWS_ASSUME_ROLE = 'kubernetes.io/aws-assume-role';
const AWS_EXTERNAL_ID = 'kubernetes.io/aws-external-id';
const AWS_CLUSTER_ID = 'kubernetes.io/x-k8s-aws-id';

/** How the engine signs in to a cluster: it works unattended, so never with a user's token. */
const SUPPORTED_AUTH = ['aws', 'serviceAccount'];
const EKS_TOKEN_AUTH = 'cross-account-efs-eks-token';

function entryOf(c: Config): KubernetesClusterConfigEntry {
  // authMetadata's keys hold '/', which config paths cannot address: read it whole.
  const metadata = (c.getOptional('authMetadata') ?? {}) as Record<
    string,
    unknown
  >;
  const meta = (key: string) =>
    typeof metadata[key] === 'string' ? (metadata[key] as string) : undefined;
  const name = c.getString('name');
  return {
    name,
    eksName: meta(AWS_CLUSTER_ID) ?? name,
    url: c.getOptionalString('url'),
    authProvider:
      c.getOptionalString('authProvider') ??
      meta(AUTH_PROVIDER) ??
      'serviceAccount',
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    assumeRole: c.getOptionalString('assumeRole') ?? meta(AWS_ASSUME_ROLE),
    externalId: c.getOptionalString('externalId') ?? meta(AWS_EXTERNAL_ID),
  };
}

/**
 * How the engine reaches each cluster's API server. A cluster configured
 * for the Backstage Kubernetes plugin (`kubernetes.clusterLocatorMethods`,
 * type `config`) is reached as configured there, found by the entity's
 * `backstage.io/kubernetes-id`, its EKS name, or the entry's
 * `authMetadata['kubernetes.io/x-k8s-aws-id']`; any other
 * EKS cluster needs no Kubernetes config at all: endpoint and CA come from
 * DescribeCluster, and the engine signs in with an EKS token minted from
 * the identity it already uses in the cluster's account. Reading config
 * never fails: a form the engine cannot use is refused when a connection
 * asks for that cluster, with the fix.
 *
 * @public
 */
export class KubernetesClusters {
  static fromConfig(config: Config): KubernetesClusters {
    const clusters: KubernetesClusterConfigEntry[] = [];
    for (const method of config.getOptionalConfigArray(
      'kubernetes.clusterLocatorMethods',
    ) ?? []) {
      if (method.getOptionalString('type') !== 'config') continue;
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        clusters.push(entryOf(c));
      }
    }
    return new KubernetesClusters(clusters, {
      manageAccessEntries:
        config.getOptionalBoolean(
          'crossAccountEfs.kubernetes.manageAccessEntries',
        ) ?? false,
    });
  }

  constructor(
    private readonly clusters: KubernetesClusterConfigEntry[] = [],
    options: { manageAccessEntries?: boolean } = {},
  ) {
    this.manageAccessEntries = options.manageAccessEntries ?? false;
  }

  /**
   * Whether a plan may give the portal's role an EKS access entry on a
   * cluster that does not let it in (off unless configured).
   */
  readonly manageAccessEntries: boolean;

  /** One set of API clients per cluster, as AwsClients keeps one client per account. */
  private readonly apis = new Map<string, Promise<KubernetesApis>>();

  /** The configured entry for a cluster: by its entity's kubernetes-id, its name, or its EKS name. */
  private entryFor(cluster: {
    clusterName: string;
    kubernetesId?: string;
  }): KubernetesClusterConfigEntry | undefined {
    return (
      this.clusters.find(c => c.name === cluster.kubernetesId) ??
      this.clusters.find(c => c.name === cluster.clusterName) ??
      this.clusters.find(c => c.eksName === cluster.clusterName)
    );
  }

  /**
   * Why the engine cannot reach this cluster as configured, before any
   * call; undefined when it can.
   */
  problem(cluster: {
    clusterName: string;
    kubernetesId?: string;
  }): string | undefined {
    const entry = this.entryFor(cluster);
    if (!entry) return undefined;
    if (!SUPPORTED_AUTH.includes(entry.authProvider)) {
      return `Cluster ${entry.name} is configured with authProvider ${entry.authProvider}, which signs in with each user's own credentials; the cross-account EFS actions run unattended. Use authProvider: aws (an EKS token from the portal's AWS identity, optionally with assumeRole and externalId) or serviceAccount with a serviceAccountToken for this cluster in kubernetes.clusterLocatorMethods.`;
    }
    if (entry.authProvider === 'serviceAccount') {
      if (!entry.serviceAccountToken) {
        return `Cluster ${entry.name} uses authProvider serviceAccount without a serviceAccountToken; add one, or use authProvider: aws for an EKS cluster.`;
      }
      if (!entry.url) {
        return `Cluster ${entry.name} uses authProvider serviceAccount without a url; add the API server's url.`;
      }
    }
    return undefined;
  }

  /**
   * How the engine signs in to a cluster: its auth provider and, for EKS
   * tokens, the role it assumes first (none: the engine's own identity in
   * the cluster's account).
   */
  signInOf(cluster: { clusterName: string; kubernetesId?: string }): {
    authProvider: string;
    assumeRole?: string;
  } {
    const entry = this.entryFor(cluster);
    return {
      authProvider: entry?.authProvider ?? 'aws',
      assumeRole: entry?.assumeRole,
    };
  }

  /** The APIs of a connection's cluster, or an error that says how to configure it. */
  forCluster(cluster: ClusterRef, aws: AwsClients): Promise<KubernetesApis> {
    const problem = this.problem(cluster);
    if (problem) return Promise.reject(new InputError(problem));
    let apis = this.apis.get(cluster.clusterName);
    if (!apis) {
      apis = this.makeApis(cluster, aws);
      // A failed DescribeCluster is not kept: the next call asks again.
      apis.catch(() => this.apis.delete(cluster.clusterName));
      this.apis.set(cluster.clusterName, apis);
    }
    return apis;
  }

  private async makeApis(
    cluster: ClusterRef,
    aws: AwsClients,
  ): Promise<KubernetesApis> {
    const entry: KubernetesClusterConfigEntry = this.entryFor(cluster) ?? {
      name: cluster.clusterName,
      eksName: cluster.clusterName,
      authProvider: 'aws',
      skipTLSVerify: false,
    };
    let { url, caData } = entry;
    if (!url || (entry.authProvider === 'aws' && !caData && !entry.caFile)) {
      const { cluster: eks } = await aws
        .eks(cluster)
        .send(new DescribeClusterCommand({ name: entry.eksName }));
      url ??= eks?.endpoint;
      caData ??= eks?.certificateAuthority?.data;
    }
    if (!url) {
      throw new InputError(
        `EKS cluster ${entry.eksName} has no API server endpoint yet; wait until it is ACTIVE.`,
      );
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: entry.name,
          server: url,
          skipTLSVerify: entry.skipTLSVerify,
          caData,
          caFile: entry.caFile,
        },
      ],
      users: [
        entry.authProvider === 'aws'
          ? { name: 'backstage', authProvider: { name: EKS_TOKEN_AUTH } }
          : { name: 'backstage', token: entry.serviceAccountToken },
      ],
      contexts: [{ name: entry.name, cluster: entry.name, user: 'backstage' }],
      currentContext: entry.name,
    });
    if (entry.authProvider === 'aws') {
      const tokens = new EksTokenSource({
        credentials: this.credentials(entry, cluster, aws),
        clusterName: entry.eksName,
        region: cluster.region,
      });
      kc.addAuthenticator({
        isAuthProvider: user => user.authProvider?.name === EKS_TOKEN_AUTH,
        applyAuthentication: async (_user, opts) => {
          opts.headers = {
            ...opts.headers,
            Authorization: `Bearer ${await tokens.token()}`,
          };
        },
      });
    }
    return {
      core: kc.makeApiClient(CoreV1Api),
      storage: kc.makeApiClient(StorageV1Api),
      apps: kc.makeApiClient(AppsV1Api),
      server: url,
      authProvider: entry.authProvider,
    };
  }

  /** The identity an EKS token speaks for: the engine's in the cluster's account, or the configured role. */
  private credentials(
    entry: KubernetesClusterConfigEntry,
    cluster: ClusterRef,
    aws: AwsClients,
  ) {
    const own = aws.credentialsFor(cluster.accountId);
    if (!entry.assumeRole) return own;
    return fromTemporaryCredentials({
      masterCredentials: own,
      clientConfig: { region: cluster.region },
      params: {
        RoleArn: entry.assumeRole,
        ExternalId: entry.externalId,
        RoleSessionName: 'backstage-cross-account-efs',
      },
    });
  }
}
