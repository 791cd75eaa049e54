import { mockServices } from '@backstage/backend-test-utils';
import { sandboxRequest } from '../__testUtils__/sandboxRequest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { HealthSnapshot } from './HealthStore';
import { RequestLifecycle } from './RequestLifecycle';
import { RequestStore } from './RequestStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const APPROVER = 'user:default/approver';

/**
 * The lifecycle on a real database; its collaborators are recorders: the
 * auditor, notifications (which can be made to fail), and the health check
 * (whose verdict each test chooses).
 */
async function lifecycleOn(
  databaseId: Parameters<typeof databases.init>[0],
  options: { notificationsDown?: boolean } = {},
) {
  const knex = await databases.init(databaseId);
  const store = await RequestStore.create(
    mockServices.database.mock({ getClient: async () => knex }),
  );
  const audited: any[] = [];
  const told: any[] = [];
  const warnings: string[] = [];
  let verdict: HealthSnapshot['status'] = 'ok';
  const lifecycle = new RequestLifecycle({
    store,
    auditor: {
      createEvent: async ({ meta }) => ({
        success: async () => void audited.push({ ...meta, ok: true }),
        fail: async () => void audited.push({ ...meta, ok: false }),
      }),
    },
    logger: {
      ...mockServices.logger.mock(),
      warn: (m: string) => void warnings.push(m),
    } as any,
    notifications: {
      send: async n => {
        if (options.notificationsDown) throw new Error('notifications down');
        told.push(n);
      },
    },
    check: async request => ({
      requestId: request.id,
      fileSystemRef: request.fileSystemRef,
      clusterRef: request.clusterRef,
      status: verdict,
      results:
        verdict === 'error'
          ? [
              {
                layer: 'routes',
                id: 'r',
                status: 'error',
                summary: 'No route.',
                remedy: 'Re-run provisioning.',
                checkedAt: '',
              } as any,
            ]
          : [],
      checkedAt: new Date().toISOString(),
    }),
  });
  return {
    store,
    lifecycle,
    audited,
    told,
    warnings,
    judge: (v: typeof verdict) => {
      verdict = v;
    },
  };
}

describe('RequestLifecycle', () => {
  it.each(databases.eachSupportedId())(
    'on %p: every move is audited (actor, from, to) and the requester is told of each outcome',
    async databaseId => {
      const { store, lifecycle, audited, told, judge } = await lifecycleOn(
        databaseId,
      );
      const { id } = await store.insert(sandboxRequest);
      await lifecycle.approve(id, APPROVER);
      await lifecycle.authorize(id, APPROVER, 'provision');
      judge('error');
      const failed = await lifecycle.complete(id, APPROVER, 'provision');
      expect(failed.request).toMatchObject({
        status: 'failed',
        failure: { operation: 'provision', step: 'verify' },
      });
      await lifecycle.authorize(id, 'user:default/approver-2', 'provision');
      judge('ok');
      await lifecycle.complete(id, 'user:default/approver-2', 'provision');
      await lifecycle.authorize(id, APPROVER, 'remove');
      await lifecycle.complete(id, APPROVER, 'remove');
      expect(audited.map(e => `${e.from}->${e.to} by ${e.actor}`)).toEqual([
        `pending->approved by ${APPROVER}`,
        `approved->provisioning by ${APPROVER}`,
        `provisioning->failed by ${APPROVER}`,
        'failed->provisioning by user:default/approver-2',
        'provisioning->provisioned by user:default/approver-2',
        `provisioned->removing by ${APPROVER}`,
        `removing->removed by ${APPROVER}`,
      ]);
      expect(told.map(n => n.payload.title)).toEqual([
        'Your cross-account EFS request was approved',
        'Your cross-account EFS request failed',
        'Your cross-account EFS request is ready',
        'Your cross-account EFS request was removed',
      ]);
      expect(
        told.every(n => n.recipients.entityRef === sandboxRequest.requester),
      ).toBe(true);
      // The failure is cleared once provisioning succeeds.
      expect((await store.get(id)).failure).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'on %p: a pending request past its time expires, by the sweep or at approval, and cannot be approved',
    async databaseId => {
      const { store, lifecycle, told } = await lifecycleOn(databaseId);
      const past = new Date(Date.now() - 1000);
      const future = new Date(Date.now() + 3600_000);
      const overdue = await store.insert({
        ...sandboxRequest,
        expiresAt: past,
      });
      const fresh = await store.insert({
        ...sandboxRequest,
        expiresAt: future,
      });
      const late = await store.insert({ ...sandboxRequest, expiresAt: past });

      await expect(lifecycle.approve(late.id, APPROVER)).rejects.toThrow(
        /expired on .*; ask the requester to submit it again/,
      );
      expect((await store.get(late.id)).status).toBe('expired');

      const expired = await lifecycle.expireOverdue();
      expect(expired.map(r => r.id)).toEqual([overdue.id]);
      expect((await store.get(overdue.id)).status).toBe('expired');
      expect((await store.get(fresh.id)).status).toBe('pending');
      await expect(lifecycle.approve(overdue.id, APPROVER)).rejects.toThrow(
        'only a pending request can be approved',
      );
      expect(
        told.filter(n => n.payload.title.endsWith('expired')),
      ).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'on %p: a notification outage never fails a move; it is logged',
    async databaseId => {
      const { store, lifecycle, warnings } = await lifecycleOn(databaseId, {
        notificationsDown: true,
      });
      const { id } = await store.insert(sandboxRequest);
      const rejected = await lifecycle.reject(
        id,
        APPROVER,
        'Not this quarter.',
      );
      expect(rejected).toMatchObject({
        status: 'rejected',
        reason: 'Not this quarter.',
      });
      expect(warnings.join('\n')).toContain(
        `Could not notify ${sandboxRequest.requester} about request ${id}: notifications down`,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'on %p: only an operation that may start from the status starts; a refused move is audited as failed',
    async databaseId => {
      const { store, lifecycle, audited } = await lifecycleOn(databaseId);
      const { id } = await store.insert(sandboxRequest);
      await expect(
        lifecycle.authorize(id, APPROVER, 'provision'),
      ).rejects.toThrow(`Request ${id} is pending and not approved`);
      // A dry run by an approver may plan what approving would allow.
      expect(
        (await lifecycle.authorize(id, APPROVER, 'provision', { dryRun: true }))
          .status,
      ).toBe('pending');
      await expect(lifecycle.authorize(id, APPROVER, 'remove')).rejects.toThrow(
        'remove runs only for a request that is approved, provisioned, failed, removing',
      );
      await lifecycle.reject(id, APPROVER, 'No.');
      await expect(lifecycle.reject(id, APPROVER, 'No.')).rejects.toThrow(
        'only a request that is pending can become rejected',
      );
      expect(audited.at(-1)).toMatchObject({
        from: 'rejected',
        to: 'rejected',
        ok: false,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'on %p: a task that ends without an outcome fails the request it left in progress; a newer task or an outcome already recorded is left alone',
    async databaseId => {
      const { store, lifecycle } = await lifecycleOn(databaseId);
      const { id } = await store.insert(sandboxRequest);
      await lifecycle.approve(id, APPROVER);
      await lifecycle.authorize(id, APPROVER, 'provision', { taskId: 't1' });
      // A second task takes the running operation over: the first one's end changes nothing.
      await lifecycle.authorize(id, APPROVER, 'provision', { taskId: 't2' });
      expect(await lifecycle.taskEnded('t1', 'cancelled')).toEqual([]);
      expect(await store.get(id)).toMatchObject({
        status: 'provisioning',
        taskId: 't2',
      });

      const [failed] = await lifecycle.taskEnded('t2', 'failed');
      expect(failed).toMatchObject({
        status: 'failed',
        failure: {
          operation: 'provision',
          step: 'task',
          message: expect.stringContaining('Task t2 ended (failed)'),
        },
      });
      // The ended task's remaining steps cannot pick the request up again.
      await expect(
        lifecycle.authorize(id, APPROVER, 'provision', { taskId: 't2' }),
      ).rejects.toThrow('Task t2 ended');
      // Retry: a new task clears the failure and is the one that counts.
      await lifecycle.authorize(id, APPROVER, 'provision', { taskId: 't3' });
      await lifecycle.complete(id, APPROVER, 'provision');
      expect(await lifecycle.taskEnded('t3', 'completed')).toEqual([]);
      expect((await store.get(id)).status).toBe('provisioned');
    },
  );
});
