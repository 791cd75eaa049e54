import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  SANDBOX,
  sandboxAwsIntegrationConfig,
  sandboxClusterEntity,
  sandboxFileSystemEntity,
  sandboxKubernetesConfig,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import request from 'supertest';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { MockActionsRegistry } from '@backstage/backend-test-utils/alpha';
import { crossAccountEfsPlugin } from '../plugin';

jest.setTimeout(120_000);

const badAnnotations = sandboxClusterEntity('bad-annotations');
badAnnotations.metadata.annotations = { 'aws.amazon.com/account-id': '2222' };

const entities = [
  sandboxFileSystemEntity(),
  sandboxClusterEntity(),
  sandboxClusterEntity(SANDBOX.eks.legacy.clusterName),
  badAnnotations,
];

const RESTRICTED = [
  'cross-account-efs.request.approve',
  'cross-account-efs.health.refresh',
];
const APPROVERS = [
  'user:default/approver',
  'user:default/approver-2',
  'user:default/requester-approver',
];
/** Holds no permission at all, not even read. */
const OUTSIDER = 'user:default/outsider';
const actions = MockActionsRegistry.create({
  logger: mockServices.logger.mock(),
});
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

const body = {
  fileSystemRef: 'resource:default/shared-efs',
  clusterRef: 'resource:default/apps-cluster',
  storageClassName: 'efs-shared',
  nfsIngressMode: 'cidr',
};

describe('requests API (AWS emulator and Kubernetes double; permissions and catalog: service doubles)', () => {
  let emulator: SeededEmulator;
  let server: any;
  const sent: any[] = [];

  beforeAll(async () => {
    emulator = await startSeededEmulator();
    const backend = await startTestBackend({
      features: [
        crossAccountEfsPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: sandboxAwsIntegrationConfig(),
            kubernetes: sandboxKubernetesConfig(emulator.kubernetes),
            crossAccountEfs: { approvers: ['group:default/platform-team'] },
          },
        }),
        catalogServiceMock.factory({ entities }),
        // As in a real backend: no token, no user.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        // The approve permission: only the users in APPROVERS hold it.
        mockServices.permissions.mock({
          authorize: async (requests, options) =>
            requests.map(r => {
              const user = (options.credentials.principal as any).userEntityRef;
              return {
                result:
                  user !== OUTSIDER &&
                  (!RESTRICTED.includes(r.permission.name) ||
                    APPROVERS.includes(user))
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
              };
            }) as any,
        }).factory,
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => actions,
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async (n: any) => void sent.push(n) }),
        }),
      ],
    });
    server = backend.server;
  });
  afterAll(() => emulator?.stop());

  it('answers 401 without a signed-in user', async () => {
    const calls = [
      request(server).get('/api/cross-account-efs/requests'),
      request(server).post('/api/cross-account-efs/requests').send(body),
      request(server).post('/api/cross-account-efs/requests/x/approve'),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(401);
  });

  it('records a request with its plan, and tells the approvers', async () => {
    const res = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send(body)
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      requester: 'user:default/requester',
      spec: { cluster: { clusterName: 'apps-cluster' } },
    });
    expect(res.body.plan.changes.map((c: any) => c.layer)).toEqual(
      expect.arrayContaining([
        'peering',
        'routes',
        'nfs-ingress',
        'dns',
        'iam',
        'csi-driver',
        'kubernetes',
      ]),
    );
    expect(sent.at(-1)).toMatchObject({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/platform-team'],
      },
    });
  });

  it('refuses bad input and bad catalog annotations before planning, naming the field', async () => {
    const bad = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, storageClassName: 'EFS', directoryPerms: 777 })
      .expect(400);
    expect(bad.body.error.message).toMatch(
      /storageClassName: must be a Kubernetes object name.*directoryPerms: must be a quoted string/s,
    );
    const annotations = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, clusterRef: 'resource:default/bad-annotations' })
      .expect(400);
    expect(annotations.body.error.message).toContain(
      'cluster.accountId: must be a 12-digit AWS account id',
    );
  });

  it('preflight: a cluster whose VPC overlaps the file system is reported, not recorded', async () => {
    const res = await request(server)
      .post('/api/cross-account-efs/preflight')
      .set('authorization', as('requester'))
      .send({ ...body, clusterRef: 'resource:default/legacy-cluster' })
      .expect(200);
    expect(res.body.problems.map((p: any) => p.summary).join()).toContain(
      'overlaps',
    );
    const refused = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, clusterRef: 'resource:default/legacy-cluster' })
      .expect(400);
    expect(refused.body.error.message).toContain('Preflight found');
  });

  it('four eyes: the requester cannot approve even holding the permission; others need it; an approval stands for retries by any approver', async () => {
    const own = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester-approver'))
      .send({ ...body, storageClassName: 'efs-four-eyes' })
      .expect(201);
    const selfApproval = await request(server)
      .post(`/api/cross-account-efs/requests/${own.body.id}/approve`)
      .set('authorization', as('requester-approver'))
      .expect(403);
    expect(selfApproval.body.error.message).toContain(
      'cannot approve it: another approver must',
    );

    await request(server)
      .post(`/api/cross-account-efs/requests/${own.body.id}/approve`)
      .set('authorization', as('guest'))
      .expect(403);
    const approved = await request(server)
      .post(`/api/cross-account-efs/requests/${own.body.id}/approve`)
      .set('authorization', as('approver'))
      .expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      approver: 'user:default/approver',
    });
    // A retried task, or another approver's retry, finds the approval as it is.
    for (const who of ['approver', 'approver-2']) {
      const again = await request(server)
        .post(`/api/cross-account-efs/requests/${own.body.id}/approve`)
        .set('authorization', as(who))
        .expect(200);
      expect(again.body.approver).toBe('user:default/approver');
    }
    // The requester, approver or not, can never run provisioning for it.
    const provision = await request(server)
      .post(`/api/cross-account-efs/requests/${own.body.id}/authorize`)
      .set('authorization', as('requester-approver'))
      .send({ operation: 'provision' })
      .expect(403);
    expect(provision.body.error.message).toContain(
      'cannot provision it: another approver must',
    );
  });

  it('reject: an approver turns a pending request down with a reason, the requester is told, and it can no longer be approved', async () => {
    const asked = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, storageClassName: 'efs-rejected' })
      .expect(201);
    const id = asked.body.id;
    const noReason = await request(server)
      .post(`/api/cross-account-efs/requests/${id}/reject`)
      .set('authorization', as('approver'))
      .send({ reason: ' ' })
      .expect(400);
    expect(noReason.body.error.message).toContain('reason: must say why');
    await request(server)
      .post(`/api/cross-account-efs/requests/${id}/reject`)
      .set('authorization', as('guest'))
      .send({ reason: 'no' })
      .expect(403);
    const rejected = await request(server)
      .post(`/api/cross-account-efs/requests/${id}/reject`)
      .set('authorization', as('approver'))
      .send({ reason: 'Use the team file system instead.' })
      .expect(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejectedBy: 'user:default/approver',
      reason: 'Use the team file system instead.',
    });
    expect(sent.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: 'user:default/requester' },
      payload: {
        title: 'Your cross-account EFS request was rejected',
        description: expect.stringContaining(
          'Use the team file system instead.',
        ),
      },
    });
    await request(server)
      .post(`/api/cross-account-efs/requests/${id}/approve`)
      .set('authorization', as('approver'))
      .expect(409);
    // Its StorageClass name is free again.
    await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, storageClassName: 'efs-rejected' })
      .expect(201);
  });

  it("removal plan: an approver sees what removing a request's connection would change now (nothing, before provisioning); others may not", async () => {
    const asked = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, storageClassName: 'efs-removal-plan' })
      .expect(201);
    const url = `/api/cross-account-efs/requests/${asked.body.id}/removal-plan`;
    await request(server)
      .get(url)
      .set('authorization', as('guest'))
      .expect(403);
    const plan = await request(server)
      .get(url)
      .set('authorization', as('approver'))
      .expect(200);
    expect(plan.body).toEqual({ changes: [], blockers: [] });
  });

  it('refuses, at request time, a StorageClass name another connection on the cluster holds, and a system namespace', async () => {
    const taken = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send(body)
      .expect(400);
    expect(taken.body.error.message).toMatch(
      /^storageClassName: efs-shared is already used on apps-cluster by request [0-9a-f-]{36} \(pending\)\. Pick another name/,
    );
    for (const namespace of ['kube-system', 'kube-public', 'default']) {
      const reserved = await request(server)
        .post('/api/cross-account-efs/requests')
        .set('authorization', as('requester'))
        .send({ ...body, storageClassName: 'efs-ns', namespace })
        .expect(400);
      expect(reserved.body.error.message).toContain(
        `namespace: must not be ${namespace}`,
      );
    }
  });

  it('answers 400 naming the field for a malformed entity ref in preflight, and 404 for an unknown or malformed request id', async () => {
    const bad = await request(server)
      .post('/api/cross-account-efs/preflight')
      .set('authorization', as('requester'))
      .send({ fileSystemRef: 'not a ref', clusterRef: body.clusterRef })
      .expect(400);
    expect(bad.body.error.message).toContain(
      'fileSystemRef: must be an entity reference',
    );
    for (const id of ['00000000-0000-4000-8000-000000000000', 'x']) {
      await request(server)
        .get(`/api/cross-account-efs/requests/${id}`)
        .set('authorization', as('guest'))
        .expect(404);
      await request(server)
        .post(`/api/cross-account-efs/requests/${id}/authorize`)
        .set('authorization', as('approver'))
        .send({ operation: 'provision' })
        .expect(404);
    }
  });

  it('lists requests for an entity', async () => {
    const res = await request(server)
      .get(
        '/api/cross-account-efs/requests?entityRef=resource:default/apps-cluster',
      )
      .set('authorization', as('guest'))
      .expect(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    expect(
      res.body.items.every(
        (r: any) => r.clusterRef === 'resource:default/apps-cluster',
      ),
    ).toBe(true);
  });

  it('health: refresh checks one connection now and stores it (refresh permission); GET serves the snapshot per entity', async () => {
    const created = await request(server)
      .post('/api/cross-account-efs/requests')
      .set('authorization', as('requester'))
      .send({ ...body, storageClassName: 'efs-health' })
      .expect(201);
    const id = created.body.id;
    await request(server)
      .post(`/api/cross-account-efs/requests/${id}/approve`)
      .set('authorization', as('approver'))
      .expect(200);
    await request(server)
      .post(`/api/cross-account-efs/requests/${id}/authorize`)
      .set('authorization', as('approver'))
      .send({ operation: 'provision' })
      .expect(200);
    // Completed without provisioning anything: the backend's own check
    // finds every missing layer, and the request fails at verify.
    const completed = await request(server)
      .post(`/api/cross-account-efs/requests/${id}/complete`)
      .set('authorization', as('approver'))
      .send({ operation: 'provision' })
      .expect(200);
    expect(completed.body.request).toMatchObject({
      status: 'failed',
      failure: { operation: 'provision', step: 'verify' },
    });
    expect(completed.body.request.failure.message).toContain(
      'The connection is not healthy',
    );

    await request(server)
      .post(`/api/cross-account-efs/health/${id}/refresh`)
      .set('authorization', as('requester'))
      .expect(403);
    const refreshed = await request(server)
      .post(`/api/cross-account-efs/health/${id}/refresh`)
      .set('authorization', as('approver'))
      .expect(200);
    // The checks say what is missing, with remedies.
    expect(refreshed.body.snapshot.status).toBe('error');
    const layers = refreshed.body.snapshot.results
      .filter((r: any) => r.status === 'error')
      .map((r: any) => r.layer);
    expect(layers).toEqual(
      expect.arrayContaining(['peering', 'routes', 'dns', 'iam', 'csi-driver']),
    );
    expect(
      refreshed.body.snapshot.results
        .filter((r: any) => r.layer === 'mount-targets')
        .map((r: any) => r.status),
    ).toEqual(['ok', 'ok', 'ok']);

    const health = await request(server)
      .get(
        '/api/cross-account-efs/health?entityRef=resource:default/shared-efs',
      )
      .set('authorization', as('guest'))
      .expect(200);
    const item = health.body.items.find((i: any) => i.request.id === id);
    expect(item.snapshot).toMatchObject({
      status: 'error',
      clusterRef: 'resource:default/apps-cluster',
    });
    await request(server)
      .get('/api/cross-account-efs/health')
      .set('authorization', as('guest'))
      .expect(400);
  });

  it('the health action in the actions registry needs the read permission', async () => {
    const invoke = (user: string) =>
      actions.invoke({
        // The mock registry names actions by its own plugin id.
        id: 'test:get-connection-health',
        input: { entityRef: 'resource:default/shared-efs' },
        credentials: mockCredentials.user(user),
      });
    await expect(invoke(OUTSIDER)).rejects.toThrow(
      'You do not have the cross-account-efs.request.read permission.',
    );
    const { output } = await invoke('user:default/guest');
    expect(output).toEqual({ connections: expect.any(Array) });
  });
});
