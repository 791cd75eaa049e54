import { InputError } from '@backstage/errors';

/** A cluster that did not let the engine in (401) or refused it (403), with what to grant. */
export class ClusterRefusedError extends InputError {
  constructor(message: string, readonly status: 401 | 403) {
    super(message);
  }
}

/** The HTTP status of a @kubernetes/client-node ApiException. */
export function kubeStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Reads an object; undefined when the API server says 404. */
export async function readOptional<T>(
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (kubeStatus(e) === 404) return undefined;
    throw e;
  }
}

/** Creates an object; AlreadyExists (409) means a lost response or a race, and is fine. */
export async function createIdempotent(
  create: () => Promise<unknown>,
): Promise<void> {
  try {
    await create();
  } catch (e) {
    if (kubeStatus(e) !== 409) throw e;
  }
}

/** The API server's own message (the Status body), for errors users read. */
export function describeKubeError(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  try {
    const status = typeof body === 'string' ? JSON.parse(body) : body;
    if (status?.message)
      return `${status.reason ?? 'Error'}: ${status.message}`;
  } catch {
    // not a Status body
  }
  return (error as Error)?.message ?? String(error);
}

/**
 * What to grant when a cluster refuses the engine: 401 (not signed in: no
 * EKS access entry for the portal's role, or a bad token) or 403 (signed
 * in, but not allowed). Any other error is the API server's own message.
 */
export function kubeAccessFix(
  error: unknown,
  cluster: { clusterName: string; accountId: string },
  authProvider: string,
): string | undefined {
  const status = kubeStatus(error);
  if (status !== 401 && status !== 403) return undefined;
  const { clusterName, accountId } = cluster;
  const grant =
    authProvider === 'aws'
      ? `${grantAccessEntry(
          clusterName,
          `the portal's role in account ${accountId} (aws.accountDefaults.roleName or aws.accounts)`,
          '<role ARN>',
        )} (or map the role in the aws-auth ConfigMap)`
      : `check the serviceAccountToken configured for ${clusterName} and that its service account may manage StorageClasses, namespaces and kube-system secrets`;
  return status === 401
    ? `Cluster ${clusterName} did not accept the portal's credentials (401 Unauthorized). Fix: ${grant}.`
    : `Cluster ${clusterName} refused the portal: ${describeKubeError(
        error,
      )}. Fix: ${grant}.`;
}

/**
 * The commands that give a principal the access the engine needs: it writes
 * StorageClasses and namespaces (cluster-scoped) and kube-system secrets, which
 * no EKS access policy narrower than ClusterAdmin allows.
 */
export function grantAccessEntry(
  clusterName: string,
  who: string,
  principalArn: string,
  partition = 'aws',
): string {
  return `give ${who} an EKS access entry on ${clusterName} with AmazonEKSClusterAdminPolicy at cluster scope (the engine writes StorageClasses, namespaces and kube-system secrets): aws eks create-access-entry --cluster-name ${clusterName} --principal-arn ${principalArn}, then aws eks associate-access-policy --cluster-name ${clusterName} --principal-arn ${principalArn} --policy-arn arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`;
}
