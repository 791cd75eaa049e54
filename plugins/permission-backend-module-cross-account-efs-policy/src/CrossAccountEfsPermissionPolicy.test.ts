import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SANDBOX,
  sandboxAwsIntegrationConfig,
  sandboxFileSystemEntity,
  sandboxKubernetesConfig,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import request from 'supertest';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import crossAccountEfsPlugin from '@cross-account-efs/backstage-plugin-cross-account-efs-backend';
import { CrossAccountEfsPermissionPolicy } from './CrossAccountEfsPermissionPolicy';

jest.setTimeout(120_000);

const fileSystem = (name: string, owner: string) =>
  sandboxFileSystemEntity({ name, owner });

/** Who is a member of what: the groups the catalog would resolve. */
const memberships: Record<string, string[]> = {
  'user:default/approver': ['group:default/platform-team'],
  'user:default/storage-admin': ['group:default/storage-team'],
  'user:default/requester': ['group:default/apps-team'],
};

/**
 * The permission backend's part, as a double: it asks the real shipped
 * policy, and sends a conditional decision to the cross-account-efs
 * backend's own apply-conditions endpoint (the real rule, on the request as
 * the plugin loads it). The real permission backend cannot be used here:
 * it admits only user tokens, which the test backend's mock auth does not
 * issue on behalf of a plugin.
 */
let baseUrl = '';
const policy = new CrossAccountEfsPermissionPolicy();
const policyEvaluator = createServiceFactory({
  service: coreServices.permissions,
  deps: { auth: coreServices.auth },
  factory: ({ auth }) => ({
    async authorize(requests: any[], options: any) {
      const ref = options.credentials.principal.userEntityRef;
      const user = {
        identity: { type: 'user', userEntityRef: ref, ownershipEntityRefs: [] },
        info: {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
        },
        token: '',
        credentials: options.credentials,
      } as any;
      return Promise.all(
        requests.map(async r => {
          const decision: PolicyDecision = await policy.handle(
            { permission: r.permission },
            user,
          );
          if (decision.result !== AuthorizeResult.CONDITIONAL) return decision;
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: decision.pluginId,
          });
          const res = await fetch(
            `${baseUrl}/api/${decision.pluginId}/.well-known/backstage/permissions/apply-conditions`,
            {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${token}`,
              },
              body: JSON.stringify({
                items: [
                  {
                    id: '1',
                    resourceRef: r.resourceRef,
                    resourceType: decision.resourceType,
                    conditions: decision.conditions,
                  },
                ],
              }),
            },
          );
          expect(res.status).toBe(200);
          return { result: (await res.json()).items[0].result };
        }),
      );
    },
    authorizeConditional: async () => {
      throw new Error('unused');
    },
  }),
});

describe('the shipped permission policy: approvers are the owners of the file system (the conditional decision is judged by the cross-account-efs backend)', () => {
  let emulator: SeededEmulator;
  let server: any;

  beforeAll(async () => {
    emulator = await startSeededEmulator();
    const backend = await startTestBackend({
      features: [
        crossAccountEfsPlugin,
        permissionsRegistryServiceFactory,
        policyEvaluator,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            aws: sandboxAwsIntegrationConfig(),
            kubernetes: sandboxKubernetesConfig(emulator.kubernetes),
          },
        }),
        catalogServiceMock.factory({
          entities: [
            fileSystem('shared-efs', 'platform-team'),
            fileSystem('storage-efs', 'group:default/storage-team'),
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'apps-cluster',
                namespace: 'default',
                annotations: {
                  'aws.amazon.com/account-id': SANDBOX.eks.accountId,
                  'aws.amazon.com/region': SANDBOX.region,
                  'aws.amazon.com/eks-cluster-name': SANDBOX.eks.clusterName,
                },
              },
              spec: { type: 'kubernetes-cluster', owner: 'apps-team' },
            },
          ],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            getUserInfo: async (credentials: any) => {
              const ref = credentials.principal.userEntityRef;
              return {
                userEntityRef: ref,
                ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
              };
            },
          }),
        }),
      ],
    });
    server = backend.server;
    baseUrl = `http://localhost:${backend.server.port()}`;
  });
  afterAll(() => emulator?.stop());

  const as = (user: string) =>
    mockCredentials.user.header(`user:default/${user}`);
  async function ask(fileSystemRef: string, storageClassName: string) {
    const res = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({
        fileSystemRef,
        clusterRef: 'resource:default/apps-cluster',
        storageClassName,
        nfsIngressMode: 'cidr',
      })
      .expect(201);
    return res.body.id as string;
  }
  const approve = (id: string, user: string) =>
    request(server)
      .post(`/api/cross-account-efs/requests/${id}/approve`)
      .set('authorization', as(user));

  it("members of the file system's owning group may approve its requests; an approver of another file system may not", async () => {
    const shared = await ask('resource:default/shared-efs', 'efs-owned-1');
    const storage = await ask('resource:default/storage-efs', 'efs-owned-2');

    const refused = await approve(storage, 'approver');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'You do not have the cross-account-efs.request.approve permission',
    );
    await approve(shared, 'storage-admin').expect(403);
    await approve(shared, 'requester').expect(403);

    expect((await approve(shared, 'approver').expect(200)).body.status).toBe(
      'approved',
    );
    expect(
      (await approve(storage, 'storage-admin').expect(200)).body.status,
    ).toBe('approved');
  });

  it('the same rule decides who may run provisioning for a request (the authorize call every action makes)', async () => {
    const id = await ask('resource:default/storage-efs', 'efs-owned-3');
    await approve(id, 'storage-admin').expect(200);
    await request(server)
      .post(`/api/cross-account-efs/requests/${id}/authorize`)
      .set('authorization', as('approver'))
      .send({ operation: 'provision', dryRun: true })
      .expect(403);
  });
});
