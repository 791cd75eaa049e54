import {
  CheckResult,
  NFS_PORT,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, LayerOptions, Topology } from '../../engine/types';
import { covers, currentRules, describeSource, modeOf, wanted } from './read';

/** TCP 2049 from the cluster into every mount target's group. */
export async function checkNfsIngress(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<CheckResult[]> {
  const rules = await currentRules(ctx, t);
  return wanted(t, modeOf(options)).map(w => {
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
