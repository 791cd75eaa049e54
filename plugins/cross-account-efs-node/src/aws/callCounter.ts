import type { Pluggable } from '@smithy/types';
import type { ClientMiddleware } from './AwsClients';
import { isReadOnly } from './readOnly';

/** @public */
export interface AwsCall {
  service: string;
  accountId: string;
  command: string;
  mutating: boolean;
}

/**
 * Records every AWS call made through AwsClients: which command, in which
 * account, and whether it mutates. Used by tests (a re-run must make no
 * mutating call) and by the benchmarks.
 *
 * @public
 */
export class AwsCallCounter {
  readonly calls: AwsCall[] = [];

  readonly middleware: ClientMiddleware = target => {
    const plugin: Pluggable<any, any> = {
      applyToStack: stack => {
        stack.add(
          (next, context) => async args => {
            const command = String(context.commandName ?? 'Unknown').replace(
              /Command$/,
              '',
            );
            this.calls.push({
              service: target.service,
              accountId: target.accountId,
              command,
              mutating: !isReadOnly(command),
            });
            return next(args);
          },
          {
            step: 'initialize',
            name: 'crossAccountEfsCallCounter',
            override: true,
          },
        );
      },
    };
    return plugin;
  };

  get mutating(): AwsCall[] {
    return this.calls.filter(c => c.mutating);
  }

  reset(): void {
    this.calls.length = 0;
  }
}
