import { ConflictError } from '@backstage/errors';
import type { Blocker, EngineContext, LayerPlan } from './types';

/**
 * A plan with blockers: nothing was changed; each blocker names its fix.
 *
 * @public
 */
export class PlanBlockedError extends ConflictError {
  constructor(readonly blockers: Blocker[]) {
    super(
      blockers
        .map(b => `- ${b.layer}: ${b.summary} Fix: ${b.remedy}`)
        .join('\n'),
    );
  }
}

/** A plan that changes nothing: what is there is already as wanted. */
export const nothingToChange = (): LayerPlan<void> => ({
  changes: [],
  blockers: [],
  apply: async () => {},
});

/** @public */
export interface EnsureOptions {
  /** Plan only: report what would change, mutate nothing. */
  dryRun?: boolean;
}

/** @public */
export type EnsureResult<T> =
  | { dryRun: true; plan: Omit<LayerPlan<T>, 'apply'> }
  | { dryRun: false; plan: Omit<LayerPlan<T>, 'apply'>; result: T };

/**
 * The shared `ensure` of every layer: refuse on blockers before mutating
 * anything, stop at the plan in a dry run, otherwise apply.
 *
 * @public
 */
export async function runPlan<T>(
  ctx: EngineContext,
  plan: LayerPlan<T>,
  options: EnsureOptions = {},
): Promise<EnsureResult<T>> {
  const { apply, ...summary } = plan;
  for (const change of plan.changes) {
    ctx.logger.info(
      `${options.dryRun ? 'would ' : ''}${change.action} ${
        change.resource
      } in ${change.accountId}: ${change.summary}`,
    );
  }
  if (plan.blockers.length > 0) {
    throw new PlanBlockedError(plan.blockers);
  }
  if (options.dryRun) {
    return { dryRun: true, plan: summary };
  }
  if (plan.changes.length === 0) {
    ctx.logger.info('nothing to change');
  }
  return { dryRun: false, plan: summary, result: await apply() };
}
