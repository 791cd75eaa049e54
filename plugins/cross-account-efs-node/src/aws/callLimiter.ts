import pLimit from 'p-limit';

/**
 * A bound on AWS calls in flight per service, account and region: AWS
 * throttles per account and region, so that is where a sweep's load is
 * bounded, not per connection (a connection's calls mostly land in
 * accounts other connections share).
 */
export class CallLimiter {
  private readonly limits = new Map<string, ReturnType<typeof pLimit>>();

  constructor(private readonly perAccount: number) {}

  run<T>(key: string, call: () => Promise<T>): Promise<T> {
    let limit = this.limits.get(key);
    if (!limit) {
      limit = pLimit(this.perAccount);
      this.limits.set(key, limit);
    }
    return limit(call);
  }
}
