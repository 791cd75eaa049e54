import { ChildProcess, fork } from 'node:child_process';
import type { JsonObject } from '@backstage/types';
import { PortalClient, portalClient } from './portalBackend';

/** A portal backend in its own process: what a second pod of the portal is. */
export interface Replica {
  client: PortalClient;
  /** SIGKILL: no shutdown hooks, no last heartbeat, as when a node dies. */
  kill(): Promise<void>;
  /** What the process printed, for a failing test's message. */
  output(): string;
}

function exited(child: ChildProcess) {
  return new Promise<void>(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Forks a replica (replicaProcess.ts) and waits until it serves. */
export async function startReplica(
  sandbox: { kubernetes: { url: string; caData: string } },
  config: JsonObject,
): Promise<Replica> {
  const { url, caData } = sandbox.kubernetes;
  const child = fork(require.resolve('./replicaProcess'), [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: {
      ...process.env,
      REPLICA_OPTIONS: JSON.stringify({ kubernetes: { url, caData }, config }),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', d => (output += d));
  child.stderr?.on('data', d => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    // The node transform sends its own messages (files to watch) on the same channel.
    child.on('message', (m: any) => m?.type === 'serving' && resolve(m.port));
    child.once('exit', code =>
      reject(
        new Error(`the replica exited (${code}) before serving:\n${output}`),
      ),
    );
  });
  return {
    client: portalClient(`http://127.0.0.1:${port}`),
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    output: () => output,
  };
}
