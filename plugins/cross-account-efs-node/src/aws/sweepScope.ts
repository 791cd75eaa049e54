import { CallLimiter } from './callLimiter';
import { ReadCache } from './readCache';
import { isReadOnly } from './readOnly';

type Sendable = { send(command: any, ...rest: any[]): Promise<any> };

/**
 * What one sweep shares across its connections: read caches and a bound on
 * calls in flight per service, account and region. A sweep sees the
 * backend's clients through it (`AwsClients.inSweep`), so a backend keeps
 * one set of clients and credentials for every sweep, and a refresh that
 * overlaps the scheduled sweep reads fresh answers of its own. Passed
 * explicitly rather than found by async context: AsyncLocalStorage's
 * promise hooks cost every promise of a sweep, not just its AWS calls.
 */
export class SweepScope {
  /** Reads built from several calls (AwsClients.shared), by key. */
  readonly sharedReads = new ReadCache();
  private readonly limiter: CallLimiter;
  private readonly views = new Map<Sendable, unknown>();

  constructor(options: { concurrency: number }) {
    this.limiter = new CallLimiter(options.concurrency);
  }

  /**
   * The client as this sweep sees it: the same client (its config,
   * middleware and paginators are the client's), with a `send` that answers
   * a read from the sweep's cache before the SDK builds a request for it
   * (connections repeat most of their reads, and the SDK's per-call work was
   * the largest part of a sweep's own work). What reaches AWS waits for a
   * slot of its service, account and region; a retry keeps its slot.
   */
  view<T extends Sendable>(client: T, scopeKey: string): T {
    let view = this.views.get(client) as T | undefined;
    if (!view) {
      const send = client.send.bind(client);
      const limited = (command: any, rest: any[]) =>
        this.limiter.run(scopeKey, () => send(command, ...rest));
      // This client's answers, by command, then by input: short keys, looked
      // up for every connection's every read.
      const answers = new Map<string, ReadCache>();
      view = Object.create(client, {
        send: {
          value: (command: any, ...rest: any[]) => {
            const name: string = command?.constructor?.name ?? '';
            // Options or a callback pass through: only a plain read is shared.
            if (rest.length > 0 || !isReadOnly(name)) {
              return limited(command, rest);
            }
            let byInput = answers.get(name);
            if (!byInput) {
              byInput = new ReadCache();
              answers.set(name, byInput);
            }
            return byInput.read(JSON.stringify(command.input), () =>
              limited(command, rest),
            );
          },
        },
      }) as T;
      this.views.set(client, view);
    }
    return view;
  }
}
