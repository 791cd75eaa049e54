import { SANDBOX_CONNECTION } from '@internal/sandbox';

/** A request for the sandbox connection, as the requests API records one. */
export const sandboxRequest = {
  requester: 'user:default/requester',
  fileSystemRef: 'resource:default/shared-efs',
  clusterRef: 'resource:default/apps-cluster',
  spec: SANDBOX_CONNECTION,
  options: {
    storageClassName: 'efs-shared',
    directoryPerms: '700',
    connectivity: 'peering' as const,
    nfsIngressMode: 'cidr' as const,
    workloadIdentity: 'irsa' as const,
    rootAccess: false,
  },
  plan: { changes: [], blockers: [] },
};
