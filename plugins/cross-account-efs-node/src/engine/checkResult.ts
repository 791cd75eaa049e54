import type {
  CheckResult,
  CheckStatus,
  LayerId,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/** Builds a CheckResult stamped with the time it was observed. */
export function checkResult(
  layer: LayerId,
  id: string,
  status: CheckStatus,
  fields: Pick<CheckResult, 'summary'> &
    Partial<Pick<CheckResult, 'detail' | 'remedy' | 'evidence'>>,
): CheckResult {
  return { layer, id, status, ...fields, checkedAt: new Date().toISOString() };
}
