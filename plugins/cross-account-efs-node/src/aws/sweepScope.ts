import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pluggable } from '@smithy/types';
import type { ClientMiddleware } from './AwsClients';
import { CallLimiter } from './callLimiter';
import { ReadCache } from './readCache';
import { isReadOnly } from './readOnly';

/** What one sweep shares across its connections. */
interface SweepScope {
  cache: ReadCache;
  limiter: CallLimiter;
}

const current = new AsyncLocalStorage<SweepScope>();

type ClientTarget = Parameters<ClientMiddleware>[0];
const keyOf = (target: ClientTarget) =>
  `${target.service}/${target.accountId}/${target.region}`;

/**
 * Runs `fn` as one sweep: every AWS call made inside it, through any
 * AwsClients, goes through this sweep's read cache and call limit. Scoped by
 * async context rather than by client, so a backend keeps one set of
 * clients (and credentials) for all sweeps, and a refresh that overlaps the
 * scheduled sweep reads fresh answers of its own.
 */
export function runInSweep<T>(
  options: { concurrency: number },
  fn: () => Promise<T>,
): Promise<T> {
  return current.run(
    { cache: new ReadCache(), limiter: new CallLimiter(options.concurrency) },
    fn,
  );
}

/**
 * Installed on every client AwsClients makes; outside a sweep it does
 * nothing. Inside one, a read is answered from the sweep's cache before the
 * SDK builds a request for it: connections repeat most of their reads, and
 * the SDK's per-call work (resolving the middleware stack and the endpoint,
 * serializing) was the largest part of a sweep's own work. Only what
 * reaches AWS goes on through the client, and waits for a slot of its
 * service, account and region (`sweepCallLimit`).
 */
export function answerReadsFromSweep<
  T extends { send(command: any, ...rest: any[]): Promise<any> },
>(client: T, target: ClientTarget): T {
  const scopeKey = keyOf(target);
  const send = client.send.bind(client);
  client.send = ((command: any, ...rest: any[]) => {
    const sweep = current.getStore();
    const name: string = command?.constructor?.name ?? '';
    // Options or a callback pass through: only a plain read is shared.
    if (!sweep || rest.length > 0 || !isReadOnly(name)) {
      return send(command, ...rest);
    }
    return sweep.cache.read(
      `${scopeKey}/${name}/${JSON.stringify(command.input)}`,
      () => send(command),
    );
  }) as T['send'];
  return client;
}

/** The bound on calls in flight, for what the sweep's cache could not answer. */
export const sweepCallLimit: ClientMiddleware = target => {
  const scopeKey = keyOf(target);
  const plugin: Pluggable<any, any> = {
    applyToStack: stack => {
      stack.add(
        next => args => {
          const sweep = current.getStore();
          return sweep
            ? sweep.limiter.run(scopeKey, () => next(args))
            : next(args);
        },
        { step: 'initialize', priority: 'low', name: 'sweepCallLimiter' },
      );
    },
  };
  return plugin;
};
