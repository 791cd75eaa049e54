import {
  createTemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import {
  ProvisioningLayer,
  runPlan,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ZodTypeAny } from 'zod/v3';
import {
  ActionDeps,
  planGate,
  requestOnly,
  runOnRequest,
} from './engineForAction';
import { plan } from './outputProperties';

/** One provisioning layer as an action: what differs between them. */
export interface LayerActionSpec<TResult> {
  id: string;
  layer: ProvisioningLayer;
  description: string;
  examples: TemplateExample[];
  /** Outputs beside `plan`, for readers of the task (no later step needs them). */
  output: Record<string, () => ZodTypeAny>;
  report(
    result: TResult,
    ctx: { output(name: string, value: any): void; logger: any },
  ): void;
}

/**
 * Every provisioning action is the same frame around its layer: authorize
 * the initiator for the request, plan every layer (refused on any blocker),
 * then apply this layer's plan, or stop at it in a dry run.
 */
export function createLayerAction<TResult>(
  deps: ActionDeps,
  spec: LayerActionSpec<TResult>,
) {
  return createTemplateAction({
    id: spec.id,
    description: `${spec.description} Takes only the id of an approved request: the connection and its options come from the request, everything else from live reads. Plans every layer first and changes nothing while any layer is blocked.`,
    examples: spec.examples,
    supportsDryRun: true,
    schema: {
      input: requestOnly,
      output: { ...spec.output, plan },
    },
    async handler(ctx) {
      await runOnRequest(deps, ctx, 'provision', async (request, engine) => {
        const connection = await planGate(engine, request);
        const layer = connection.layers.find(l => l.id === spec.layer)!;
        const outcome = await runPlan(engine, layer.plan, {
          dryRun: ctx.isDryRun,
        });
        ctx.output('plan', outcome.plan.changes);
        // Undefined where the layer only checks (network layers with existing connectivity).
        if (!outcome.dryRun && outcome.result !== undefined)
          spec.report(outcome.result as TResult, ctx);
      });
    },
  });
}
