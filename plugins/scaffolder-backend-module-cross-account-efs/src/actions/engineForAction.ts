import { InputError } from '@backstage/errors';
import {
  connectionKey,
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
import { NotAllowedError } from '@backstage/errors';
import { RequestsClient } from '../requests/RequestsClient';
import type { ZodTypeAny } from 'zod/v3';
import { z } from 'zod/v3';

/** What every action needs from the backend. */
export interface ActionDeps {
  aws: AwsClients;
  /**
   * The requests API. When set, every mutating action needs an approved
   * request for its connection (four eyes, checked server-side).
   */
  requests?: RequestsClient;
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
  // A template output that was not produced (a dry run, an unset option)
  // renders as an empty string: read it as absent.
  const present =
    input && typeof input === 'object'
      ? Object.fromEntries(
          Object.entries(input).filter(([, v]) => v !== '' && v !== null),
        )
      : input;
  const result = z.object(fields).safeParse(present);
  if (!result.success) {
    throw new InputError(
      `Invalid input: ${describeInvalidInput(result.error)}`,
    );
  }
  return result.data;
}

/**
 * Refuses, before any AWS call, unless the task's initiator can see an
 * approved request for exactly this connection. The backend re-checks who
 * approved it: never its requester.
 */
export async function assertApproved(
  deps: ActionDeps,
  ctx: ActionContext<any, any>,
  requestId: string | undefined,
  spec: ConnectionSpec,
): Promise<void> {
  if (!deps.requests) return;
  if (!requestId) {
    throw new NotAllowedError(
      'requestId: this portal provisions only approved connection requests. Run the cross-account-efs-provision template from an approved request.',
    );
  }
  const request = await deps.requests.get(
    await ctx.getInitiatorCredentials(),
    requestId,
  );
  if (
    !['approved', 'provisioned', 'failed'].includes(request.status) ||
    !request.approver ||
    request.approver === request.requester
  ) {
    throw new NotAllowedError(
      `requestId: request ${requestId} is ${request.status}${
        request.approver ? '' : ' and not approved'
      }; it needs the approval of someone other than ${request.requester}.`,
    );
  }
  if (connectionKey(request.spec) !== connectionKey(spec)) {
    throw new NotAllowedError(
      `requestId: request ${requestId} is for ${connectionKey(
        request.spec,
      )}, not ${connectionKey(spec)}.`,
    );
  }
}

/**
 * What every mutating action does with its layer: check the approval, plan
 * it, refuse on blockers, stop at the plan in a dry run, otherwise apply.
 * The plan is always an output; the layer's result is returned, or
 * undefined in a dry run.
 */
export async function ensureLayer<T>(
  deps: ActionDeps,
  ctx: ActionContext<any, any>,
  input: {
    fileSystem: Topology['fileSystem'];
    cluster: Topology['cluster'];
    requestId?: string;
  },
  planLayer: (engine: EngineContext, t: Topology) => Promise<LayerPlan<T>>,
): Promise<T | undefined> {
  const t = topologyOf(input);
  await assertApproved(deps, ctx, input.requestId, t.spec);
  const engine = engineForAction(deps, ctx);
  const outcome = await runPlan(engine, await planLayer(engine, t), {
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
