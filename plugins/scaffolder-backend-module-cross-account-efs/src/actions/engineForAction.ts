import { InputError } from '@backstage/errors';
import {
  ConnectionSpec,
  describeInvalidInput,
} from '@internal/plugin-cross-account-efs-common';
import {
  AwsClients,
  createEngineContext,
  EngineContext,
  Topology,
} from '@internal/plugin-cross-account-efs-node';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ZodTypeAny } from 'zod/v3';
import { z } from 'zod/v3';

/** What every action needs from the backend. */
export interface ActionDeps {
  aws: AwsClients;
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
    logger: ctx.logger,
    checkpoint: (key, fn) => ctx.checkpoint({ key, fn }),
  });
}

/**
 * Validates the whole input before anything else runs. The scaffolder checks
 * the JSON schema too; this gives one readable line per bad field, with the
 * fix, wherever the action is called from.
 */
export function parseInput<T extends Record<string, ZodTypeAny>>(
  shape: T,
  input: unknown,
): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new InputError(
      `Invalid input: ${describeInvalidInput(result.error)}`,
    );
  }
  return result.data;
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
