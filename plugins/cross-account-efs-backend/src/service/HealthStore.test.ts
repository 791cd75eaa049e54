import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { HealthStore } from './HealthStore';
import { RequestStore } from './RequestStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const snapshot = (
  requestId: string,
  status: 'ok' | 'error',
  checkedAt: string,
) => ({
  requestId,
  fileSystemRef: 'resource:default/shared-efs',
  clusterRef: `resource:default/cluster-${requestId}`,
  status,
  results: [
    {
      layer: 'routes' as const,
      id: 'r',
      status,
      summary: `routes ${status}`,
      checkedAt,
    },
  ],
  checkedAt,
});

describe('HealthStore', () => {
  it.each(databases.eachSupportedId())(
    'keeps the latest snapshot per connection on %p, found from either entity',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // The requests store runs the plugin's migrations.
      await RequestStore.create(
        mockServices.database.mock({ getClient: async () => knex }),
      );
      const store = new HealthStore(knex);
      await store.save([
        snapshot('a', 'ok', '2026-11-27T10:00:00.000Z'),
        snapshot('b', 'ok', '2026-11-27T10:00:00.000Z'),
      ]);
      // A later sweep (maybe another replica) replaces it whole.
      await store.save([snapshot('a', 'error', '2026-11-27T10:10:00.000Z')]);
      const forFileSystem = await store.forEntity(
        'resource:default/shared-efs',
      );
      expect(
        forFileSystem.map(s => [s.requestId, s.status, s.checkedAt]),
      ).toEqual([
        ['a', 'error', '2026-11-27T10:10:00.000Z'],
        ['b', 'ok', '2026-11-27T10:00:00.000Z'],
      ]);
      expect(
        (await store.forEntity('resource:default/cluster-b')).map(
          s => s.results[0].summary,
        ),
      ).toEqual(['routes ok']);
      await store.forget(['a']);
      expect(
        (await store.forEntity('resource:default/shared-efs')).map(
          s => s.requestId,
        ),
      ).toEqual(['b']);
    },
  );
});
