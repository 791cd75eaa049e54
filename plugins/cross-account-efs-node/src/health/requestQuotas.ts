/**
 * AWS's request-rate quotas, as token buckets: `burst` requests at once,
 * refilled at `perSecond`. Per account and region (IAM and Route 53 are
 * global: per account). Sources and the figures AWS does not publish are
 * in bench/README.md.
 *
 * @public
 */
export interface RequestQuota {
  burst: number;
  perSecond: number;
}

/** @public */
export type RequestQuotas = Record<string, RequestQuota>;

/**
 * The defaults, by SDK service name.
 *
 * @public
 */
export const AWS_REQUEST_QUOTAS: RequestQuotas = {
  // EC2 non-mutating (Describe*) actions: bucket 100, refill 20/s (published).
  ec2: { burst: 100, perSecond: 20 },
  // Route 53: five requests per second per account, all APIs (published).
  route53: { burst: 5, perSecond: 5 },
  // STS: 600 requests per second per account and region (published).
  sts: { burst: 600, perSecond: 600 },
  // IAM, EFS and EKS publish no request rate: conservative figures.
  iam: { burst: 20, perSecond: 10 },
  efs: { burst: 20, perSecond: 10 },
  eks: { burst: 20, perSecond: 10 },
};

/**
 * Time as the limiter sees it; tests give it a fake one.
 *
 * @public
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
};

/**
 * Paces calls so that none exceeds its bucket: each call takes a token, and
 * one that finds none waits (in the order they came) until its token has
 * been refilled. `headroom` (0-1] keeps below the quota, because other
 * callers in the same account share it and the network compresses gaps.
 *
 * @public
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<
    string,
    { tokens: number; at: number; quota: RequestQuota }
  >();

  constructor(
    private readonly quotas: RequestQuotas = AWS_REQUEST_QUOTAS,
    private readonly options: { headroom?: number; clock?: Clock } = {},
  ) {}

  /** Waits for a token of `service` in `scope` (account and region). */
  take(service: string, scope: string): Promise<void> {
    const quota = this.quotas[service];
    if (!quota) return Promise.resolve();
    const { headroom = 0.9, clock = realClock } = this.options;
    const key = `${service}/${scope}`;
    const now = clock.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const scaled = {
        burst: Math.max(1, Math.floor(quota.burst * headroom)),
        perSecond: quota.perSecond * headroom,
      };
      bucket = { tokens: scaled.burst, at: now, quota: scaled };
      this.buckets.set(key, bucket);
    }
    const { burst, perSecond } = bucket.quota;
    bucket.tokens = Math.min(
      burst,
      bucket.tokens + ((now - bucket.at) / 1000) * perSecond,
    );
    bucket.at = now;
    bucket.tokens -= 1;
    // Below zero: this call's token is refilled that much later (a reservation).
    return bucket.tokens >= 0
      ? Promise.resolve()
      : clock.sleep((-bucket.tokens / perSecond) * 1000);
  }
}
