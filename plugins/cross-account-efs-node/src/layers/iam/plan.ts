import { randomUUID } from 'node:crypto';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  LayerPlan,
  Topology,
} from '../../engine/types';
import {
  csiDriverRolePolicy,
  csiDriverRoleTrust,
  efsAccessRolePolicy,
  efsAccessRoleTrust,
  fileSystemPolicyStatements,
  trustedExternalId,
} from '../../iam/connectionIam';
import { planFileSystemPolicy } from '../../iam/fileSystemPolicy';
import { planOidcProvider } from '../../iam/oidcProvider';
import { planRole } from '../../iam/roles';
import { IamResult, IamState, outcomeOf, readIamState } from './read';

/** What IAM needs to become as wanted, from a state already read (plan and check share it). */
export function planFromState(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
  s: IamState,
) {
  const blockers: Blocker[] = [];
  if (s.identity === 'irsa' && !s.oidc) {
    blockers.push({
      layer: 'iam',
      summary: `Cluster ${t.cluster.clusterName} has no OIDC issuer, which IRSA needs.`,
      remedy:
        "Choose workloadIdentity 'pod-identity', or enable the cluster's OIDC issuer.",
    });
  }
  // The controller mounts the root to delete a volume's directory (its
  // role is the nodes' too), so that setting needs root access as well.
  const rootAccess =
    (options.rootAccess ?? false) || s.driver.deleteAccessPointRootDir;
  const externalId = trustedExternalId(s.efsRole.trust, t.spec) ?? randomUUID();
  const parts = [
    s.oidc
      ? planOidcProvider(ctx, t.spec, t.cluster.oidcIssuer!, s.oidc)
      : undefined,
    s.identity === 'pod-identity' || s.oidc
      ? planRole(
          ctx,
          'iam',
          t.spec,
          {
            accountId: t.cluster.accountId,
            roleName: s.names.csiDriverRole,
            description: `EFS CSI driver of ${t.cluster.clusterName}`,
            trust: csiDriverRoleTrust(t.spec, s.identity, s.oidc),
            inlinePolicyName: s.names.policy,
            inlinePolicy: csiDriverRolePolicy(
              t.spec,
              s.arns.efsAccessRole,
              rootAccess,
            ),
          },
          s.csiRole,
        )
      : undefined,
    planRole(
      ctx,
      'iam',
      t.spec,
      {
        accountId: t.fileSystem.accountId,
        roleName: s.names.efsAccessRole,
        description: `Assumed by the EFS CSI driver of ${t.cluster.accountId}/${t.cluster.clusterName}`,
        trust: efsAccessRoleTrust(t.spec, s.arns.csiDriverRole, externalId),
        inlinePolicyName: s.names.policy,
        inlinePolicy: efsAccessRolePolicy(t.spec),
      },
      s.efsRole,
    ),
    planFileSystemPolicy(
      ctx,
      t.spec,
      s.fileSystemPolicy,
      fileSystemPolicyStatements(t.spec, s.arns.csiDriverRole, rootAccess),
    ),
  ].filter(<T>(p: T | undefined): p is T => !!p);
  return { blockers, changes: parts.flatMap(p => p.changes), parts };
}

/**
 * Seed steps 9 and 10.3-10.5, least privilege: the cluster's OIDC provider,
 * the driver's role in the EKS account, the role it assumes in the EFS
 * account (trusting that role only, with an external id), and the file
 * system policy statements, merged into whatever policy is there.
 */
export async function planIam(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<LayerPlan<IamResult>> {
  const state = await readIamState(ctx, t, options);
  const { blockers, changes, parts } = planFromState(ctx, t, options, state);
  // Every name and ARN is known before anything is created.
  const outcome = outcomeOf(state);
  return {
    changes,
    blockers,
    apply: async () => {
      // In order: IAM checks that a trusted principal exists when a trust names it.
      for (const part of parts) await part.apply();
      return outcome;
    },
  };
}
