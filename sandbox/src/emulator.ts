import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { EksAccessEntryStore } from './eksAccessEntries';
import type { EksAddonStore } from './eksAddons';
import { Gateway, startGateway } from './gateway';

/**
 * A running AWS emulator: moto_server on a loopback port of its own, behind
 * the sandbox gateway that completes its EKS answers (see gateway.ts).
 */
export interface Emulator {
  /** What AWS_ENDPOINT_URL should point at. */
  endpoint: string;
  /** The EKS add-ons the gateway answers for (the emulator has none). */
  addons: EksAddonStore;
  /** The EKS access entries the gateway answers for (the emulator has none). */
  accessEntries: EksAccessEntryStore;
  /** Where DescribeCluster says each sandbox cluster's API server is. */
  clusterEndpoints: Gateway['clusterEndpoints'];
  /** The emulator itself, behind the gateway: what the sandbox cluster asks as STS would be asked. */
  upstream: string;
  /** Secrets of the temporary keys STS issued (see Gateway). */
  issuedSecrets: Gateway['issuedSecrets'];
  stop(): Promise<void>;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilServing(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function launchOnce(
  command: string,
  timeoutMs: number,
): Promise<{ endpoint: string; stop(): Promise<void> } | { failure: string }> {
  const port = await freeLoopbackPort();
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', chunk => {
    output = (output + chunk).slice(-2000);
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', e =>
      reject(
        new Error(
          `Could not start the AWS emulator '${command}': ${e.message}. Install it with: pip install 'moto[server]'`,
        ),
      ),
    ),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  if (
    await Promise.race([
      waitUntilServing(endpoint, child, timeoutMs),
      spawnError,
    ])
  ) {
    return { endpoint, stop: () => stopChild(child) };
  }
  await stopChild(child);
  return { failure: output.trim() };
}

/**
 * Starts moto_server on a free loopback port. A port can be taken between
 * choosing and binding it, so a failed start is retried on another port.
 */
export async function startEmulator(
  options: { command?: string; timeoutMs?: number } = {},
): Promise<Emulator> {
  const command = options.command ?? process.env.MOTO_SERVER ?? 'moto_server';
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await launchOnce(command, options.timeoutMs ?? 30_000);
    if ('endpoint' in result) {
      const gateway = await startGateway(result.endpoint);
      return {
        endpoint: gateway.endpoint,
        addons: gateway.addons,
        accessEntries: gateway.accessEntries,
        clusterEndpoints: gateway.clusterEndpoints,
        issuedSecrets: gateway.issuedSecrets,
        upstream: result.endpoint,
        stop: async () => {
          await gateway.close();
          await result.stop();
        },
      };
    }
    failure = result.failure;
  }
  throw new Error(`The AWS emulator did not start: ${failure}`);
}
