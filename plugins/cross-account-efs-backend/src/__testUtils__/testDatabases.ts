import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * SQLite always; PostgreSQL wherever a server is configured the way
 * Backstage's test utils read it (./dev test sets it for the local server).
 */
export function databasesUnderTest(): TestDatabaseId[] {
  const postgres = Object.keys(process.env)
    .map(
      k =>
        /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/.exec(
          k,
        )?.[1],
    )
    .filter(Boolean)
    .map(major => `POSTGRES_${major}` as TestDatabaseId);
  return ['SQLITE_3', ...postgres];
}

export function createTestDatabases() {
  return TestDatabases.create({ ids: databasesUnderTest() });
}
