import {
  CheckResult,
  NFS_PORT,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, Topology } from '../../engine/types';
import { covers, currentRules, mountTargetGroups } from './read';

/**
 * `existing` connectivity: each mount target's group lets NFS in from the
 * cluster, by a rule someone else made: one referencing the cluster's
 * security group, or CIDR rules (however broad) covering every block of
 * the cluster's VPC.
 */
export async function checkNfsIngressExists(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const rules = await currentRules(ctx, t);
  const { clusterSecurityGroupId, vpcCidrs } = t.cluster;
  return mountTargetGroups(t).map(securityGroupId => {
    const inGroup = rules.filter(r => r.GroupId === securityGroupId);
    const byGroup = inGroup.find(r => covers(r, clusterSecurityGroupId));
    const uncovered = vpcCidrs.filter(
      cidr => !inGroup.some(r => covers(r, cidr)),
    );
    const id = `nfs:${securityGroupId}`;
    if (byGroup || uncovered.length === 0) {
      const ruleIds = byGroup
        ? [byGroup.SecurityGroupRuleId]
        : vpcCidrs.map(
            cidr => inGroup.find(r => covers(r, cidr))!.SecurityGroupRuleId,
          );
      return checkResult('nfs-ingress', id, 'ok', {
        summary: `${securityGroupId} allows NFS from the cluster (${[
          ...new Set(ruleIds),
        ].join(', ')}).`,
        evidence: { securityGroupId, ruleIds },
      });
    }
    return checkResult('nfs-ingress', id, 'error', {
      summary: `${securityGroupId} does not allow TCP ${NFS_PORT} from ${uncovered.join(
        ', ',
      )} (or from the cluster's security group ${clusterSecurityGroupId}): mounts time out.`,
      remedy: `Ask the owner of the file system's network to allow TCP ${NFS_PORT} into ${securityGroupId} from ${vpcCidrs.join(
        ', ',
      )}, or request the connection with connectivity "peering", which adds the rule.`,
      evidence: { securityGroupId, uncovered },
    });
  });
}
