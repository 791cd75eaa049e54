import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, offlineEngine, topology } from '../__testUtils__/fixtures';
import { runPlan } from '../engine/runPlan';
import { planPrivateDns } from './privateDns';

const r53 = mockClient(Route53Client);
const zone = (az: string) =>
  `${az}.fs-0123456789abcdef0.efs.us-west-2.amazonaws.com`;

describe('private DNS layer (SDK double: already-exists answers the emulator does not give)', () => {
  beforeEach(() => {
    r53.reset();
    r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
  });

  it('adopts the zone an earlier, interrupted try created (HostedZoneAlreadyExists, same caller reference)', async () => {
    r53.on(ListHostedZonesByVPCCommand).resolves({ HostedZoneSummaries: [] });
    r53
      .on(CreateHostedZoneCommand)
      .rejects(awsError('HostedZoneAlreadyExists'));
    r53.on(ListHostedZonesByNameCommand).callsFake(({ DNSName }) => ({
      HostedZones: [
        {
          Id: `/hostedzone/Z-${DNSName.slice(0, 8)}`,
          Name: `${DNSName}.`,
          CallerReference: `xaefs:vpc-0bbbbbbbbbbbbbbb1:${DNSName}`,
        },
      ],
    }));
    r53.on(ChangeResourceRecordSetsCommand).resolves({});
    const ctx = offlineEngine();
    const outcome = await runPlan(ctx, await planPrivateDns(ctx, topology()));
    expect(outcome.dryRun === false && outcome.result.zones).toEqual([
      {
        azId: 'usw2-az1',
        zoneName: zone('usw2-az1'),
        hostedZoneId: 'Z-usw2-az1',
        ipAddress: '10.0.2.10',
      },
      {
        azId: 'usw2-az2',
        zoneName: zone('usw2-az2'),
        hostedZoneId: 'Z-usw2-az2',
        ipAddress: '10.0.1.10',
      },
    ]);
    expect(r53.commandCalls(ChangeTagsForResourceCommand)).toHaveLength(0);
  });

  it('reuses zones already on the VPC and only corrects a stale A record', async () => {
    r53.on(ListHostedZonesByVPCCommand).resolves({
      HostedZoneSummaries: [
        { HostedZoneId: 'Z1', Name: `${zone('usw2-az1')}.`, Owner: {} },
        { HostedZoneId: 'Z2', Name: `${zone('usw2-az2')}.`, Owner: {} },
      ],
    });
    r53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: 'Z1' })
      .resolves({
        ResourceRecordSets: [
          {
            Name: `${zone('usw2-az1')}.`,
            Type: 'A',
            ResourceRecords: [{ Value: '10.0.2.10' }],
          },
        ],
      })
      .on(ListResourceRecordSetsCommand, { HostedZoneId: 'Z2' })
      .resolves({
        ResourceRecordSets: [
          {
            Name: `${zone('usw2-az2')}.`,
            Type: 'A',
            ResourceRecords: [{ Value: '10.0.1.99' }],
          },
        ],
      });
    r53.on(ChangeResourceRecordSetsCommand).resolves({});
    const ctx = offlineEngine();
    const plan = await planPrivateDns(ctx, topology());
    expect(plan.changes.map(c => c.summary)).toEqual([
      `A ${zone('usw2-az2')} -> 10.0.1.10 (was 10.0.1.99)`,
    ]);
    await runPlan(ctx, plan);
    expect(r53.commandCalls(CreateHostedZoneCommand)).toHaveLength(0);
    const [upsert] = r53.commandCalls(ChangeResourceRecordSetsCommand);
    expect(upsert.args[0].input).toMatchObject({
      HostedZoneId: 'Z2',
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Type: 'A',
              ResourceRecords: [{ Value: '10.0.1.10' }],
            },
          },
        ],
      },
    });
  });
});
