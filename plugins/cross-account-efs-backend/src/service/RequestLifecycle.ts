import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ConnectionRequest,
  operationStartsFrom,
  RequestOperation,
  RequestStatus,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { HealthSnapshot } from './HealthStore';
import type { RequestStore, TransitionFields } from './RequestStore';

/** What a task reports when it could not finish. */
export interface TaskFailure {
  step: string;
  message: string;
  blockers?: ConnectionRequest['plan']['blockers'];
}

/** Where an operation's task goes while it runs, and when it ends well. */
const running: Record<RequestOperation, RequestStatus> = {
  provision: 'provisioning',
  remove: 'removing',
};

/**
 * The rules of a request's life, in one place: who may move it where, what
 * is recorded, who is told, and what is audited. Callers have checked the
 * actor's permission (approve, for everything here); this checks the rest:
 * four eyes, the status a move starts from, expiry.
 */
export class RequestLifecycle {
  constructor(
    private readonly deps: {
      store: RequestStore;
      auditor: AuditorService;
      logger: LoggerService;
      notifications?: NotificationService;
      /** Checks one connection now and stores the snapshot (the health sweep's). */
      check(request: ConnectionRequest): Promise<HealthSnapshot>;
    },
  ) {}

  /** Four eyes: never the requester; only a pending, unexpired request. */
  async approve(id: string, actor: string): Promise<ConnectionRequest> {
    const request = await this.notTheRequester(id, actor, 'approve');
    if (request.status !== 'pending') {
      // A retried task, a retry or a repair: the approval stands.
      if (operationStartsFrom.provision.includes(request.status))
        return request;
      throw new ConflictError(
        `Request ${id} is ${request.status}; only a pending request can be approved.`,
      );
    }
    if (request.expiresAt && new Date(request.expiresAt) < new Date()) {
      await this.move(request, ['pending'], 'expired', 'system');
      throw new ConflictError(
        `Request ${id} expired on ${request.expiresAt}; ask the requester to submit it again.`,
      );
    }
    return this.move(request, ['pending'], 'approved', actor, {
      approver: actor,
    });
  }

  async reject(
    id: string,
    actor: string,
    reason: string,
  ): Promise<ConnectionRequest> {
    const request = await this.notTheRequester(id, actor, 'reject');
    return this.move(request, ['pending'], 'rejected', actor, {
      rejectedBy: actor,
      reason,
    });
  }

  /**
   * Lets a task's actions run an operation on a request's connection, and
   * answers the request they must work from. Provisioning (and retry,
   * repair) is for an approver other than the requester; removal for any
   * approver. Outside a dry run the request moves to provisioning or removing.
   */
  async authorize(
    id: string,
    actor: string,
    operation: RequestOperation,
    options: { dryRun?: boolean; taskId?: string } = {},
  ): Promise<ConnectionRequest> {
    const request =
      operation === 'provision'
        ? await this.notTheRequester(id, actor, 'provision')
        : await this.deps.store.get(id);
    const from = operationStartsFrom[operation];
    if (
      options.taskId &&
      options.taskId === request.taskId &&
      request.status === 'failed' &&
      request.failure?.step === 'task'
    ) {
      // A cancelled task's remaining steps must not pick the request up again.
      throw new ConflictError(
        `Task ${options.taskId} ended and request ${id} was marked failed; start a new task (Retry) to continue.`,
      );
    }
    // A dry run plans what approving would allow, and changes nothing.
    const dryRunOfApproval =
      options.dryRun &&
      operation === 'provision' &&
      request.status === 'pending';
    if (!from.includes(request.status) && !dryRunOfApproval) {
      throw new ConflictError(
        `Request ${id} is ${request.status}${
          request.status === 'pending' ? ' and not approved' : ''
        }; ${operation} runs only for a request that is ${from.join(', ')}.`,
      );
    }
    if (options.dryRun) return request;
    if (request.status === running[operation]) {
      // A resumed task, or a newer one that now runs the operation.
      if (!options.taskId || options.taskId === request.taskId) return request;
      return this.deps.store.transition(id, from, running[operation], {
        taskId: options.taskId,
      });
    }
    return this.move(request, from, running[operation], actor, {
      failure: null,
      taskId: options.taskId,
    });
  }

  /**
   * A scaffolder task ended. A request it left provisioning or removing
   * (cancelled, timed out, or failed where its failure could not be
   * recorded) fails, naming the task, so Retry and Remove are offered.
   */
  async taskEnded(
    taskId: string,
    taskStatus: string,
  ): Promise<ConnectionRequest[]> {
    const stranded = await this.deps.store.list({
      taskId,
      status: Object.values(running),
    });
    const failed: ConnectionRequest[] = [];
    for (const request of stranded) {
      const operation = request.status === 'removing' ? 'remove' : 'provision';
      try {
        failed.push(
          await this.fail(request.id, 'system', operation, {
            step: 'task',
            message: `Task ${taskId} ended (${taskStatus}) before recording an outcome. Retry runs it again: finished layers change nothing.`,
          }),
        );
      } catch (e) {
        // Completed, failed or taken over by a newer task in the meantime.
        if (!(e instanceof ConflictError)) throw e;
      }
    }
    return failed;
  }

  /**
   * A task's operation is done. Provisioning is judged here, not by the
   * task: the connection is checked now, the snapshot stored for the card,
   * and the request is provisioned only if no check is an error.
   */
  async complete(
    id: string,
    actor: string,
    operation: RequestOperation,
  ): Promise<{ request: ConnectionRequest; snapshot?: HealthSnapshot }> {
    const request =
      operation === 'provision'
        ? await this.notTheRequester(id, actor, 'provision')
        : await this.deps.store.get(id);
    const from = [running[operation]];
    if (operation === 'remove') {
      return {
        request: await this.move(request, from, 'removed', actor, {
          failure: null,
        }),
      };
    }
    if (request.status !== 'provisioning') {
      throw new ConflictError(
        `Request ${id} is ${request.status}; only a request that is provisioning can be completed.`,
      );
    }
    const snapshot = await this.deps.check(request);
    const errors = snapshot.results.filter(r => r.status === 'error');
    if (errors.length) {
      return {
        snapshot,
        request: await this.fail(id, actor, 'provision', {
          step: 'verify',
          message: `The connection is not healthy:\n${errors
            .map(
              r =>
                `- ${r.layer}: ${r.summary}${
                  r.remedy ? ` Fix: ${r.remedy}` : ''
                }`,
            )
            .join('\n')}`,
        }),
      };
    }
    return {
      snapshot,
      request: await this.move(request, from, 'provisioned', actor, {
        failure: null,
      }),
    };
  }

  /** A task could not finish: record where and why; Retry and Remove stay open. */
  async fail(
    id: string,
    actor: string,
    operation: RequestOperation,
    failure: TaskFailure,
  ): Promise<ConnectionRequest> {
    const request = await this.deps.store.get(id);
    return this.move(request, [running[operation]], 'failed', actor, {
      failure: {
        operation,
        step: failure.step,
        message: failure.message,
        at: new Date().toISOString(),
      },
      ...(failure.blockers ? { blockers: failure.blockers } : {}),
    });
  }

  /** Pending requests past their time become expired; their requesters are told. */
  async expireOverdue(now = new Date()): Promise<ConnectionRequest[]> {
    const expired: ConnectionRequest[] = [];
    for (const request of await this.deps.store.overdue(now)) {
      try {
        expired.push(
          await this.move(request, ['pending'], 'expired', 'system'),
        );
      } catch (e) {
        // Approved or rejected in the meantime: nothing to expire.
        if (!(e instanceof ConflictError)) throw e;
      }
    }
    return expired;
  }

  private async notTheRequester(
    id: string,
    actor: string,
    what: string,
  ): Promise<ConnectionRequest> {
    const request = await this.deps.store.get(id);
    if (request.requester === actor) {
      throw new NotAllowedError(
        `${actor} asked for this connection and cannot ${what} it: another approver must.`,
      );
    }
    return request;
  }

  private async move(
    request: ConnectionRequest,
    from: RequestStatus[],
    to: RequestStatus,
    actor: string,
    fields: TransitionFields = {},
  ): Promise<ConnectionRequest> {
    const event = await this.deps.auditor.createEvent({
      eventId: 'request-transition',
      severityLevel: 'medium',
      meta: { requestId: request.id, from: request.status, to, actor },
    });
    let moved: ConnectionRequest;
    try {
      moved = await this.deps.store.transition(request.id, from, to, fields);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    await event.success();
    await this.tellRequester(moved);
    return moved;
  }

  /** The requester hears of every decision and outcome; an outage never fails the move. */
  private async tellRequester(request: ConnectionRequest): Promise<void> {
    const news: Partial<Record<RequestStatus, [string, string]>> = {
      approved: ['was approved', `approved by ${request.approver}`],
      rejected: [
        'was rejected',
        `rejected by ${request.rejectedBy}: ${request.reason}`,
      ],
      expired: ['expired', 'no approver decided in time; submit it again'],
      provisioned: ['is ready', 'provisioned: its StorageClass is ready'],
      failed: [
        'failed',
        `failed at ${request.failure?.step}: ${request.failure?.message}`,
      ],
      removed: ['was removed', 'removed'],
    };
    const what = news[request.status];
    if (!what || !this.deps.notifications) return;
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: request.requester },
        payload: {
          title: `Your cross-account EFS request ${what[0]}`,
          description: `${request.fileSystemRef} for ${request.clusterRef}: ${what[1]}`,
          link: `/cross-account-efs/requests?id=${request.id}`,
          topic: 'cross-account-efs',
          severity: request.status === 'failed' ? 'high' : 'normal',
        },
      });
    } catch (e) {
      this.deps.logger.warn(
        `Could not notify ${request.requester} about request ${request.id}: ${
          (e as Error).message
        }`,
      );
    }
  }
}
