import {
  DeleteTagsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  hasManagedTag,
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
 * connection's use tag comes off. A rule made by hand (adopted) is left as
 * it was: only this connection's use tag comes off.
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
  const base = {
    layer: 'nfs-ingress' as const,
    accountId: t.fileSystem.accountId,
    resource: 'security-group-rule',
  };
  const release = (ruleId: string) =>
    ctx.checkpoint(`nfs-ingress:release:${ruleId}`, async () => {
      await ec2.send(
        new DeleteTagsCommand({
          Resources: [ruleId],
          Tags: [{ Key: use.Key }],
        }),
      );
    });
  for (const rule of rules.filter(
    r => !hasManagedTag(r.Tags) && r.Tags?.some(tag => tag.Key === use.Key),
  )) {
    changes.push({
      ...base,
      action: 'update',
      summary: `Leave ${rule.SecurityGroupRuleId} (made outside the portal) as it was: take off this connection's use tag`,
    });
    work.push(() => release(rule.SecurityGroupRuleId!));
  }
  for (const w of wanted(t, modeOf(options))) {
    const rule = rules.find(
      r =>
        r.GroupId === w.securityGroupId &&
        isExactly(r, w.source) &&
        hasManagedTag(r.Tags),
    );
    if (!rule) continue;
    const others = otherUsers(rule.Tags ?? [], t.spec);
    if (others.length) {
      changes.push({
        ...base,
        action: 'update',
        summary: `Keep ${rule.SecurityGroupRuleId}: still used by ${others.join(
          ', ',
        )}`,
      });
      if (rule.Tags?.some(tag => tag.Key === use.Key)) {
        work.push(() => release(rule.SecurityGroupRuleId!));
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
