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
 * Installed on every client AwsClients makes. Outside a sweep it does
 * nothing. Inside one, reads are answered from the sweep's cache, and
 * what reaches AWS waits for a slot of its service, account and region (a
 * cached answer takes no slot).
 */
export const sweepMiddleware: ClientMiddleware = target => {
  const scopeKey = `${target.service}/${target.accountId}/${target.region}`;
  const plugin: Pluggable<any, any> = {
    applyToStack: stack => {
      stack.add(
        (next, context) => args => {
          const sweep = current.getStore();
          const command = String(context.commandName ?? '');
          if (!sweep || !isReadOnly(command)) return next(args);
          return sweep.cache.read(
            `${scopeKey}/${command}/${JSON.stringify(args.input)}`,
            () => next(args),
          );
        },
        { step: 'initialize', priority: 'high', name: 'sweepReadCache' },
      );
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
