import {
  DeleteTagsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  otherUsers,
  usageTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import {
  currentRules,
  describeSource,
  isExactly,
  modeOf,
  permission,
  wanted,
} from './read';

/**
 * Revokes exactly the rule provisioning adds (never a broader or foreign
 * one), unless another connection still uses it: then only this
 * connection's use tag comes off.
 */
export async function planNfsIngressRemoval(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<LayerPlan<void>> {
  const rules = await currentRules(ctx, t);
  const use = usageTag(t.spec);
  const ec2 = ctx.aws.ec2(t.fileSystem);
  const changes: PlannedChange[] = [];
  const work: Array<() => Promise<void>> = [];
  for (const w of wanted(t, modeOf(options))) {
    const rule = rules.find(
      r => r.GroupId === w.securityGroupId && isExactly(r, w.source),
    );
    if (!rule) continue;
    const others = otherUsers(rule.Tags ?? [], t.spec);
    const base = {
      layer: 'nfs-ingress' as const,
      accountId: t.fileSystem.accountId,
      resource: 'security-group-rule',
    };
    if (others.length) {
      changes.push({
        ...base,
        action: 'update',
        summary: `Keep ${rule.SecurityGroupRuleId}: still used by ${others.join(
          ', ',
        )}`,
      });
      if (rule.Tags?.some(tag => tag.Key === use.Key)) {
        work.push(() =>
          ctx.checkpoint(
            `nfs-ingress:release:${rule.SecurityGroupRuleId}`,
            async () => {
              await ec2.send(
                new DeleteTagsCommand({
                  Resources: [rule.SecurityGroupRuleId!],
                  Tags: [{ Key: use.Key }],
                }),
              );
            },
          ),
        );
      }
      continue;
    }
    changes.push({
      ...base,
      action: 'delete',
      summary: `NFS rule in ${w.securityGroupId} from ${describeSource(
        t,
        w.source,
      )}`,
    });
    work.push(() =>
      ctx.checkpoint(
        `nfs-ingress:revoke:${w.securityGroupId}:${w.source}`,
        async () => {
          await ec2.send(
            new RevokeSecurityGroupIngressCommand({
              GroupId: w.securityGroupId,
              IpPermissions: [permission(t, w.source)],
            }),
          );
        },
      ),
    );
  }
  return {
    changes,
    blockers: [],
    apply: async () => {
      for (const step of work) await step();
    },
  };
}
