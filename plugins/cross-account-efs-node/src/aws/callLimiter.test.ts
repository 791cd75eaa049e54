import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';
import { Readable } from 'node:stream';
import { offlineCredentials } from '../__testUtils__/fixtures';
import { AwsClients } from './AwsClients';
import { CallLimiter } from './callLimiter';
import { ReadCache } from './readCache';

const EMPTY_VPCS =
  '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcSet/></DescribeVpcsResponse>';

/** Real clients over a fake HTTP layer that answers after 20 ms and records what is in flight. */
function clientsWith(limiter: CallLimiter, cache?: ReadCache) {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const clients = new AwsClients({
    credentialsManager: offlineCredentials,
    middleware: [...(cache ? [cache.middleware] : []), limiter.middleware],
  });
  const ec2 = (accountId: string) => {
    const client = clients.ec2({ accountId, region: 'us-west-2' });
    (client.config as any).requestHandler = {
      handle: async () => {
        inFlight.set(accountId, (inFlight.get(accountId) ?? 0) + 1);
        peak.set(
          accountId,
          Math.max(peak.get(accountId) ?? 0, inFlight.get(accountId)!),
        );
        peakTotal = Math.max(peakTotal, ++total);
        await new Promise(r => setTimeout(r, 20));
        inFlight.set(accountId, inFlight.get(accountId)! - 1);
        total--;
        return {
          response: new HttpResponse({
            statusCode: 200,
            headers: { 'content-type': 'text/xml' },
            body: Readable.from([EMPTY_VPCS]),
          }),
        };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    };
    return client;
  };
  return { ec2, peak, peakTotal: () => peakTotal };
}

describe('CallLimiter (fake HTTP layer under real SDK clients)', () => {
  it('bounds the calls in flight per account, while accounts run side by side', async () => {
    const { ec2, peak, peakTotal } = clientsWith(new CallLimiter(3));
    const accounts = ['111111111111', '222222222222'];
    await Promise.all(
      accounts.flatMap(account =>
        Array.from({ length: 10 }, (_, i) =>
          ec2(account).send(new DescribeVpcsCommand({ VpcIds: [`vpc-${i}`] })),
        ),
      ),
    );
    expect(Object.fromEntries(peak)).toEqual({
      '111111111111': 3,
      '222222222222': 3,
    });
    expect(peakTotal()).toBe(6);
  });

  it('lets reads the sweep cache answers through without taking a slot', async () => {
    const cache = new ReadCache();
    const { ec2, peak } = clientsWith(new CallLimiter(1), cache);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        ec2('111111111111').send(new DescribeVpcsCommand({})),
      ),
    );
    // One call reached the wire; nine waited for its answer, not for a slot.
    expect(peak.get('111111111111')).toBe(1);
    expect(cache.size).toBe(1);
    expect(Date.now() - started).toBeLessThan(150);
  });
});
