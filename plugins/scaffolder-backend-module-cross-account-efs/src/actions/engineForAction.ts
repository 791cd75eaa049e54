import { InputError } from '@backstage/errors';
import {
  ConnectionSpec,
  describeInvalidInput,
} from '@internal/plugin-cross-account-efs-common';
import {
  AwsClients,
  createEngineContext,
  KubernetesClusters,
  EngineContext,
  LayerPlan,
  runPlan,
  Topology,
} from '@internal/plugin-cross-account-efs-node';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ZodTypeAny } from 'zod/v3';
import { z } from 'zod/v3';

/** What every action needs from the backend. */
export interface ActionDeps {
  aws: AwsClients;
  /** Clusters as the Kubernetes plugin is configured with them. */
  kubernetes?: KubernetesClusters;
}

/**
 * The engine, wired to the task: its log, and its checkpoints, so that a
 * retried task skips the mutations that already finished.
 */
export function engineForAction(
  deps: ActionDeps,
  ctx: ActionContext<any, any>,
): EngineContext {
  return createEngineContext({
    aws: deps.aws,
    kubernetes: deps.kubernetes,
    logger: ctx.logger,
    checkpoint: (key, fn) => ctx.checkpoint({ key, fn }),
  });
}

/** An action's input as its schema declares it: one zod factory per field. */
export type InputShape = Record<string, () => ZodTypeAny>;

/**
 * Validates the whole input, against the same shape the action declares as
 * its schema, before anything else runs. The scaffolder checks the JSON
 * schema too; this gives one readable line per bad field, with the fix,
 * wherever the action is called from.
 */
export function parseInput<T extends InputShape>(
  shape: T,
  input: unknown,
): z.infer<z.ZodObject<{ [K in keyof T]: ReturnType<T[K]> }>> {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([name, field]) => [name, field()]),
  ) as { [K in keyof T]: ReturnType<T[K]> };
  const result = z.object(fields).safeParse(input);
  if (!result.success) {
    throw new InputError(
      `Invalid input: ${describeInvalidInput(result.error)}`,
    );
  }
  return result.data;
}

/**
 * What every mutating action does with its layer: plan it, refuse on
 * blockers, stop at the plan in a dry run, otherwise apply. The plan is
 * always an output; the layer's result is returned, or undefined in a dry run.
 */
export async function ensureLayer<T>(
  deps: ActionDeps,
  ctx: ActionContext<any, any>,
  planLayer: (engine: EngineContext) => Promise<LayerPlan<T>>,
): Promise<T | undefined> {
  const engine = engineForAction(deps, ctx);
  const outcome = await runPlan(engine, await planLayer(engine), {
    dryRun: ctx.isDryRun,
  });
  ctx.output('plan', outcome.plan.changes);
  return outcome.dryRun ? undefined : outcome.result;
}

/** Both sides, as discovered, joined into the topology the layers work on. */
export function topologyOf(input: {
  fileSystem: Topology['fileSystem'];
  cluster: Topology['cluster'];
}): Topology {
  const spec: ConnectionSpec = {
    fileSystem: {
      accountId: input.fileSystem.accountId,
      region: input.fileSystem.region,
      fileSystemId: input.fileSystem.fileSystemId,
    },
    cluster: {
      accountId: input.cluster.accountId,
      region: input.cluster.region,
      clusterName: input.cluster.clusterName,
    },
  };
  return { spec, fileSystem: input.fileSystem, cluster: input.cluster };
}
