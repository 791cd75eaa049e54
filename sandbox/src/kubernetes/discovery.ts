import { RESOURCE_KINDS, ResourceKind } from './resources';

/** kubectl's short names (`kubectl get sc,pvc,pv,pods`), as the API server lists them. */
const SHORT_NAMES: Record<string, string[]> = {
  namespaces: ['ns'],
  serviceaccounts: ['sa'],
  persistentvolumeclaims: ['pvc'],
  persistentvolumes: ['pv'],
  pods: ['po'],
  events: ['ev'],
  storageclasses: ['sc'],
  deployments: ['deploy'],
  daemonsets: ['ds'],
};

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function resourceList(group: string, version: string) {
  const kinds = RESOURCE_KINDS.filter(
    k => k.group === group && k.version === version,
  );
  if (!kinds.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: kinds.map((k: ResourceKind) => ({
      name: k.plural,
      singularName: k.kind.toLowerCase(),
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      ...(SHORT_NAMES[k.plural] ? { shortNames: SHORT_NAMES[k.plural] } : {}),
    })),
  };
}

function groups() {
  const names = [
    ...new Set(RESOURCE_KINDS.map(k => k.group).filter(Boolean)),
  ].sort();
  return names.map(name => {
    const versions = [
      ...new Set(
        RESOURCE_KINDS.filter(k => k.group === name).map(k => k.version),
      ),
    ].map(version => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions, preferredVersion: versions[0] };
  });
}

/**
 * The discovery documents real clients read before anything else
 * (`/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>[/<version>]`),
 * for the kinds the double serves; undefined for any other path.
 */
export function discoveryDocument(pathname: string): unknown | undefined {
  const parts = pathname.split('/').filter(Boolean);
  if (pathname === '/version') {
    return {
      major: '1',
      minor: '33',
      gitVersion: 'v1.33.0-sandbox',
      platform: 'linux/amd64',
    };
  }
  if (parts[0] === 'api' && parts.length === 1) {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' },
      ],
    };
  }
  if (parts[0] === 'api' && parts.length === 2)
    return resourceList('', parts[1]);
  if (parts[0] === 'apis' && parts.length === 1) {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups() };
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = groups().find(g => g.name === parts[1]);
    return group && { kind: 'APIGroup', apiVersion: 'v1', ...group };
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    return resourceList(parts[1], parts[2]);
  }
  return undefined;
}
