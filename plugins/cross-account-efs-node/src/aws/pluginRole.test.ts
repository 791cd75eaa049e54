import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import {
  SANDBOX,
  sandboxAwsIntegrationConfig,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import { AwsClients } from './AwsClients';
import { awsConfigForPlugin } from './pluginRole';

jest.setTimeout(120_000);

describe('the role the plugin assumes in each account (crossAccountEfs.aws.roleName)', () => {
  let emulator: SeededEmulator;
  beforeAll(async () => {
    emulator = await startSeededEmulator();
  });
  afterAll(() => emulator.stop());

  const callerIn = async (config: ConfigReader, accountId: string) => {
    const clients = AwsClients.fromConfig(config);
    const { Arn } = await clients
      .sts({ accountId, region: SANDBOX.region })
      .send(new GetCallerIdentityCommand({}));
    return Arn;
  };

  it("unset, calls in both accounts run as aws.accountDefaults' role", async () => {
    const config = new ConfigReader({ aws: sandboxAwsIntegrationConfig() });
    for (const accountId of [SANDBOX.efs.accountId, SANDBOX.eks.accountId]) {
      expect(await callerIn(config, accountId)).toMatch(
        new RegExp(
          `^arn:aws:sts::${accountId}:assumed-role/${SANDBOX.portalRoleName}/`,
        ),
      );
    }
  });

  it('set, calls in both accounts run as the plugin’s own role, while the aws section keeps its role for other plugins', async () => {
    const config = new ConfigReader({
      aws: sandboxAwsIntegrationConfig(),
      crossAccountEfs: { aws: { roleName: SANDBOX.adminRoleName } },
    });
    for (const accountId of [SANDBOX.efs.accountId, SANDBOX.eks.accountId]) {
      expect(await callerIn(config, accountId)).toMatch(
        new RegExp(
          `^arn:aws:sts::${accountId}:assumed-role/${SANDBOX.adminRoleName}/`,
        ),
      );
    }
    expect(config.getString('aws.accountDefaults.roleName')).toBe(
      SANDBOX.portalRoleName,
    );
  });

  it('replaces the role and external id of accountDefaults and of accounts reached by role; keeps partition, region and accounts reached with keys', () => {
    const derived = awsConfigForPlugin(
      new ConfigReader({
        aws: {
          mainAccount: { region: 'us-gov-west-1' },
          accountDefaults: {
            roleName: 'read-only',
            externalId: 'shared-id',
            partition: 'aws-us-gov',
            region: 'us-gov-west-1',
          },
          accounts: [
            { accountId: '111111111111', roleName: 'other-read-only' },
            { accountId: '222222222222', profile: 'platform' },
          ],
        },
        crossAccountEfs: {
          aws: { roleName: 'cross-account-efs', externalId: 'efs-id' },
        },
      }),
    );
    expect(derived.get('aws')).toEqual({
      mainAccount: { region: 'us-gov-west-1' },
      accountDefaults: {
        roleName: 'cross-account-efs',
        externalId: 'efs-id',
        partition: 'aws-us-gov',
        region: 'us-gov-west-1',
      },
      accounts: [
        {
          accountId: '111111111111',
          roleName: 'cross-account-efs',
          externalId: 'efs-id',
        },
        { accountId: '222222222222', profile: 'platform' },
      ],
    });
  });
});
