import { Clock, RequestRateLimiter } from './requestQuotas';

/** Time that moves only when every sleeper's turn comes, instantly. */
function fakeClock(): Clock & { run<T>(work: Promise<T>): Promise<T> } {
  let now = 0;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: ms =>
      new Promise(wake => {
        sleepers.push({ at: now + ms, wake });
      }),
    async run(work) {
      let done = false;
      work.finally(() => {
        done = true;
      });
      while (!done) {
        await new Promise(resolve => setImmediate(resolve));
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift();
        if (next) {
          now = Math.max(now, next.at);
          next.wake();
        }
      }
      return work;
    },
  };
}

/** AWS's side, as the bench models it: a bucket that answers Throttling when empty. */
function awsBucket(clock: Clock, burst: number, perSecond: number) {
  let tokens = burst;
  let at = clock.now();
  return () => {
    tokens = Math.min(burst, tokens + ((clock.now() - at) / 1000) * perSecond);
    at = clock.now();
    if (tokens < 1) return 'Throttling';
    tokens -= 1;
    return 'ok';
  };
}

describe('the request-rate limiter (fake clock)', () => {
  it('spreads a burst of 50 Route 53 reads in one account at 5/s, and AWS throttles none', async () => {
    const clock = fakeClock();
    const limiter = new RequestRateLimiter(undefined, { clock, headroom: 1 });
    const aws = awsBucket(clock, 5, 5);
    const answers: Array<{ at: number; answer: string }> = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 50 }, async () => {
          await limiter.take('route53', '111111111111/us-east-1');
          answers.push({ at: clock.now(), answer: aws() });
        }),
      ),
    );
    expect(answers.filter(a => a.answer !== 'ok')).toEqual([]);
    // Five at once (the bucket), then one every 200 ms: 45 more take 9 s.
    expect(Math.max(...answers.map(a => a.at))).toBeGreaterThanOrEqual(9000);
    for (const { at } of answers) {
      const inWindow = answers.filter(a => a.at > at - 1000 && a.at <= at);
      expect(inWindow.length).toBeLessThanOrEqual(10);
    }
  });

  it('keeps accounts and services apart: another account or service does not wait', async () => {
    const clock = fakeClock();
    const limiter = new RequestRateLimiter(undefined, { clock, headroom: 1 });
    const started: string[] = [];
    await clock.run(
      Promise.all([
        ...Array.from({ length: 10 }, () =>
          limiter
            .take('route53', '111111111111/us-east-1')
            .then(() => started.push(`a ${clock.now()}`)),
        ),
        limiter
          .take('route53', '222222222222/us-east-1')
          .then(() => started.push(`b ${clock.now()}`)),
        limiter
          .take('ec2', '111111111111/us-west-2')
          .then(() => started.push(`ec2 ${clock.now()}`)),
      ]),
    );
    expect(started).toContain('b 0');
    expect(started).toContain('ec2 0');
    expect(started.filter(s => s.startsWith('a ')).at(-1)).toBe('a 1000');
  });

  it('leaves headroom below the quota by default', async () => {
    const clock = fakeClock();
    const limiter = new RequestRateLimiter(undefined, { clock });
    const at: number[] = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 9 }, () =>
          limiter
            .take('route53', '111111111111/us-east-1')
            .then(() => at.push(clock.now())),
        ),
      ),
    );
    // 90%: a bucket of 4 refilled at 4.5/s.
    expect(at.filter(t => t === 0)).toHaveLength(4);
    expect(Math.max(...at)).toBeCloseTo(5000 / 4.5, 3);
  });
});
