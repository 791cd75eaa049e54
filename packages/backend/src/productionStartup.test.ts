import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';

jest.setTimeout(300_000);

// ./dev test configures the local PostgreSQL the way Backstage's test utils read it.
const connectionString = Object.entries(process.env).find(([k]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
)?.[1];

const ROOT = resolve(__dirname, '../../..');
// The test's own service token for the event bus API (backend.auth.externalAccess).
const TOKEN = 'production-startup-test-token-0123456789';
const TOPIC = 'production-startup-test';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

interface Replica {
  port: number;
  child: ChildProcess;
  output: () => string;
}

/** The portal's backend from source, with the production config as shipped plus only its ${…} values. */
function startReplica(port: number, prefix: string): Replica {
  const db = new URL(connectionString!);
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      resolve(__dirname, 'index.ts'),
      '--config',
      resolve(ROOT, 'app-config.yaml'),
      '--config',
      resolve(ROOT, 'app-config.production.yaml'),
    ],
    {
      cwd: resolve(__dirname, '..'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        APP_BASE_URL: 'http://localhost:3000',
        BACKEND_BASE_URL: `http://localhost:${port}`,
        POSTGRES_HOST: db.hostname,
        POSTGRES_PORT: db.port || '5432',
        POSTGRES_USER: decodeURIComponent(db.username),
        POSTGRES_PASSWORD: decodeURIComponent(db.password),
        CROSS_ACCOUNT_EFS_ROLE_NAME: 'backstage-cross-account-efs',
        AWS_REGION: 'us-west-2',
        AUTH_ALB_ISSUER: 'https://idp.example.com',
        AUTH_ALB_ARN:
          'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/portal/0123456789abcdef',
        // Only what a test needs beyond the shipped config: a port each and
        // an empty set of databases.
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_database_prefix: prefix,
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: TOKEN, subject: TOPIC } },
        ]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', d => (output += d));
  child.stderr?.on('data', d => (output += d));
  return { port, child, output: () => output };
}

/** A call to a replica's event bus API (the events backend's). */
function bus(replica: Replica, path: string, init: RequestInit = {}) {
  return fetch(`http://127.0.0.1:${replica.port}/api/events/bus/v1${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
    },
  });
}

async function readiness(replica: Replica): Promise<number | 'exited'> {
  if (replica.child.exitCode !== null) return 'exited';
  try {
    const res = await fetch(
      `http://127.0.0.1:${replica.port}/.backstage/health/v1/readiness`,
    );
    return res.status;
  } catch {
    return 0;
  }
}

async function untilSettled(replica: Replica) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const status = await readiness(replica);
    if (status === 200 || status === 'exited' || Date.now() > deadline) {
      return status;
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

describe('the production configuration as shipped (backend from source, PostgreSQL)', () => {
  const prefix = `prodstart${Date.now() % 100000}_`;
  const replicas: Replica[] = [];

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    if (!connectionString) return;
    const admin = new Client({ connectionString });
    await admin.connect();
    const { rows } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.end();
  });

  it('two replicas started at the same moment on an empty database both become ready, and an event published on one reaches a subscriber on the other', async () => {
    expect(connectionString || !process.env.CI).toBeTruthy();
    if (!connectionString) return;
    const ports = [await freePort(), await freePort()];
    replicas.push(...ports.map(port => startReplica(port, prefix)));

    const outcomes = await Promise.all(replicas.map(untilSettled));

    const outputs = replicas.map(r => r.output());
    expect({ outcomes, failures: outputs.map(failures) }).toEqual({
      outcomes: [200, 200],
      failures: [[], []],
    });
    // Catalog and signals fall back to this process's events only when the bus is not used.
    for (const output of outputs) {
      expect(output).not.toContain(
        'Will only receive events that were sent locally',
      );
    }

    // An event published on one replica reaches a subscriber reading from the other.
    const [first, second] = replicas;
    const subscribed = await bus(second, `/subscriptions/${TOPIC}`, {
      method: 'PUT',
      body: JSON.stringify({ topics: [TOPIC] }),
    });
    expect(subscribed.status).toBe(201);
    const published = await bus(first, '/events', {
      method: 'POST',
      body: JSON.stringify({
        event: { topic: TOPIC, payload: { from: 'first' } },
      }),
    });
    expect(published.status).toBe(201);
    const received = await bus(second, `/subscriptions/${TOPIC}/events`);
    expect(received.status).toBe(200);
    expect(await received.json()).toEqual({
      events: [{ topic: TOPIC, payload: { from: 'first' } }],
    });
  });
});

/** Startup errors a replica logged: a migration race shows as MigrationLocked or "already exists". */
function failures(output: string): string[] {
  return output
    .split('\n')
    .filter(l =>
      /MigrationLocked|already exists|startup failed|Unhandled rejection/.test(
        l,
      ),
    )
    .map(l => l.slice(0, 300));
}
