import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';
import { Readable } from 'node:stream';
import { offlineCredentials } from '../__testUtils__/fixtures';
import { AwsClients } from './AwsClients';
import { SweepScope } from './sweepScope';

const EMPTY_VPCS =
  '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcSet/></DescribeVpcsResponse>';

/** Real clients over a fake HTTP layer that answers after 20 ms and records what is in flight. */
function answeringClients() {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const clients = new AwsClients({
    credentialsManager: offlineCredentials,
  });
  /** A sweep's view of the same clients. */
  const inSweep = (concurrency: number) =>
    clients.inSweep(new SweepScope({ concurrency }));
  const ec2 = (accountId: string, aws: AwsClients = clients) => {
    const client = aws.ec2({ accountId, region: 'us-west-2' });
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
  return { ec2, inSweep, peak, peakTotal: () => peakTotal };
}

describe('a sweep (fake HTTP layer under real SDK clients)', () => {
  it('bounds the calls in flight per account, while accounts run side by side', async () => {
    const { ec2, inSweep, peak, peakTotal } = answeringClients();
    const accounts = ['111111111111', '222222222222'];
    const sweep = inSweep(3);
    await Promise.all(
      accounts.flatMap(account =>
        Array.from({ length: 10 }, (_, i) =>
          ec2(account, sweep).send(
            new DescribeVpcsCommand({ VpcIds: [`vpc-${i}`] }),
          ),
        ),
      ),
    );
    expect(Object.fromEntries(peak)).toEqual({
      '111111111111': 3,
      '222222222222': 3,
    });
    expect(peakTotal()).toBe(6);
  });

  it('answers identical reads once, without taking a slot, with one shared read-only answer', async () => {
    const { ec2, inSweep, peak } = answeringClients();
    const sweep = inSweep(1);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        ec2('111111111111', sweep).send(new DescribeVpcsCommand({})),
      ),
    );
    // One call reached the wire; nine waited for its answer, not for a slot.
    expect(peak.get('111111111111')).toBe(1);
    expect(Date.now() - started).toBeLessThan(150);
    expect(answers.every(a => a.Vpcs === answers[0].Vpcs)).toBe(true);
    expect(() => (answers[0].Vpcs as unknown[]).push({})).toThrow(TypeError);
  });

  it('leaves calls outside a sweep alone, and gives overlapping sweeps answers of their own', async () => {
    const { ec2, inSweep, peakTotal } = answeringClients();
    const vpcs = (aws?: AwsClients) =>
      ec2('111111111111', aws).send(new DescribeVpcsCommand({}));
    const [one, other] = [inSweep(5), inSweep(5)];
    const [outside, first, second] = await Promise.all([
      Promise.all([vpcs(), vpcs(), vpcs()]),
      Promise.all([vpcs(one), vpcs(one)]),
      Promise.all([vpcs(other), vpcs(other)]),
    ]);
    // Three uncached calls, and one per sweep.
    expect(peakTotal()).toBe(5);
    expect(Object.isFrozen(outside[0].Vpcs)).toBe(false);
    expect(first[0]).toBe(first[1]);
    expect(first[0]).not.toBe(second[0]);
  });

  it('makes a derived read (several calls and their parsing) once per sweep, shared and frozen; outside a sweep, every time', async () => {
    const clients = new AwsClients({ credentialsManager: offlineCredentials });
    let made = 0;
    const readRole = (aws: AwsClients) =>
      aws.shared('role:111111111111:driver', async () => ({
        made: ++made,
        statements: ['a'],
      }));
    const sweep = clients.inSweep(new SweepScope({ concurrency: 1 }));
    const [first, second] = await Promise.all([
      readRole(sweep),
      readRole(sweep),
    ]);
    expect(first).toBe(second);
    expect(() => first.statements.push('b')).toThrow(TypeError);
    const outside = [await readRole(clients), await readRole(clients)];
    expect(outside.map(r => r.made)).toEqual([2, 3]);
    expect(Object.isFrozen(outside[0])).toBe(false);
    // Another sweep reads afresh.
    expect(
      (await readRole(clients.inSweep(new SweepScope({ concurrency: 1 }))))
        .made,
    ).toBe(4);
  });
});
