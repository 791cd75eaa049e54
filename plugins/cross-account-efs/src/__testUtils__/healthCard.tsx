import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  ConnectionHealth,
  CrossAccountEfsApi,
  crossAccountEfsApiRef,
} from '../api/CrossAccountEfsApi';
import { ConnectionHealthCard } from '../components/ConnectionHealthCard';

export const fileSystem = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'shared-efs',
    namespace: 'default',
    annotations: { 'aws.amazon.com/account-id': '111111111111' },
  },
  spec: { type: 'efs-file-system' },
};

export const connection = (
  status: 'ok' | 'error',
  clusterRef = 'resource:default/apps-cluster',
): ConnectionHealth => ({
  request: {
    id: `r-${clusterRef}`,
    status: 'provisioned',
    requester: 'user:default/requester',
    approver: 'user:default/approver',
    fileSystemRef: 'resource:default/shared-efs',
    clusterRef,
    spec: {
      fileSystem: {
        accountId: '111111111111',
        region: 'us-west-2',
        fileSystemId: 'fs-0123456789abcdef0',
      },
      cluster: {
        accountId: '222222222222',
        region: 'us-west-2',
        clusterName: 'apps-cluster',
      },
    },
    options: {
      storageClassName: 'efs-shared',
      directoryPerms: '700',
      connectivity: 'peering',
      nfsIngressMode: 'cidr',
      workloadIdentity: 'irsa',
      rootAccess: false,
    },
    plan: { changes: [], blockers: [] },
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
  },
  snapshot: {
    status,
    checkedAt: '2026-11-27T10:05:00.000Z',
    results: [
      {
        layer: 'peering',
        id: 'p',
        status: 'ok',
        summary: 'pcx-1 is active.',
        evidence: { peeringConnectionId: 'pcx-1', status: 'active' },
        checkedAt: '2026-11-27T10:05:00.000Z',
      },
      {
        layer: 'routes',
        id: 'r',
        status,
        summary:
          status === 'ok'
            ? 'Routes in place.'
            : 'rtb-1 has no route to 10.0.0.0/16.',
        remedy: 'Re-run provisioning: it adds the route.',
        checkedAt: '2026-11-27T10:05:00.000Z',
      },
    ],
  },
});

/** The backend's answers, as a double of the API client; the card is what is under test. */
export function fakeApi(
  items: ConnectionHealth[] | Error,
): CrossAccountEfsApi & { refreshed: string[] } {
  const refreshed: string[] = [];
  return {
    refreshed,
    listRequests: async () => [],
    getRequest: async () => {
      throw new Error('unused');
    },
    getRemovalPlan: async () => {
      throw new Error('unused');
    },
    rejectRequest: async () => {
      throw new Error('unused');
    },
    preflight: async () => ({ problems: [] }),
    health: async () => {
      if (items instanceof Error) throw items;
      return items;
    },
    refreshHealth: async id => {
      refreshed.push(id);
      return (items as ConnectionHealth[])[0];
    },
  };
}

export async function renderCard(
  api: CrossAccountEfsApi,
  entity: any = fileSystem,
  allow = true,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [crossAccountEfsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <ConnectionHealthCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}
