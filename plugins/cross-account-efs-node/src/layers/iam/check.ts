import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type {
  EngineContext,
  LayerOptions,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { awsPrincipals, isAccountRoot } from '../../iam/policyDocument';
import { planFromState } from './plan';
import { readIamState } from './read';

/** Drift from the wanted IAM state, one result per resource, never the external id. */
export async function checkIam(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<CheckResult[]> {
  const state = await readIamState(ctx, t, options);
  const { changes, blockers } = planFromState(ctx, t, options, state);
  const results: CheckResult[] = blockers.map((b, i) =>
    checkResult('iam', `iam:blocker:${i}`, 'error', {
      summary: b.summary,
      remedy: b.remedy,
    }),
  );
  const roots = state.efsRole.trust.Statement.filter(
    s => s.Effect === 'Allow' && awsPrincipals(s).some(isAccountRoot),
  );
  if (roots.length) {
    results.push(
      checkResult(
        'iam',
        `iam:account-root:${state.names.efsAccessRole}`,
        'warning',
        {
          summary: `${
            state.names.efsAccessRole
          } also trusts a whole account (${roots
            .flatMap(awsPrincipals)
            .join(', ')}).`,
          remedy:
            'Remove that trust statement: only the CSI driver role needs to assume this role. Re-running provisioning does not remove statements it did not write.',
        },
      ),
    );
  }
  const byResource = (c: PlannedChange) =>
    checkResult('iam', `iam:${c.resource}:${c.accountId}`, 'error', {
      summary: `${c.resource} in ${c.accountId} is not as provisioned: ${c.action} needed (${c.summary}).`,
      remedy:
        'Re-run provisioning: it restores the IAM statements of this connection and keeps the others.',
    });
  results.push(...changes.map(byResource));
  if (results.length === 0) {
    results.push(
      checkResult('iam', 'iam:roles', 'ok', {
        summary: `${state.names.efsAccessRole} (EFS account) trusts only ${state.names.csiDriverRole}, with an external id; the file system policy allows it to mount.`,
        evidence: {
          efsAccessRoleArn: state.arns.efsAccessRole,
          csiDriverRoleArn: state.arns.csiDriverRole,
        },
      }),
    );
  }
  return results;
}
