import { createWaiter, WaiterState } from '@smithy/util-waiter';

/** What one poll saw: done (with its value), failed for good, or not yet. */
export type Poll<T> =
  | { state: 'done'; value: T }
  | { state: 'failed'; reason: string }
  | { state: 'pending'; reason?: string };

export interface WaitOptions {
  /** Upper bound for the whole wait, in seconds. */
  maxWaitSeconds: number;
  /** Seconds before the second poll; the SDK backs off from there, with jitter. */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/**
 * Polls with the SDK's waiter machinery (exponential backoff with jitter,
 * bounded wait) until `poll` says done or failed. Every wait of every layer
 * goes through here; a timeout or failure throws `describe`'s message.
 */
export async function waitUntil<T>(
  options: WaitOptions,
  poll: () => Promise<Poll<T>>,
  describe: (outcome: 'timeout' | 'failed', last: string) => string,
): Promise<T> {
  let last: Poll<T> | undefined;
  const result = await createWaiter(
    {
      client: {},
      maxWaitTime: options.maxWaitSeconds,
      minDelay: options.minDelaySeconds ?? 1,
      maxDelay: Math.max(
        options.maxDelaySeconds ?? 10,
        options.minDelaySeconds ?? 1,
      ),
    },
    {},
    async () => {
      last = await poll();
      if (last.state === 'done') return { state: WaiterState.SUCCESS };
      if (last.state === 'failed') return { state: WaiterState.FAILURE };
      return { state: WaiterState.RETRY };
    },
  );
  if (result.state === WaiterState.SUCCESS && last?.state === 'done') {
    return last.value;
  }
  const reason =
    last && last.state !== 'done' ? last.reason ?? last.state : 'no answer';
  throw new Error(
    describe(
      result.state === WaiterState.FAILURE ? 'failed' : 'timeout',
      reason,
    ),
  );
}
