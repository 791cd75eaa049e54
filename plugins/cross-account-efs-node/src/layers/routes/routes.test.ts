import {
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  offlineEngine,
  topology,
} from '../../__testUtils__/fixtures';
import { runPlan } from '../../engine/runPlan';
import { routes } from '.';

const ec2 = mockClient(EC2Client);
const PCX = 'pcx-0123456789abcdef0';

/** The active peering the routes go through. */
const livePeering = () =>
  ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
    VpcPeeringConnections: [
      { VpcPeeringConnectionId: PCX, Status: { Code: 'active' } },
    ],
  });

function tables(
  clusterRoutes: any[],
  fileSystemRoutes: any[] = [
    {
      DestinationCidrBlock: '10.1.0.0/16',
      VpcPeeringConnectionId: PCX,
      State: 'active',
    },
  ],
) {
  livePeering();
  ec2
    .on(DescribeRouteTablesCommand, {
      Filters: [{ Name: 'vpc-id', Values: ['vpc-0bbbbbbbbbbbbbbb1'] }],
    })
    .resolves({
      RouteTables: [
        { RouteTableId: 'rtb-0bbbbbbbbbbbbbbb1', Routes: clusterRoutes },
      ],
    })
    .on(DescribeRouteTablesCommand, {
      Filters: [{ Name: 'vpc-id', Values: ['vpc-0aaaaaaaaaaaaaaa1'] }],
    })
    .resolves({
      RouteTables: [
        { RouteTableId: 'rtb-0aaaaaaaaaaaaaaa1', Routes: fileSystemRoutes },
      ],
    });
}

describe('routes layer (SDK double: route states the emulator cannot reach)', () => {
  beforeEach(() => ec2.reset());

  it('refuses, before any change, to overwrite a route to another target', async () => {
    tables([
      {
        DestinationCidrBlock: '10.0.0.0/16',
        TransitGatewayId: 'tgw-0123456789abcdef0',
        State: 'active',
      },
    ]);
    const ctx = offlineEngine();
    await expect(
      runPlan(ctx, await routes.plan(ctx, topology(), {})),
    ).rejects.toThrow(
      /rtb-0bbbbbbbbbbbbbbb1 in account 222222222222 already sends 10\.0\.0\.0\/16 to tgw-0123456789abcdef0\. Fix: /,
    );
    expect(ec2.commandCalls(CreateRouteCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ReplaceRouteCommand)).toHaveLength(0);
  });

  it('repairs a blackhole route by replacing its target', async () => {
    tables([
      {
        DestinationCidrBlock: '10.0.0.0/16',
        VpcPeeringConnectionId: 'pcx-0dead00000000000a',
        State: 'blackhole',
      },
    ]);
    const ctx = offlineEngine();
    ec2.on(ReplaceRouteCommand).resolves({});
    const plan = await routes.plan(ctx, topology(), {});
    expect(plan.changes.map(c => c.summary)).toEqual([
      `Repair blackhole route 10.0.0.0/16 in rtb-0bbbbbbbbbbbbbbb1 (was pcx-0dead00000000000a) -> ${PCX}`,
    ]);
    await runPlan(ctx, plan);
    expect(ec2.commandCalls(ReplaceRouteCommand)[0].args[0].input).toEqual({
      RouteTableId: 'rtb-0bbbbbbbbbbbbbbb1',
      DestinationCidrBlock: '10.0.0.0/16',
      VpcPeeringConnectionId: PCX,
    });
  });

  it('treats RouteAlreadyExists as done when the route that won the race is ours', async () => {
    livePeering();
    ec2
      .on(DescribeRouteTablesCommand, {
        Filters: [{ Name: 'vpc-id', Values: ['vpc-0bbbbbbbbbbbbbbb1'] }],
      })
      .resolvesOnce({
        RouteTables: [{ RouteTableId: 'rtb-0bbbbbbbbbbbbbbb1', Routes: [] }],
      })
      .resolves({
        RouteTables: [
          {
            RouteTableId: 'rtb-0bbbbbbbbbbbbbbb1',
            Routes: [
              {
                DestinationCidrBlock: '10.0.0.0/16',
                VpcPeeringConnectionId: PCX,
                State: 'active',
              },
            ],
          },
        ],
      })
      .on(DescribeRouteTablesCommand, {
        Filters: [{ Name: 'vpc-id', Values: ['vpc-0aaaaaaaaaaaaaaa1'] }],
      })
      .resolves({
        RouteTables: [
          {
            RouteTableId: 'rtb-0aaaaaaaaaaaaaaa1',
            Routes: [
              {
                DestinationCidrBlock: '10.1.0.0/16',
                VpcPeeringConnectionId: PCX,
                State: 'active',
              },
            ],
          },
        ],
      });
    ec2.on(CreateRouteCommand).rejects(awsError('RouteAlreadyExists'));
    const ctx = offlineEngine();
    await expect(
      runPlan(ctx, await routes.plan(ctx, topology(), {})),
    ).resolves.toMatchObject({ dryRun: false });
  });

  it('covers every CIDR block of the other VPC, secondary ones too', async () => {
    tables([]);
    const ctx = offlineEngine();
    const plan = await routes.plan(
      ctx,
      topology({ fileSystem: { vpcCidrs: ['10.0.0.0/16', '100.64.0.0/16'] } }),
      {},
    );
    expect(plan.changes.map(c => c.summary)).toEqual([
      `Route 10.0.0.0/16 in rtb-0bbbbbbbbbbbbbbb1 -> ${PCX}`,
      `Route 100.64.0.0/16 in rtb-0bbbbbbbbbbbbbbb1 -> ${PCX}`,
    ]);
  });

  it('checks: a missing, a blackhole and a foreign route are each an error with a remedy', async () => {
    tables(
      [
        {
          DestinationCidrBlock: '10.0.0.0/16',
          VpcPeeringConnectionId: 'pcx-0dead00000000000a',
          State: 'blackhole',
        },
      ],
      [],
    );
    const results = await routes.check(offlineEngine(), topology(), {});
    expect(results.map(r => [r.status, r.summary])).toEqual([
      ['error', expect.stringContaining('is a blackhole')],
      ['error', expect.stringContaining('has no route to 10.1.0.0/16')],
    ]);
    expect(results.every(r => r.remedy?.includes('Re-run provisioning'))).toBe(
      true,
    );
  });
});
