import type {
  EngineContext,
  LayerOptions,
  LayerPlan,
  Topology,
} from '../../engine/types';
import { isFileSystemSid, roleStatementSids } from '../../iam/connectionIam';
import { planFileSystemPolicyRemoval } from '../../iam/fileSystemPolicy';
import { planRoleStatementRemoval } from '../../iam/roles';
import { readIamState } from './read';

/**
 * Takes this connection's statements out of the file system policy and both
 * roles (others' statements stay), and a role we made once nothing of ours
 * is left on it. The OIDC provider stays: the cluster's other workloads use it.
 */
export async function planIamRemoval(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<LayerPlan<void>> {
  const state = await readIamState(ctx, t, options);
  const roleSids = roleStatementSids(t.spec);
  const parts = [
    planFileSystemPolicyRemoval(ctx, t.spec, state.fileSystemPolicy),
    await planRoleStatementRemoval(
      ctx,
      'iam',
      t.spec,
      {
        accountId: t.fileSystem.accountId,
        roleName: state.names.efsAccessRole,
        policyName: state.names.policy,
        sids: roleSids.efsAccessRole,
        isFileSystemSid,
      },
      state.efsRole,
    ),
    await planRoleStatementRemoval(
      ctx,
      'iam',
      t.spec,
      {
        accountId: t.cluster.accountId,
        roleName: state.names.csiDriverRole,
        policyName: state.names.policy,
        sids: roleSids.csiDriverRole,
        isFileSystemSid,
      },
      state.csiRole,
    ),
  ];
  return {
    changes: parts.flatMap(p => p.changes),
    blockers: [],
    apply: async () => {
      for (const part of parts) await part.apply();
    },
  };
}
