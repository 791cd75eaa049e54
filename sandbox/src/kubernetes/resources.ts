/**
 * The kinds the Kubernetes API double serves: the objects the cross-account
 * EFS engine touches, and the ones the simulated CSI driver creates.
 */
export interface ResourceKind {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Why an update is refused (the API server's 422 field message), if it is. */
  immutable?(previous: KubeObject, next: KubeObject): string | undefined;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: any;
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields whose change the real API server forbids after creation. */
function forbidChanges(
  fields: string[],
  what = 'updates to {field} are forbidden',
) {
  return (previous: KubeObject, next: KubeObject) => {
    const changed = fields.filter(f => !same(previous[f], next[f]));
    return changed.length
      ? changed
          .map(f => `${f}: Forbidden: ${what.replace('{field}', f)}.`)
          .join(', ')
      : undefined;
  };
}

export const RESOURCE_KINDS: ResourceKind[] = [
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
  },
  {
    group: '',
    version: 'v1',
    plural: 'secrets',
    kind: 'Secret',
    namespaced: true,
    immutable: (previous, next) =>
      previous.immutable &&
      (!same(previous.data, next.data) ||
        !same(previous.immutable, next.immutable))
        ? 'data: Forbidden: field is immutable when `immutable` is set'
        : undefined,
  },
  {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    immutable: (previous, next) => {
      const strip = (o: KubeObject) => ({
        ...o.spec,
        resources: undefined,
        volumeName: undefined,
      });
      return same(strip(previous), strip(next))
        ? undefined
        : 'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    },
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
  },
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
    immutable: (previous, next) =>
      same(previous.spec, next.spec)
        ? undefined
        : 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds`',
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    immutable: forbidChanges([
      'parameters',
      'provisioner',
      'reclaimPolicy',
      'volumeBindingMode',
    ]),
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'csidrivers',
    kind: 'CSIDriver',
    namespaced: false,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
  },
];

export function apiVersionOf(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

export function kindByPlural(group: string, version: string, plural: string) {
  return RESOURCE_KINDS.find(
    k => k.group === group && k.version === version && k.plural === plural,
  );
}

export function kindByName(kind: string) {
  return RESOURCE_KINDS.find(k => k.kind === kind);
}
