import { z } from 'zod/v3';

/** @public */
export const layerIds = [
  'mount-targets',
  'cluster',
  'peering',
  'routes',
  'nfs-ingress',
  'dns',
  'vpc-dns',
  'iam',
  'csi-driver',
  'kubernetes',
] as const;
/** @public */
export const layerIdSchema = z.enum(layerIds);
/** @public */
export type LayerId = z.infer<typeof layerIdSchema>;

/** @public */
export const checkStatusSchema = z.enum(['ok', 'warning', 'error', 'unknown']);
/** @public */
export type CheckStatus = z.infer<typeof checkStatusSchema>;

/**
 * The verdict of one check on one layer of one connection.
 *
 * @public
 */
export const checkResultSchema = z.object({
  layer: layerIdSchema,
  /** Stable id of the check within its layer, e.g. `route:rtb-1:10.0.0.0/16`. */
  id: z.string(),
  status: checkStatusSchema,
  summary: z.string(),
  detail: z.string().optional(),
  /** What to change, and whether re-running provisioning fixes it. */
  remedy: z.string().optional(),
  /** The observed facts the verdict rests on (ids, states, values). */
  evidence: z.record(z.unknown()).optional(),
  checkedAt: z.string(),
});
/** @public */
export type CheckResult = z.infer<typeof checkResultSchema>;

const severity: Record<CheckStatus, number> = {
  ok: 0,
  unknown: 1,
  warning: 2,
  error: 3,
};

/**
 * The worst status among results; `unknown` when there are none.
 *
 * @public
 */
export function overallStatus(
  results: Pick<CheckResult, 'status'>[],
): CheckStatus {
  if (results.length === 0) return 'unknown';
  return results.reduce<CheckStatus>(
    (worst, r) => (severity[r.status] > severity[worst] ? r.status : worst),
    'ok',
  );
}
