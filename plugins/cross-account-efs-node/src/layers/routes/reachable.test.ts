import type { Route } from '@aws-sdk/client-ec2';
import { longestPrefixMatch } from './reachable';

describe('longestPrefixMatch', () => {
  const routes: Route[] = [
    { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
    {
      DestinationCidrBlock: '10.0.0.0/8',
      TransitGatewayId: 'tgw-1',
      State: 'active',
    },
    {
      DestinationCidrBlock: '10.1.0.0/16',
      VpcPeeringConnectionId: 'pcx-1',
      State: 'blackhole',
    },
    {
      DestinationCidrBlock: '10.1.2.0/24',
      GatewayId: 'vgw-1',
      State: 'active',
    },
  ];

  it('picks the most specific route that contains the whole range, as the VPC router does', () => {
    expect(
      longestPrefixMatch(routes, '10.1.0.0/16')?.VpcPeeringConnectionId,
    ).toBe('pcx-1');
    expect(longestPrefixMatch(routes, '10.2.0.0/16')?.TransitGatewayId).toBe(
      'tgw-1',
    );
    expect(longestPrefixMatch(routes, '172.16.0.0/12')?.GatewayId).toBe(
      'igw-1',
    );
  });

  it('finds nothing when no route contains the range, even if a smaller one sits inside it', () => {
    expect(longestPrefixMatch(routes.slice(1), '10.0.0.0/7')).toBeUndefined();
    expect(longestPrefixMatch([], '10.0.0.0/16')).toBeUndefined();
  });
});
