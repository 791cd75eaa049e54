import type { ConnectivityMode } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { nothingToChange } from './runPlan';
import type { Layer, LayerOptions, LayerPlan } from './types';

/** Requests recorded before the mode existed were all peerings. */
export const connectivityOf = (options: LayerOptions): ConnectivityMode =>
  options.connectivity ?? 'peering';

/**
 * A network layer in both modes. In `peering` mode it is the layer as made;
 * in `existing` mode connectivity belongs to someone else, so the layer
 * changes nothing and removes nothing: its plan is its check, with every
 * problem a blocker (found before any mutation), and removal leaves the
 * network exactly as it was.
 */
export function connectivityAware<TResult>(
  managed: Layer<TResult>,
  checkExisting: Layer['check'],
): Layer<TResult | undefined> {
  const existing = (options: LayerOptions) =>
    connectivityOf(options) === 'existing';
  return {
    id: managed.id,
    async plan(ctx, t, options): Promise<LayerPlan<TResult | undefined>> {
      if (!existing(options)) return managed.plan(ctx, t, options);
      const results = await checkExisting(ctx, t, options);
      return {
        changes: [],
        blockers: results
          .filter(r => r.status === 'error')
          .map(r => ({
            layer: managed.id,
            summary: r.summary,
            remedy: r.remedy ?? 'Ask the owner of the network to fix it.',
          })),
        apply: async () => undefined,
      };
    },
    check: (ctx, t, options) =>
      existing(options)
        ? checkExisting(ctx, t, options)
        : managed.check(ctx, t, options),
    remove: (ctx, t, options) =>
      existing(options)
        ? Promise.resolve(nothingToChange())
        : managed.remove(ctx, t, options),
  };
}
