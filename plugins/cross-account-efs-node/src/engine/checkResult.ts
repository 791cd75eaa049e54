import type {
  CheckResult,
  CheckStatus,
  LayerId,
} from '@internal/plugin-cross-account-efs-common';

/** The time as an ISO string, formatted once per millisecond: a sweep stamps thousands of results. */
let stamp = { ms: 0, iso: '' };
function now(): string {
  const ms = Date.now();
  if (ms !== stamp.ms) stamp = { ms, iso: new Date(ms).toISOString() };
  return stamp.iso;
}

/** Builds a CheckResult stamped with the time it was observed. */
export function checkResult(
  layer: LayerId,
  id: string,
  status: CheckStatus,
  fields: Pick<CheckResult, 'summary'> &
    Partial<Pick<CheckResult, 'detail' | 'remedy' | 'evidence'>>,
): CheckResult {
  return { layer, id, status, ...fields, checkedAt: now() };
}
