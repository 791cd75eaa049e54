import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {
  hasManagedTag,
  managedTagList,
  NFS_PORT,
  usageTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../../aws/errors';
import type {
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import {
  covers,
  currentRules,
  describeSource,
  isExactly,
  modeOf,
  mountTargetGroups,
  NfsIngressMode,
  permission,
  wanted,
} from './read';

/** @public */
export interface NfsIngressResult {
  securityGroupIds: string[];
  mode: NfsIngressMode;
}

/** Seed step 7: TCP 2049 into the mount targets' security group. */
export async function planNfsIngress(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<LayerPlan<NfsIngressResult>> {
  const mode = modeOf(options);
  const rules = await currentRules(ctx, t);
  const missing = wanted(t, mode).filter(
    w =>
      !rules.some(r => r.GroupId === w.securityGroupId && covers(r, w.source)),
  );
  // A rule we made for another connection (same cluster VPC, CIDR mode; or
  // another file system behind the same group), or one made by hand that
  // already lets the cluster in (adopted): this connection's use tag records
  // it, and removal leaves it to the others, or to whoever made it.
  const use = usageTag(t.spec);
  const toMark = [
    ...new Set(
      wanted(t, mode)
        .map(w => {
          const inGroup = rules.filter(r => r.GroupId === w.securityGroupId);
          const rule =
            inGroup.find(
              r => isExactly(r, w.source) && hasManagedTag(r.Tags),
            ) ?? inGroup.find(r => covers(r, w.source));
          return rule?.Tags?.some(tag => tag.Key === use.Key)
            ? undefined
            : rule;
        })
        .filter((r): r is SecurityGroupRule => !!r),
    ),
  ];
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
      summary: hasManagedTag(r.Tags)
        ? `Record that this connection also uses ${r.SecurityGroupRuleId}`
        : `Adopt ${r.SecurityGroupRuleId} in ${r.GroupId}, made outside the portal: it already lets NFS in from the cluster, and removal leaves it`,
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
