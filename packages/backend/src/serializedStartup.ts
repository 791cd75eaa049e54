import {
  coreServices,
  createServiceFactory,
  DatabaseService,
  RootConfigService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { ConfigReader } from '@backstage/config';
import { Client } from 'pg';

/** The advisory lock key replicas share for their startup ("bksstart"). */
const STARTUP_LOCK_KEY = 0x626b737374617274n;

/**
 * One replica's hold on the startup lock: taken when the first plugin asks
 * for its database, held until every plugin has started, so the migrations
 * of two replicas starting at once never overlap. Backstage's plugins run
 * knex migrations that fail with MigrationLocked (or "relation already
 * exists" while creating knex's lock table) when another replica migrates
 * the same database at the same moment; the failed replica then stays up
 * but never ready (backstage/backstage#24284, backstage/charts#300).
 */
class StartupLock {
  private held?: Promise<void>;
  private client?: Client;
  private started = false;

  constructor(
    private readonly config: RootConfigService,
    private readonly logger: RootLoggerService,
  ) {}

  /** Resolves once this replica holds the lock, or at once after startup. */
  acquire(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.held ??= this.lock();
    return this.held;
  }

  private async lock() {
    const connection = this.config.get('backend.database.connection');
    this.client = new Client(
      typeof connection === 'string'
        ? { connectionString: connection }
        : (connection as object),
    );
    await this.client.connect();
    const { rows } = await this.client.query(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [STARTUP_LOCK_KEY.toString()],
    );
    if (!rows[0].locked) {
      this.logger.info('Waiting for another replica to finish starting up');
      await this.client.query('SELECT pg_advisory_lock($1)', [
        STARTUP_LOCK_KEY.toString(),
      ]);
    }
  }

  /** Releases the lock: the session's end frees it, as it does when a replica dies. */
  async release() {
    this.started = true;
    await this.held?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}

/**
 * The database service, with the startup of PostgreSQL-backed replicas
 * serialized through a session advisory lock: the second replica's plugins
 * wait for their database until the first has started, then find every
 * migration done. SQLite (one process) is passed through untouched.
 */
export const serializedStartupDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    // As the default factory: an in-memory database when none is configured.
    const manager = DatabaseManager.fromConfig(
      config.getOptional('backend.database')
        ? config
        : new ConfigReader({
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          }),
      { rootLifecycle, rootLogger },
    );
    if (config.getOptionalString('backend.database.client') !== 'pg') {
      return { manager };
    }
    const lock = new StartupLock(config, rootLogger);
    rootLifecycle.addStartupHook(() => lock.release());
    rootLifecycle.addShutdownHook(() => lock.release());
    return { manager, lock };
  },
  async factory(
    { pluginMetadata, lifecycle, logger },
    { manager, lock },
  ): Promise<DatabaseService> {
    const database = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    if (!lock) return database;
    return {
      migrations: database.migrations,
      getClient: async () => {
        await lock.acquire();
        return database.getClient();
      },
    };
  },
});
