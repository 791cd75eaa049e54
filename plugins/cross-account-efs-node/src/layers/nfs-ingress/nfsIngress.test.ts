import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  offlineEngine,
  topology,
} from '../../__testUtils__/fixtures';
import { TAG_MANAGED_BY } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { runPlan } from '../../engine/runPlan';
import { nfsIngress } from '.';

const ec2 = mockClient(EC2Client);

describe('NFS ingress layer', () => {
  beforeEach(() => ec2.reset());

  it('allows <cluster account>/<cluster security group> on TCP 2049 (SDK double: the emulator rejects cross-account group references)', async () => {
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolves({ SecurityGroupRules: [] });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    const ctx = offlineEngine();
    await runPlan(
      ctx,
      await nfsIngress.plan(ctx, topology(), {
        nfsIngressMode: 'security-group',
      }),
    );
    const calls = ec2.commandCalls(AuthorizeSecurityGroupIngressCommand);
    // Both mount targets share one group: one rule.
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toMatchObject({
      GroupId: 'sg-0aaaaaaaaaaaaaaa1',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 2049,
          ToPort: 2049,
          UserIdGroupPairs: [
            { GroupId: 'sg-0bbbbbbbbbbbbbbb1', UserId: '222222222222' },
          ],
        },
      ],
    });
  });

  it('treats InvalidPermission.Duplicate as done', async () => {
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolves({ SecurityGroupRules: [] });
    ec2
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejects(awsError('InvalidPermission.Duplicate'));
    const ctx = offlineEngine();
    await expect(
      runPlan(
        ctx,
        await nfsIngress.plan(ctx, topology(), { nfsIngressMode: 'cidr' }),
      ),
    ).resolves.toMatchObject({
      result: { securityGroupIds: ['sg-0aaaaaaaaaaaaaaa1'], mode: 'cidr' },
    });
  });

  it('counts a broader existing rule (all traffic from a larger CIDR) as already allowing NFS, and adopts it rather than adding one', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: 'sgr-0000000000000000a',
          GroupId: 'sg-0aaaaaaaaaaaaaaa1',
          IsEgress: false,
          IpProtocol: '-1',
          CidrIpv4: '10.0.0.0/8',
        },
      ],
    });
    const plan = await nfsIngress.plan(offlineEngine(), topology(), {
      nfsIngressMode: 'cidr',
    });
    expect(plan.changes.map(c => `${c.action} ${c.summary}`)).toEqual([
      'update Adopt sgr-0000000000000000a in sg-0aaaaaaaaaaaaaaa1, made outside the portal: it already lets NFS in from the cluster, and removal leaves it',
    ]);
  });

  it('does not count a rule for another port', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          GroupId: 'sg-0aaaaaaaaaaaaaaa1',
          IsEgress: false,
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIpv4: '10.1.0.0/16',
        },
      ],
    });
    const plan = await nfsIngress.plan(offlineEngine(), topology(), {
      nfsIngressMode: 'cidr',
    });
    expect(plan.changes.map(c => c.summary)).toEqual([
      'Allow TCP 2049 into sg-0aaaaaaaaaaaaaaa1 from 10.1.0.0/16',
    ]);
  });
});

describe('NFS ingress removal', () => {
  beforeEach(() => ec2.reset());

  /** Removal's plan, applied: what it changed. */
  const removeInCidrMode = async () => {
    const ctx = offlineEngine();
    const outcome = await runPlan(
      ctx,
      await nfsIngress.remove(ctx, topology(), { nfsIngressMode: 'cidr' }),
    );
    return outcome.plan.changes;
  };

  it('revokes only the exact rule it would add, never a broader one someone else made', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          GroupId: 'sg-0aaaaaaaaaaaaaaa1',
          IsEgress: false,
          IpProtocol: '-1',
          CidrIpv4: '10.0.0.0/8',
        },
      ],
    });
    const removed = await removeInCidrMode();
    expect(removed).toEqual([]);
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it('revokes our rule (tagged as made by the portal), and leaves the same rule made by hand', async () => {
    const rule = {
      GroupId: 'sg-0aaaaaaaaaaaaaaa1',
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: 2049,
      ToPort: 2049,
      CidrIpv4: '10.1.0.0/16',
    };
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({ SecurityGroupRules: [rule] })
      .resolves({
        SecurityGroupRules: [
          { ...rule, Tags: [{ Key: TAG_MANAGED_BY, Value: 'backstage' }] },
        ],
      });
    expect(await removeInCidrMode()).toEqual([]);
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({});
    const removed = await removeInCidrMode();
    expect(removed.map(r => r.summary)).toEqual([
      'NFS rule in sg-0aaaaaaaaaaaaaaa1 from 10.1.0.0/16',
    ]);
  });
});
