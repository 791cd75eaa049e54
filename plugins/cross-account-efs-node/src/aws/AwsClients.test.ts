import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';
import { Readable } from 'node:stream';
import { offlineCredentials } from '../__testUtils__/fixtures';
import { AwsClients } from './AwsClients';
import { AwsCallCounter } from './callCounter';

const EMPTY_VPCS =
  '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcSet/></DescribeVpcsResponse>';

function response(statusCode: number, body: string) {
  return {
    response: new HttpResponse({
      statusCode,
      headers: { 'content-type': 'text/xml' },
      body: Readable.from([body]),
    }),
  };
}

const errorBody = (code: string) =>
  `<Response><Errors><Error><Code>${code}</Code><Message>${code}</Message></Error></Errors><RequestID>r</RequestID></Response>`;

/** A fake HTTP layer under a real client, so the SDK's own retry strategy runs. */
function clientsAnswering(...answers: Array<[number, string]>) {
  let calls = 0;
  const counter = new AwsCallCounter();
  const clients = new AwsClients({
    credentialsManager: offlineCredentials,
    middleware: [counter.middleware],
    maxAttempts: 4,
  });
  const ec2 = clients.ec2({ accountId: '111111111111', region: 'us-west-2' });
  (ec2.config as any).requestHandler = {
    handle: async () =>
      response(...answers[Math.min(calls++, answers.length - 1)]),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  return { ec2, attempts: () => calls, counter };
}

describe('AwsClients', () => {
  it('retries throttling and 5xx answers with the SDK retry strategy', async () => {
    const { ec2, attempts, counter } = clientsAnswering(
      [400, errorBody('RequestLimitExceeded')],
      [503, errorBody('Unavailable')],
      [200, EMPTY_VPCS],
    );
    await expect(ec2.send(new DescribeVpcsCommand({}))).resolves.toMatchObject({
      Vpcs: [],
    });
    expect(attempts()).toBe(3);
    // One logical call, whatever the retries.
    expect(counter.calls).toEqual([
      {
        service: 'ec2',
        accountId: '111111111111',
        command: 'DescribeVpcs',
        mutating: false,
      },
    ]);
  }, 30_000);

  it('does not retry a client error', async () => {
    const { ec2, attempts } = clientsAnswering([
      400,
      errorBody('InvalidVpcID.NotFound'),
    ]);
    await expect(
      ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-1'] })),
    ).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    expect(attempts()).toBe(1);
  });

  it('gives up after the retry budget, with the service error', async () => {
    const { ec2, attempts } = clientsAnswering([
      500,
      errorBody('InternalError'),
    ]);
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'InternalError',
    });
    expect(attempts()).toBe(4);
  }, 30_000);

  it("assumes a role once per account, for every service's client and every view of the clients (a sweep's)", async () => {
    const assumed: string[] = [];
    const clients = new AwsClients({
      credentialsManager: {
        getCredentialProvider: async ({
          accountId,
        }: {
          accountId?: string;
        }) => ({
          sdkCredentialProvider: async () => {
            assumed.push(accountId!);
            return {
              accessKeyId: 'k',
              secretAccessKey: 's',
              expiration: new Date(Date.now() + 3600_000),
            };
          },
        }),
      } as any,
    });
    const answering = <T extends { config: any }>(client: T) => {
      client.config.requestHandler = {
        handle: async () => response(200, EMPTY_VPCS),
        updateHttpClientConfig: () => {},
        httpHandlerConfigs: () => ({}),
      };
      return client;
    };
    const a = { accountId: '111111111111', region: 'us-west-2' };
    const b = { accountId: '222222222222', region: 'us-west-2' };
    const callEach = async (aws: AwsClients) => {
      await answering(aws.ec2(a)).send(new DescribeVpcsCommand({}));
      await answering(aws.ec2({ ...a, region: 'eu-west-1' })).send(
        new DescribeVpcsCommand({}),
      );
      await answering(aws.ec2(b)).send(new DescribeVpcsCommand({}));
    };
    await callEach(clients);
    const passThrough = (_call: unknown, send: () => Promise<any>) => send();
    await callEach(clients.through(passThrough));
    await callEach(clients.through(passThrough));
    expect(assumed).toEqual(['111111111111', '222222222222']);
  });
});
