/**
 * EKS access entries, which the emulator does not implement, answered as
 * the EKS REST API does (`ResourceNotFoundException`, `ResourceInUseException`
 * on errors): who may use a cluster's Kubernetes API, and with which access
 * policies. The sandbox cluster's API server authorizes every EKS token
 * through them, as EKS does in authentication mode API.
 */
export interface AccessScope {
  type: 'cluster' | 'namespace';
  namespaces?: string[];
}

export interface AccessEntry {
  clusterName: string;
  principalArn: string;
  accessEntryArn: string;
  kubernetesGroups: string[];
  username: string;
  type: string;
  createdAt: number;
  modifiedAt: number;
  tags?: Record<string, string>;
  policies: Array<{
    policyArn: string;
    accessScope: AccessScope;
    associatedAt: number;
    modifiedAt: number;
  }>;
}

export interface ClusterIdentity {
  accountId: string;
  region: string;
  name: string;
}

interface EksResponse {
  status: number;
  body: unknown;
  errorType?: string;
}

const error = (status: number, errorType: string, message: string) => ({
  status,
  errorType,
  body: { message },
});

/** The access policies EKS offers (ListAccessPolicies). */
export const EKS_ACCESS_POLICIES = [
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
].map(name => ({
  name,
  arn: `arn:aws:eks::aws:cluster-access-policy/${name}`,
}));

const PATH =
  /^\/clusters\/([^/]+)\/access-entries(?:\/([^/]+)(?:\/access-policies(?:\/([^/]+))?)?)?$/;
const POLICIES_PATH = /\/access-policies(\/[^/]+)?$/;

export class EksAccessEntryStore {
  private readonly entries = new Map<string, AccessEntry>();

  clear() {
    this.entries.clear();
  }

  private key(cluster: ClusterIdentity, principalArn: string) {
    return `${cluster.accountId}/${cluster.region}/${cluster.name}/${principalArn}`;
  }

  /** The entry of a principal on a cluster, as EKS looks it up for a token. */
  find(cluster: ClusterIdentity, principalArn: string) {
    return this.entries.get(this.key(cluster, principalArn));
  }

  /** Whether a path is an access-entry call (and needs the cluster it names). */
  static clusterOf(pathname: string): string | undefined {
    return PATH.exec(pathname)?.[1];
  }

  handle(
    method: string,
    pathname: string,
    body: any,
    cluster: ClusterIdentity | undefined,
  ): EksResponse | undefined {
    if (method === 'GET' && pathname === '/access-policies') {
      return { status: 200, body: { accessPolicies: EKS_ACCESS_POLICIES } };
    }
    const m = PATH.exec(pathname);
    if (!m) return undefined;
    if (!cluster) {
      return error(
        404,
        'ResourceNotFoundException',
        `No cluster found for name: ${decodeURIComponent(m[1])}.`,
      );
    }
    const principalArn = m[2] ? decodeURIComponent(m[2]) : body?.principalArn;
    const policyArn = m[3] ? decodeURIComponent(m[3]) : body?.policyArn;
    const isPolicies = POLICIES_PATH.test(pathname);
    const key = principalArn ? this.key(cluster, principalArn) : '';
    const entry = this.entries.get(key);
    const view = (e: AccessEntry) => {
      const { policies, ...rest } = e;
      return rest;
    };
    const notFound = () =>
      error(
        404,
        'ResourceNotFoundException',
        `The specified access entry resource is not found: ${principalArn}.`,
      );

    if (!m[2] && method === 'GET') {
      const prefix = this.key(cluster, '');
      return {
        status: 200,
        body: {
          accessEntries: [...this.entries.keys()]
            .filter(k => k.startsWith(prefix))
            .map(k => this.entries.get(k)!.principalArn),
        },
      };
    }
    if (!m[2] && method === 'POST') {
      if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:/.test(principalArn ?? '')) {
        return error(
          400,
          'InvalidParameterException',
          'principalArn must be an IAM principal ARN.',
        );
      }
      if (entry) {
        return error(
          409,
          'ResourceInUseException',
          `The specified access entry resource is already in use on this cluster.`,
        );
      }
      const now = Date.now() / 1000;
      const created: AccessEntry = {
        clusterName: cluster.name,
        principalArn,
        accessEntryArn: `arn:aws:eks:${cluster.region}:${
          cluster.accountId
        }:access-entry/${cluster.name}/${principalArn.split(':').pop()}`,
        kubernetesGroups: body?.kubernetesGroups ?? [],
        username: body?.username ?? principalArn,
        type: body?.type ?? 'STANDARD',
        createdAt: now,
        modifiedAt: now,
        tags: body?.tags,
        policies: [],
      };
      this.entries.set(key, created);
      return { status: 200, body: { accessEntry: view(created) } };
    }
    if (!entry) return notFound();
    if (!isPolicies) {
      if (method === 'GET')
        return { status: 200, body: { accessEntry: view(entry) } };
      if (method === 'DELETE') {
        this.entries.delete(key);
        return { status: 200, body: {} };
      }
      return undefined;
    }
    if (method === 'GET') {
      return {
        status: 200,
        body: {
          clusterName: cluster.name,
          principalArn,
          associatedAccessPolicies: entry.policies,
        },
      };
    }
    if (method === 'POST') {
      if (!EKS_ACCESS_POLICIES.some(p => p.arn === policyArn)) {
        return error(
          404,
          'ResourceNotFoundException',
          `The specified policyArn is not found: ${policyArn}.`,
        );
      }
      const now = Date.now() / 1000;
      const associated = {
        policyArn,
        accessScope: body?.accessScope ?? { type: 'cluster' },
        associatedAt: now,
        modifiedAt: now,
      };
      entry.policies = [
        ...entry.policies.filter(p => p.policyArn !== policyArn),
        associated,
      ];
      return {
        status: 200,
        body: {
          clusterName: cluster.name,
          principalArn,
          associatedAccessPolicy: associated,
        },
      };
    }
    if (method === 'DELETE') {
      entry.policies = entry.policies.filter(p => p.policyArn !== policyArn);
      return { status: 200, body: {} };
    }
    return undefined;
  }
}
