import type { Pluggable } from '@smithy/types';
import type { ClientMiddleware } from './AwsClients';

const READ_ONLY = /^(Describe|List|Get)/;

/**
 * Coalesces identical read calls (same service, account, region, command
 * and input) for the life of one sweep: a file system's mount targets, a
 * VPC's route tables or a cluster's add-on are asked for once, however many
 * connections share them. Writes always go through.
 */
export class ReadCache {
  private readonly entries = new Map<string, Promise<any>>();

  readonly middleware: ClientMiddleware = target => {
    const plugin: Pluggable<any, any> = {
      applyToStack: stack => {
        stack.add(
          (next, context) => async args => {
            const command = String(context.commandName ?? '');
            if (!READ_ONLY.test(command)) return next(args);
            const key = `${target.service}/${target.accountId}/${
              target.region
            }/${command}/${JSON.stringify(args.input)}`;
            let entry = this.entries.get(key);
            if (!entry) {
              entry = next(args);
              this.entries.set(key, entry);
              // A failed read is not remembered: the next caller tries again.
              entry.catch(() => this.entries.delete(key));
            }
            const result = await entry;
            // Each caller gets its own copy to read (and sort) as it likes.
            return { ...result, output: structuredClone(result.output) };
          },
          { step: 'initialize', priority: 'high', name: 'readCache' },
        );
      },
    };
    return plugin;
  };

  get size() {
    return this.entries.size;
  }
}
