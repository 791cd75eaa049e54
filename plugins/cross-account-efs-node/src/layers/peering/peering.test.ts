import {
  AcceptVpcPeeringConnectionCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  TAG_MANAGED_BY,
  usageTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { mockClient } from 'aws-sdk-client-mock';
import { offlineEngine, topology } from '../../__testUtils__/fixtures';
import { runPlan } from '../../engine/runPlan';
import { peering } from '.';

const ec2 = mockClient(EC2Client);
/** A peering this connection made (its tags say so). */
const pcx = (id: string, Code: string, Message?: string) => ({
  VpcPeeringConnectionId: id,
  Status: { Code: Code as any, Message },
  Tags: [
    { Key: TAG_MANAGED_BY, Value: 'backstage' },
    usageTag(topology().spec),
  ],
});

describe('peering layer (SDK double: peering states the emulator cannot reach)', () => {
  beforeEach(() => ec2.reset());

  it('reuses an active peering and plans nothing', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
      VpcPeeringConnections: [pcx('pcx-0000000000000000a', 'active')],
    });
    const ctx = offlineEngine();
    const plan = await peering.plan(ctx, topology(), {});
    expect(plan.changes).toEqual([]);
    await expect(plan.apply()).resolves.toEqual({
      peeringConnectionId: 'pcx-0000000000000000a',
      status: 'active',
    });
    expect(ec2.commandCalls(CreateVpcPeeringConnectionCommand)).toHaveLength(0);
  });

  it('only accepts a request that is pending acceptance, from the file system account', async () => {
    ec2
      .on(DescribeVpcPeeringConnectionsCommand)
      .resolvesOnce({
        VpcPeeringConnections: [
          pcx('pcx-0000000000000000b', 'pending-acceptance'),
        ],
      })
      .resolves({
        VpcPeeringConnections: [pcx('pcx-0000000000000000b', 'active')],
      });
    ec2.on(AcceptVpcPeeringConnectionCommand).resolves({});
    const ctx = offlineEngine();
    const plan = await peering.plan(ctx, topology(), {});
    expect(plan.changes.map(c => `${c.action} ${c.accountId}`)).toEqual([
      'update 111111111111',
    ]);
    await plan.apply();
    expect(
      ec2.commandCalls(AcceptVpcPeeringConnectionCommand)[0].args[0].input,
    ).toEqual({
      VpcPeeringConnectionId: 'pcx-0000000000000000b',
    });
    expect(ec2.commandCalls(CreateVpcPeeringConnectionCommand)).toHaveLength(0);
  });

  it('ignores failed, rejected and expired peerings and requests a new one', async () => {
    ec2
      .on(DescribeVpcPeeringConnectionsCommand)
      .resolvesOnce({
        VpcPeeringConnections: [
          pcx('pcx-00000000000000001', 'failed', 'overlapping CIDR'),
          pcx('pcx-00000000000000002', 'rejected'),
          pcx('pcx-00000000000000003', 'expired'),
        ],
      })
      .resolvesOnce({
        VpcPeeringConnections: [
          pcx('pcx-0000000000000000c', 'pending-acceptance'),
        ],
      })
      .resolves({
        VpcPeeringConnections: [pcx('pcx-0000000000000000c', 'active')],
      });
    ec2.on(CreateVpcPeeringConnectionCommand).resolves({
      VpcPeeringConnection: pcx('pcx-0000000000000000c', 'initiating-request'),
    });
    ec2.on(AcceptVpcPeeringConnectionCommand).resolves({});
    const ctx = offlineEngine();
    const outcome = await runPlan(ctx, await peering.plan(ctx, topology(), {}));
    expect(
      outcome.dryRun === false && outcome.result?.peeringConnectionId,
    ).toBe('pcx-0000000000000000c');
    const request = ec2.commandCalls(CreateVpcPeeringConnectionCommand)[0]
      .args[0].input;
    expect(request).toMatchObject({
      VpcId: 'vpc-0bbbbbbbbbbbbbbb1',
      PeerVpcId: 'vpc-0aaaaaaaaaaaaaaa1',
      PeerOwnerId: '111111111111',
      PeerRegion: 'us-west-2',
    });
    expect(ctx.logs).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'pcx-00000000000000001 in state failed (overlapping CIDR)',
        ),
      ]),
    );
  });

  it('reports a peering that fails while we wait, with what to do', async () => {
    ec2
      .on(DescribeVpcPeeringConnectionsCommand)
      .resolvesOnce({ VpcPeeringConnections: [] })
      .resolves({
        VpcPeeringConnections: [
          pcx('pcx-0000000000000000d', 'failed', 'CIDRs overlap'),
        ],
      });
    ec2.on(CreateVpcPeeringConnectionCommand).resolves({
      VpcPeeringConnection: pcx('pcx-0000000000000000d', 'initiating-request'),
    });
    const ctx = offlineEngine();
    const plan = await peering.plan(ctx, topology(), {});
    await expect(plan.apply()).rejects.toThrow(
      'Peering pcx-0000000000000000d is failed: CIDRs overlap. Delete it',
    );
  });

  it('checks: a pending request is an error that shows its expiry', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
      VpcPeeringConnections: [
        {
          ...pcx('pcx-0000000000000000e', 'pending-acceptance'),
          ExpirationTime: new Date('2026-12-04T00:00:00Z'),
        },
      ],
    });
    const [result] = await peering.check(offlineEngine(), topology(), {});
    expect(result).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('expires 2026-12-04T00:00:00.000Z'),
    });
    expect(result.remedy).toContain('Re-run provisioning');
  });
});
