import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupRulesCommand,
  IpPermission,
  RevokeSecurityGroupIngressCommand,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {
  CheckResult,
  hasManagedTag,
  managedTagList,
  NFS_PORT,
  otherUsers,
  usageTag,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import { checkResult } from '../engine/checkResult';
import { cidrContains } from '../preflight/cidr';
import type {
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';

/**
 * `security-group`: allow the cluster security group, referenced across
 * accounts through the peering (seed step 7). `cidr`: allow the cluster
 * VPC's CIDR blocks, for Transit Gateways without security group
 * referencing, or wherever group references cannot cross.
 */
export type NfsIngressMode = 'security-group' | 'cidr';

export interface NfsIngressResult {
  securityGroupIds: string[];
  mode: NfsIngressMode;
}

/** What one mount-target security group must let in. */
interface WantedSource {
  securityGroupId: string;
  source: string;
}

/** The groups to open: each mount target's first group, once. */
function mountTargetGroups(t: Topology): string[] {
  return [
    ...new Set(
      t.fileSystem.mountTargets.map(m => m.securityGroupIds[0]).filter(Boolean),
    ),
  ].sort();
}

function wanted(t: Topology, mode: NfsIngressMode): WantedSource[] {
  const sources =
    mode === 'cidr' ? t.cluster.vpcCidrs : [t.cluster.clusterSecurityGroupId];
  return mountTargetGroups(t).flatMap(securityGroupId =>
    sources.map(source => ({ securityGroupId, source })),
  );
}

function allowsNfs(rule: SecurityGroupRule): boolean {
  if (rule.IsEgress) return false;
  if (rule.IpProtocol === '-1') return true;
  return (
    rule.IpProtocol === 'tcp' &&
    (rule.FromPort ?? 0) <= NFS_PORT &&
    NFS_PORT <= (rule.ToPort ?? -1)
  );
}

function covers(rule: SecurityGroupRule, source: string): boolean {
  if (!allowsNfs(rule)) return false;
  if (source.startsWith('sg-'))
    return rule.ReferencedGroupInfo?.GroupId === source;
  return !!rule.CidrIpv4 && cidrContains(rule.CidrIpv4, source);
}

/** Exactly the rule we would add; removal touches nothing broader or foreign. */
function isExactly(rule: SecurityGroupRule, source: string): boolean {
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

async function currentRules(
  ctx: EngineContext,
  t: Topology,
): Promise<SecurityGroupRule[]> {
  const groups = mountTargetGroups(t);
  if (groups.length === 0) return [];
  const { SecurityGroupRules = [] } = await ctx.aws.ec2(t.fileSystem).send(
    new DescribeSecurityGroupRulesCommand({
      Filters: [{ Name: 'group-id', Values: groups }],
    }),
  );
  return SecurityGroupRules;
}

function permission(t: Topology, source: string): IpPermission {
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

function describeSource(t: Topology, source: string): string {
  return source.startsWith('sg-') ? `${t.cluster.accountId}/${source}` : source;
}

/** Seed step 7: TCP 2049 into the mount targets' security group. */
export async function planNfsIngress(
  ctx: EngineContext,
  t: Topology,
  mode: NfsIngressMode = 'security-group',
): Promise<LayerPlan<NfsIngressResult>> {
  const rules = await currentRules(ctx, t);
  const missing = wanted(t, mode).filter(
    w =>
      !rules.some(r => r.GroupId === w.securityGroupId && covers(r, w.source)),
  );
  // A rule we made for another connection (same cluster VPC, CIDR mode; or
  // another file system behind the same group): this connection uses it too.
  const use = usageTag(t.spec);
  const toMark = wanted(t, mode)
    .map(w =>
      rules.find(
        r =>
          r.GroupId === w.securityGroupId &&
          isExactly(r, w.source) &&
          hasManagedTag(r.Tags) &&
          !r.Tags?.some(tag => tag.Key === use.Key),
      ),
    )
    .filter((r): r is SecurityGroupRule => !!r);
  const changes: PlannedChange[] = missing.map(w => ({
    layer: 'nfs-ingress',
    accountId: t.fileSystem.accountId,
    action: 'create',
    resource: 'security-group-rule',
    summary: `Allow TCP ${NFS_PORT} into ${
      w.securityGroupId
    } from ${describeSource(t, w.source)}`,
  }));
  for (const r of toMark) {
    changes.push({
      layer: 'nfs-ingress',
      accountId: t.fileSystem.accountId,
      action: 'update',
      resource: 'security-group-rule',
      summary: `Record that this connection also uses ${r.SecurityGroupRuleId}`,
    });
  }
  return {
    changes,
    blockers: [],
    apply: async () => {
      for (const r of toMark) {
        await ctx.checkpoint(
          `nfs-ingress:use:${r.SecurityGroupRuleId}`,
          async () => {
            await ctx.aws.ec2(t.fileSystem).send(
              new CreateTagsCommand({
                Resources: [r.SecurityGroupRuleId!],
                Tags: [use],
              }),
            );
          },
        );
      }
      for (const w of missing) {
        await ctx.checkpoint(
          `nfs-ingress:${w.securityGroupId}:${w.source}`,
          async () => {
            try {
              await ctx.aws.ec2(t.fileSystem).send(
                new AuthorizeSecurityGroupIngressCommand({
                  GroupId: w.securityGroupId,
                  IpPermissions: [permission(t, w.source)],
                  TagSpecifications: [
                    {
                      ResourceType: 'security-group-rule',
                      Tags: managedTagList(t.spec, { [use.Key]: use.Value }),
                    },
                  ],
                }),
              );
            } catch (e) {
              // Added since we looked, by us or someone else: the rule is there.
              if (!isAwsError(e, 'InvalidPermission.Duplicate')) throw e;
            }
          },
        );
      }
      return { securityGroupIds: mountTargetGroups(t), mode };
    },
  };
}

export async function checkNfsIngress(
  ctx: EngineContext,
  t: Topology,
  mode: NfsIngressMode = 'security-group',
): Promise<CheckResult[]> {
  const rules = await currentRules(ctx, t);
  return wanted(t, mode).map(w => {
    const rule = rules.find(
      r => r.GroupId === w.securityGroupId && covers(r, w.source),
    );
    const id = `nfs:${w.securityGroupId}:${w.source}`;
    const evidence = {
      securityGroupId: w.securityGroupId,
      source: describeSource(t, w.source),
    };
    return rule
      ? checkResult('nfs-ingress', id, 'ok', {
          summary: `${w.securityGroupId} allows NFS from ${describeSource(
            t,
            w.source,
          )} (${rule.SecurityGroupRuleId}).`,
          evidence: { ...evidence, ruleId: rule.SecurityGroupRuleId },
        })
      : checkResult('nfs-ingress', id, 'error', {
          summary: `${
            w.securityGroupId
          } does not allow TCP ${NFS_PORT} from ${describeSource(
            t,
            w.source,
          )}: mounts time out.`,
          remedy:
            "Re-run provisioning: it adds the NFS rule to the mount targets' security group.",
          evidence,
        });
  });
}

export async function removeNfsIngress(
  ctx: EngineContext,
  t: Topology,
  mode: NfsIngressMode = 'security-group',
): Promise<PlannedChange[]> {
  const rules = await currentRules(ctx, t);
  const removed: PlannedChange[] = [];
  const use = usageTag(t.spec);
  for (const w of wanted(t, mode)) {
    const rule = rules.find(
      r => r.GroupId === w.securityGroupId && isExactly(r, w.source),
    );
    if (!rule) continue;
    const others = otherUsers(rule.Tags ?? [], t.spec);
    if (others.length) {
      // Another connection still needs this rule: let go of it, keep it.
      if (rule.Tags?.some(tag => tag.Key === use.Key)) {
        await ctx.checkpoint(
          `nfs-ingress:release:${rule.SecurityGroupRuleId}`,
          async () => {
            await ctx.aws.ec2(t.fileSystem).send(
              new DeleteTagsCommand({
                Resources: [rule.SecurityGroupRuleId!],
                Tags: [{ Key: use.Key }],
              }),
            );
          },
        );
      }
      removed.push({
        layer: 'nfs-ingress',
        accountId: t.fileSystem.accountId,
        action: 'update',
        resource: 'security-group-rule',
        summary: `Keep ${rule.SecurityGroupRuleId}: still used by ${others.join(
          ', ',
        )}`,
      });
      continue;
    }
    await ctx.checkpoint(
      `nfs-ingress:revoke:${w.securityGroupId}:${w.source}`,
      async () => {
        await ctx.aws.ec2(t.fileSystem).send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: w.securityGroupId,
            IpPermissions: [permission(t, w.source)],
          }),
        );
      },
    );
    removed.push({
      layer: 'nfs-ingress',
      accountId: t.fileSystem.accountId,
      action: 'delete',
      resource: 'security-group-rule',
      summary: `NFS rule in ${w.securityGroupId} from ${describeSource(
        t,
        w.source,
      )}`,
    });
  }
  return removed;
}
