import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { SeededEmulator, startSeededEmulator } from '@internal/sandbox';
import { expectCompleted, USERS } from '../__testUtils__/portalBackend';
import { Replica, startReplica } from '../__testUtils__/replicas';

jest.setTimeout(300_000);

// ./dev test configures the local PostgreSQL the way Backstage's test utils read it.
const postgres = Object.keys(process.env)
  .map(k => /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/.exec(k))
  .filter(Boolean)
  .map(m => `POSTGRES_${m![1]}` as TestDatabaseId)[0];

/** How long a task's heartbeat may be silent before another replica takes it over. */
const STALE_SECONDS = 3;
/** The scaffolder looks for stale tasks this often (fixed in its TaskWorker). */
const RECOVERY_INTERVAL_SECONDS = 10;

async function until(what: string, condition: () => Promise<boolean>) {
  const deadline = Date.now() + 120_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('a provisioning task outlives the replica running it (two backend processes on PostgreSQL, the real scaffolder)', () => {
  const databases = TestDatabases.create({ ids: postgres ? [postgres] : [] });
  let emulator: SeededEmulator;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    emulator = await startSeededEmulator();
  });
  afterAll(async () => {
    await Promise.all(replicas.map(r => r.kill()));
    await emulator?.stop();
  });

  it('SIGKILL mid-provisioning: the other replica resumes the task at the interrupted step within the stale timeout, and the request ends provisioned', async () => {
    expect(postgres || !process.env.CI).toBeTruthy();
    if (!postgres) return;
    const db = await databases.init(postgres);
    const config = {
      backend: {
        database: {
          client: 'pg',
          connection: (db.client as any).config.connection,
          pluginDivisionMode: 'schema',
        },
      },
      scaffolder: {
        taskRecovery: {
          enabled: true,
          staleTimeout: { seconds: STALE_SECONDS },
        },
      },
    };
    // One at a time: the first runs the migrations.
    replicas.push(await startReplica(emulator, config));
    replicas.push(await startReplica(emulator, config));
    const [dying, survivor] = replicas;
    const requestStatus = async (id: string) =>
      (await survivor.client.api(USERS.requester, 'get', `/requests/${id}`))
        .body.status;
    const startedSteps = async (task: string) =>
      (await survivor.client.events(USERS.approver, task))
        .filter(e => e.type === 'log' && e.body.status === 'processing')
        .map(e => e.body.stepId);

    const id = await dying.client.ask();
    // The add-on stays CREATING (EKS takes a minute), so the task waits in
    // its kubernetes step, every layer before it made.
    emulator.addons.settleMs = 10 * 60_000;
    const task = await dying.client.start(
      USERS.approver,
      'cross-account-efs-provision',
      { requestId: id },
    );
    await until(
      'the task waits for the add-on in its kubernetes step',
      async () => (await startedSteps(task)).includes('kubernetes'),
    );
    await dying.kill();
    const killedAt = Date.now();
    expect(await requestStatus(id)).toBe('provisioning');
    emulator.addons.settleAll();
    emulator.addons.settleMs = 0;

    const outcome = await survivor.client.outcome(USERS.approver, task);
    expectCompleted(outcome);
    const events = await survivor.client.events(USERS.approver, task);
    const recovered = events.filter(e => e.type === 'recovered');
    expect(recovered.map(e => e.body.recoverStrategy)).toEqual(['startOver']);
    expect(Date.parse(recovered[0].createdAt) - killedAt).toBeLessThan(
      (STALE_SECONDS + RECOVERY_INTERVAL_SECONDS + 2) * 1000,
    );
    // The survivor skips the seven completed steps and runs the interrupted
    // one again (idempotent: it finds what the dead replica made).
    expect(outcome.log).toContain('7 step(s) already completed');
    expect(outcome.steps).toEqual(['kubernetes', 'verify']);
    expect(await requestStatus(id)).toBe('provisioned');
  });
});
