import {
  DescribeSecurityGroupRulesCommand,
  IpPermission,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { NFS_PORT } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { cidrContains } from '../../preflight/cidr';
import type { EngineContext, LayerOptions, Topology } from '../../engine/types';

/**
 * `security-group`: allow the cluster security group, referenced across
 * accounts through the peering (seed step 7). `cidr`: allow the cluster
 * VPC's CIDR blocks, for Transit Gateways without security group
 * referencing, or wherever group references cannot cross.
 *
 * @public
 */
export type NfsIngressMode = 'security-group' | 'cidr';

export const modeOf = (options: LayerOptions): NfsIngressMode =>
  options.nfsIngressMode ?? 'security-group';

/** What one mount-target security group must let in. */
export interface WantedSource {
  securityGroupId: string;
  source: string;
}

/** The groups to open: each mount target's first group, once. */
export function mountTargetGroups(t: Topology): string[] {
  return [
    ...new Set(
      t.fileSystem.mountTargets.map(m => m.securityGroupIds[0]).filter(Boolean),
    ),
  ].sort();
}

export function wanted(t: Topology, mode: NfsIngressMode): WantedSource[] {
  const sources =
    mode === 'cidr' ? t.cluster.vpcCidrs : [t.cluster.clusterSecurityGroupId];
  return mountTargetGroups(t).flatMap(securityGroupId =>
    sources.map(source => ({ securityGroupId, source })),
  );
}

export function allowsNfs(rule: SecurityGroupRule): boolean {
  if (rule.IsEgress) return false;
  if (rule.IpProtocol === '-1') return true;
  return (
    rule.IpProtocol === 'tcp' &&
    (rule.FromPort ?? 0) <= NFS_PORT &&
    NFS_PORT <= (rule.ToPort ?? -1)
  );
}

export function covers(rule: SecurityGroupRule, source: string): boolean {
  if (!allowsNfs(rule)) return false;
  if (source.startsWith('sg-'))
    return rule.ReferencedGroupInfo?.GroupId === source;
  return !!rule.CidrIpv4 && cidrContains(rule.CidrIpv4, source);
}

/** Exactly the rule we would add; removal touches nothing broader or foreign. */
export function isExactly(rule: SecurityGroupRule, source: string): boolean {
  if (
    rule.IsEgress ||
    rule.IpProtocol !== 'tcp' ||
    rule.FromPort !== NFS_PORT ||
    rule.ToPort !== NFS_PORT
  ) {
    return false;
  }
  return source.startsWith('sg-')
    ? rule.ReferencedGroupInfo?.GroupId === source
    : rule.CidrIpv4 === source;
}

export async function currentRules(
  ctx: EngineContext,
  t: Topology,
): Promise<readonly SecurityGroupRule[]> {
  const groups = mountTargetGroups(t);
  if (groups.length === 0) return [];
  const { SecurityGroupRules = [] } = await ctx.aws.ec2(t.fileSystem).send(
    new DescribeSecurityGroupRulesCommand({
      Filters: [{ Name: 'group-id', Values: groups }],
    }),
  );
  return SecurityGroupRules;
}

export function permission(t: Topology, source: string): IpPermission {
  const description = `NFS from EKS ${t.cluster.clusterName} (${t.cluster.accountId})`;
  return {
    IpProtocol: 'tcp',
    FromPort: NFS_PORT,
    ToPort: NFS_PORT,
    ...(source.startsWith('sg-')
      ? {
          UserIdGroupPairs: [
            {
              GroupId: source,
              UserId: t.cluster.accountId,
              Description: description,
            },
          ],
        }
      : { IpRanges: [{ CidrIp: source, Description: description }] }),
  };
}

export function describeSource(t: Topology, source: string): string {
  return source.startsWith('sg-') ? `${t.cluster.accountId}/${source}` : source;
}
