import type { Caller } from './eksAuthentication';
import type { ResourceKind } from './resources';

const READ = ['get', 'list', 'watch'];
const POLICY = (name: string) =>
  `arn:aws:eks::aws:cluster-access-policy/${name}`;

/**
 * What EKS's access policies let a caller do, as their Kubernetes
 * permissions read (docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html):
 * ClusterAdmin everything; Admin everything in its namespaces and reading
 * cluster-scoped objects; Edit writing namespaced objects; View reading
 * them, but not secrets. Kubernetes groups (RBAC bindings) are not
 * modelled: an entry that has only groups is allowed nothing.
 */
export function allows(
  caller: Caller,
  verb: string,
  kind: ResourceKind,
  namespace: string | undefined,
): boolean {
  return caller.policies.some(({ policyArn, accessScope }) => {
    if (policyArn === POLICY('AmazonEKSClusterAdminPolicy')) return true;
    const inScope =
      accessScope.type === 'cluster' ||
      (!!namespace && (accessScope.namespaces ?? []).includes(namespace));
    if (!kind.namespaced) {
      return (
        policyArn === POLICY('AmazonEKSAdminPolicy') &&
        accessScope.type === 'cluster' &&
        READ.includes(verb)
      );
    }
    if (!inScope) return false;
    switch (policyArn) {
      case POLICY('AmazonEKSAdminPolicy'):
      case POLICY('AmazonEKSEditPolicy'):
        return true;
      case POLICY('AmazonEKSViewPolicy'):
        return READ.includes(verb) && kind.plural !== 'secrets';
      default:
        return false;
    }
  });
}

/** The API server's words for a refusal (a 403 Status message). */
export function forbiddenMessage(
  caller: Caller,
  verb: string,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string | undefined,
): string {
  const resource = kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
  return `${resource}${name ? ` "${name}"` : ''} is forbidden: User "${
    caller.username
  }" cannot ${verb} resource "${kind.plural}" in API group "${kind.group}" ${
    namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
  }`;
}
