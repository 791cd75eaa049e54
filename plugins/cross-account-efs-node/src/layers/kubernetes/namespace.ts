import type { EngineContext, Topology } from '../../engine/types';
import { createIdempotent } from '../../kubernetes/kubeErrors';
import {
  change,
  keyOf,
  KubernetesState,
  managedLabels,
  ResourcePlan,
} from './read';
import { nothingToChange } from '../../engine/runPlan';

/** The workloads' namespace, when the request names one: created if missing, kept on removal. */
export function planNamespace(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
  name: string | undefined,
): ResourcePlan {
  if (!name || s.namespace) {
    return nothingToChange();
  }
  return {
    changes: [change(t, 'create', 'namespace', name)],
    blockers: [],
    apply: async () => {
      await ctx.checkpoint(`${keyOf(t)}:namespace:${name}`, () =>
        createIdempotent(() =>
          s.k8s.core.createNamespace({
            body: { metadata: { name, labels: managedLabels } },
          }),
        ),
      );
    },
  };
}
