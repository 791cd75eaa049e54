import { InputError } from '@backstage/errors';
import {
  ConnectionRequest,
  describeInvalidInput,
  RequestOperation,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  AwsClients,
  ConnectionPlan,
  createEngineContext,
  DocumentLock,
  EngineContext,
  InProcessDocumentLock,
  KubernetesClusters,
  planConnection,
  PlanBlockedError,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ZodTypeAny } from 'zod/v3';
import { z } from 'zod/v3';
import type { AccountScope } from '../requests/AccountScope';
import { RequestsClient } from '../requests/RequestsClient';

/** What every action needs from the backend. */
export interface ActionDeps {
  aws: AwsClients;
  /** The requests API: every action that changes anything works from an authorized request. */
  requests: RequestsClient;
  /** Which accounts the discovery and preflight actions may read, for whom. */
  accounts: AccountScope;
  /** Clusters as the Kubernetes plugin is configured with them. */
  kubernetes?: KubernetesClusters;
  /** One writer per shared policy document: across replicas when it is a DatabaseDocumentLock. */
  documentLock?: DocumentLock;
}

const processLock = new InProcessDocumentLock();

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
    documentLock: deps.documentLock ?? processLock,
    checkpoint: (key, fn) => ctx.checkpoint({ key, fn }),
  });
}

/** An action's input as its schema declares it: one zod factory per field. */
export type InputShape = Record<string, () => ZodTypeAny>;

/**
 * Validates the whole input, against the same shape the action declares as
 * its schema, before anything else runs. The scaffolder checks the JSON
 * schema too; this gives one readable line per bad field, with the fix,
 * wherever the action is called from. A field the action does not take is
 * refused, never ignored: `unknownFieldHint` says what to do instead.
 */
export function parseInput<T extends InputShape>(
  shape: T,
  input: unknown,
  unknownFieldHint = 'Remove it.',
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
  const unknown =
    present && typeof present === 'object'
      ? Object.keys(present).filter(k => !(k in shape))
      : [];
  if (unknown.length) {
    throw new InputError(
      `Invalid input: ${unknown.join(
        ', ',
      )}: not accepted by this action. ${unknownFieldHint}`,
    );
  }
  const result = z.object(fields).safeParse(present);
  if (!result.success) {
    throw new InputError(
      `Invalid input: ${describeInvalidInput(result.error)}`,
    );
  }
  return result.data;
}

/**
 * Read-only actions read only accounts the initiator can see (configured,
 * or on a catalog entity they can read), checked before any AWS call.
 */
export async function assertAccountsReadable(
  deps: ActionDeps,
  ctx: ActionContext<any, any>,
  ...accounts: Array<[accountId: string, field: string]>
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  for (const [accountId, field] of accounts) {
    await deps.accounts.assertReadable(credentials, accountId, field);
  }
}

/** The only input of an action that changes AWS or Kubernetes. */
export const requestOnly = {
  requestId: () =>
    z
      .string()
      .uuid('must be the id of a connection request (a UUID)')
      .describe(
        'The connection request this runs for. Everything the action provisions comes from that request as approved, and from live reads; the task initiator must hold cross-account-efs.request.approve (and, to provision, not be its requester).',
      ),
};

const ONLY_REQUEST_ID =
  'What this action changes comes from the approved request and live reads, never from template values: pass only requestId.';

/** A failure that is already on the request (the backend recorded it). */
export class RecordedFailure extends Error {}

/**
 * The frame of every action that changes AWS or Kubernetes. Before its first
 * call it reads nothing but `requestId`, and has the backend authorize the
 * initiator for the operation on that request; the work gets the request as
 * recorded. A failure after that is recorded on the request (step and
 * message, and any blockers) so the requests page offers Retry and Remove.
 */
export async function runOnRequest<T>(
  deps: ActionDeps,
  ctx: ActionContext<any, any>,
  operation: RequestOperation,
  work: (request: ConnectionRequest, engine: EngineContext) => Promise<T>,
): Promise<T> {
  const { requestId } = parseInput(requestOnly, ctx.input, ONLY_REQUEST_ID);
  const credentials = await ctx.getInitiatorCredentials();
  const request = await deps.requests.authorize(
    credentials,
    requestId,
    operation,
    { dryRun: ctx.isDryRun, taskId: ctx.task?.id },
  );
  try {
    return await work(request, engineForAction(deps, ctx));
  } catch (error) {
    if (!ctx.isDryRun && !(error instanceof RecordedFailure)) {
      await deps.requests
        .fail(credentials, requestId, operation, {
          step: ctx.step?.id ?? ctx.step?.name ?? 'unknown',
          message: (error as Error).message,
          blockers:
            error instanceof PlanBlockedError ? error.blockers : undefined,
        })
        .catch(e =>
          ctx.logger.warn(
            `Could not record the failure on request ${requestId}: ${e.message}`,
          ),
        );
    }
    throw error;
  }
}

/**
 * The plan gate: every layer planned from the recorded request and live
 * reads, refused on any blocker of any layer before a layer changes
 * anything. Each provisioning action passes it, so a template that skips or
 * reorders steps gains nothing.
 */
export async function planGate(
  engine: EngineContext,
  request: ConnectionRequest,
): Promise<ConnectionPlan> {
  const plan = await planConnection(engine, request.spec, request.options);
  if (plan.blockers.length) throw new PlanBlockedError(plan.blockers);
  return plan;
}
