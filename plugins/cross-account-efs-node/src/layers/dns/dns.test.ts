import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  DeleteVPCAssociationAuthorizationCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  offlineEngine,
  topology,
} from '../../__testUtils__/fixtures';
import { runPlan } from '../../engine/runPlan';
import { dns } from '.';

const r53 = mockClient(Route53Client);
const zone = (az: string) =>
  `${az}.fs-0123456789abcdef0.efs.us-west-2.amazonaws.com`;

describe('private DNS layer (SDK double: already-exists answers the emulator does not give)', () => {
  beforeEach(() => {
    r53.reset();
    r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
  });

  it('adopts the zone an earlier, interrupted try created (HostedZoneAlreadyExists, same caller reference)', async () => {
    // Before the create: no zone anywhere. After it: the lost zone, on the file system's VPC.
    let created = false;
    r53.on(ListHostedZonesByVPCCommand).callsFake(({ VPCId }) => ({
      HostedZoneSummaries:
        created && VPCId === 'vpc-0aaaaaaaaaaaaaaa1'
          ? ['usw2-az1', 'usw2-az2'].map(az => ({
              HostedZoneId: `Z-${az}`,
              Name: `${zone(az)}.`,
              Owner: { OwningAccount: '111111111111' },
            }))
          : [],
    }));
    r53.on(CreateHostedZoneCommand).callsFake(() => {
      created = true;
      throw awsError('HostedZoneAlreadyExists');
    });
    r53.on(ChangeResourceRecordSetsCommand).resolves({});
    r53.on(CreateVPCAssociationAuthorizationCommand).resolves({});
    r53.on(AssociateVPCWithHostedZoneCommand).resolves({});
    r53.on(DeleteVPCAssociationAuthorizationCommand).resolves({});
    const ctx = offlineEngine();
    const outcome = await runPlan(ctx, await dns.plan(ctx, topology(), {}));
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
    // Tags come with a create that answered; the adopted zone's came with the lost one.
    expect(r53.commandCalls(ChangeTagsForResourceCommand)).toHaveLength(0);
    expect(
      r53
        .commandCalls(AssociateVPCWithHostedZoneCommand)
        .map(c => c.args[0].input.HostedZoneId),
    ).toEqual(['Z-usw2-az1', 'Z-usw2-az2']);
  });

  const handMadeZoneOnClusterVpc = (owner: string) =>
    r53.on(ListHostedZonesByVPCCommand).callsFake(({ VPCId }) => ({
      HostedZoneSummaries:
        VPCId === 'vpc-0bbbbbbbbbbbbbbb1'
          ? [
              {
                HostedZoneId: 'ZHAND',
                Name: `${zone('usw2-az1')}.`,
                Owner: { OwningAccount: owner },
              },
            ]
          : [],
    }));

  it('refuses, before any change, a zone made by hand in the cluster account whose record is not the mount target', async () => {
    handMadeZoneOnClusterVpc('222222222222');
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [] });
    r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
    const ctx = offlineEngine();
    const plan = await dns.plan(ctx, topology(), {});
    expect(plan.blockers).toEqual([
      expect.objectContaining({
        layer: 'dns',
        summary: expect.stringContaining(
          `Private zone ${zone(
            'usw2-az1',
          )} (ZHAND, made in account 222222222222) on vpc-0bbbbbbbbbbbbbbb1 answers nothing`,
        ),
        remedy: expect.stringContaining("Set that zone's A record"),
      }),
    ]);
    await expect(runPlan(ctx, plan)).rejects.toThrow();
    expect(r53.commandCalls(CreateHostedZoneCommand)).toHaveLength(0);
  });

  it('refuses, before any change, a zone of the name from a third account on the cluster VPC', async () => {
    handMadeZoneOnClusterVpc('333333333333');
    const ctx = offlineEngine();
    const plan = await dns.plan(ctx, topology(), {});
    expect(plan.blockers).toEqual([
      expect.objectContaining({
        layer: 'dns',
        summary: expect.stringContaining(
          `Another private zone ${zone(
            'usw2-az1',
          )} (ZHAND, account 333333333333)`,
        ),
        remedy: expect.stringContaining('Delete that zone'),
      }),
    ]);
    expect(r53.commandCalls(CreateHostedZoneCommand)).toHaveLength(0);
  });

  it("reuses the file system's zones already on the cluster VPC and only corrects a stale A record", async () => {
    // The same zones on both VPCs: the file system's (its anchor) and the cluster's.
    r53.on(ListHostedZonesByVPCCommand).resolves({
      HostedZoneSummaries: [
        {
          HostedZoneId: 'Z1',
          Name: `${zone('usw2-az1')}.`,
          Owner: { OwningAccount: '111111111111' },
        },
        {
          HostedZoneId: 'Z2',
          Name: `${zone('usw2-az2')}.`,
          Owner: { OwningAccount: '111111111111' },
        },
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
    const plan = await dns.plan(ctx, topology(), {});
    expect(plan.changes.map(c => c.summary)).toEqual([
      `A ${zone(
        'usw2-az2',
      )} -> 10.0.1.10 (was 10.0.1.99), for every cluster that uses the zone`,
    ]);
    await runPlan(ctx, plan);
    expect(r53.commandCalls(CreateHostedZoneCommand)).toHaveLength(0);
    expect(r53.commandCalls(AssociateVPCWithHostedZoneCommand)).toHaveLength(0);
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

  it('refuses a new connection on a zone whose tags are full (Route 53: 50 per zone), before any change', async () => {
    r53.on(ListHostedZonesByVPCCommand).resolves({
      HostedZoneSummaries: ['usw2-az1', 'usw2-az2'].map(az => ({
        HostedZoneId: `Z-${az}`,
        Name: `${zone(az)}.`,
        Owner: { OwningAccount: '111111111111' },
      })),
    });
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [] });
    r53.on(ListTagsForResourcesCommand).resolves({
      ResourceTagSets: ['Z-usw2-az1', 'Z-usw2-az2'].map(ResourceId => ({
        ResourceId,
        Tags: [
          { Key: 'cross-account-efs:managed-by', Value: 'backstage' },
          {
            Key: 'cross-account-efs:file-system-id',
            Value: 'fs-0123456789abcdef0',
          },
          ...Array.from({ length: 48 }, (_, i) => ({
            Key: `cross-account-efs:used-by:${i}`,
            Value: `fs-0123456789abcdef0@111111111111/cluster-${i}@2 vpc-${i}`,
          })),
        ],
      })),
    });
    const ctx = offlineEngine();
    const plan = await dns.plan(ctx, topology(), {});
    expect(plan.blockers.map(b => b.summary)).toEqual([
      `${zone(
        'usw2-az1',
      )} already records 48 connections in its tags, and Route 53 allows 50 tags per zone.`,
      `${zone(
        'usw2-az2',
      )} already records 48 connections in its tags, and Route 53 allows 50 tags per zone.`,
    ]);
    await expect(runPlan(ctx, plan)).rejects.toThrow();
    expect(r53.commandCalls(ChangeTagsForResourceCommand)).toHaveLength(0);
  });
});
