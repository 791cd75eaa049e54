import { mockServices } from '@backstage/backend-test-utils';
import { SANDBOX_CONNECTION } from '@internal/sandbox';
import { sandboxRequest } from '../__testUtils__/sandboxRequest';
import { RequestStore } from './RequestStore';
import {
  createTestDatabases,
  databasesUnderTest,
} from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const newRequest = sandboxRequest;

describe('RequestStore', () => {
  it('runs on PostgreSQL too when one is configured (./dev test configures the local server)', () => {
    const hasPostgres = databasesUnderTest().some(id =>
      id.startsWith('POSTGRES'),
    );
    expect(hasPostgres || !process.env.CI).toBe(true);
  });

  it.each(databases.eachSupportedId())(
    'records, reads and lists requests on %p (migrations run)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await RequestStore.create(
        mockServices.database.mock({ getClient: async () => knex }),
      );
      const created = await store.insert(newRequest);
      expect(created).toMatchObject({
        status: 'pending',
        requester: 'user:default/requester',
        spec: SANDBOX_CONNECTION,
      });
      expect(await store.get(created.id)).toEqual(created);
      await store.insert({
        ...newRequest,
        clusterRef: 'resource:default/other',
      });
      expect((await store.list()).length).toBe(2);
      expect(
        (await store.list({ entityRef: 'resource:default/apps-cluster' })).map(
          r => r.id,
        ),
      ).toEqual([created.id]);
      await expect(
        store.get('00000000-0000-0000-0000-000000000000'),
      ).rejects.toThrow('No connection request');
    },
  );

  it.each(databases.eachSupportedId())(
    'lets only one of two simultaneous approvals win on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await RequestStore.create(
        mockServices.database.mock({ getClient: async () => knex }),
      );
      const { id } = await store.insert(newRequest);
      const outcomes = await Promise.allSettled([
        store.transition(id, ['pending'], 'approved', {
          approver: 'user:default/a',
        }),
        store.transition(id, ['pending'], 'approved', {
          approver: 'user:default/b',
        }),
      ]);
      expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find(
        o => o.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(refused.reason.message).toContain(
        'only a request that is pending can become approved',
      );
      const approved = await store.get(id);
      expect(['user:default/a', 'user:default/b']).toContain(approved.approver);
    },
  );
});
