import pLimit from 'p-limit';
import type { Pluggable } from '@smithy/types';
import type { ClientMiddleware } from './AwsClients';

/**
 * A bound on AWS calls in flight per service, account and region: AWS
 * throttles per account and region, so that is where a sweep's load is
 * bounded, not per connection (a connection's calls mostly land in
 * accounts other connections share).
 */
export class CallLimiter {
  private readonly limits = new Map<string, ReturnType<typeof pLimit>>();

  constructor(private readonly perAccount: number) {}

  readonly middleware: ClientMiddleware = target => {
    const key = `${target.service}/${target.accountId}/${target.region}`;
    const plugin: Pluggable<any, any> = {
      applyToStack: stack => {
        stack.add(
          next => args => {
            let limit = this.limits.get(key);
            if (!limit) {
              limit = pLimit(this.perAccount);
              this.limits.set(key, limit);
            }
            return limit(() => next(args));
          },
          // After the sweep's read cache: a call answered from it takes no slot.
          { step: 'initialize', priority: 'low', name: 'callLimiter' },
        );
      },
    };
    return plugin;
  };
}
