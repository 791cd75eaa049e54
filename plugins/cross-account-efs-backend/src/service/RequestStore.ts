import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ConnectionOptions,
  ConnectionRequest,
  ConnectionSpec,
  RequestFailure,
  RequestStatus,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { Knex } from 'knex';

const TABLE = 'connection_requests';

interface Row {
  id: string;
  status: RequestStatus;
  requester: string;
  approver: string | null;
  file_system_ref: string;
  cluster_ref: string;
  spec: string;
  options: string;
  plan: string;
  created_at: Date | string;
  updated_at: Date | string;
  expires_at: Date | string | null;
  rejected_by: string | null;
  reason: string | null;
  failure: string | null;
  task_id: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();

function toRequest(row: Row): ConnectionRequest {
  return {
    id: row.id,
    status: row.status,
    requester: row.requester,
    approver: row.approver ?? undefined,
    fileSystemRef: row.file_system_ref,
    clusterRef: row.cluster_ref,
    spec: JSON.parse(row.spec),
    options: JSON.parse(row.options),
    plan: JSON.parse(row.plan),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    expiresAt: row.expires_at ? iso(row.expires_at) : undefined,
    rejectedBy: row.rejected_by ?? undefined,
    reason: row.reason ?? undefined,
    failure: row.failure ? JSON.parse(row.failure) : undefined,
    taskId: row.task_id ?? undefined,
  };
}

/** What a transition may record beside the new status. */
export interface TransitionFields {
  approver?: string;
  rejectedBy?: string;
  reason?: string;
  /** Set on failure; cleared (null) when a task starts again or succeeds. */
  failure?: RequestFailure | null;
  /** Blockers a later plan found, shown to the approver. */
  blockers?: ConnectionRequest['plan']['blockers'];
  /** The task that now runs the request's operation. */
  taskId?: string;
}

/**
 * Requests in the plugin's own database (SQLite or PostgreSQL). State
 * changes are conditional updates, so two replicas approving at once
 * cannot both succeed.
 *
 * @public
 */
export class RequestStore {
  static async create(database: DatabaseService): Promise<RequestStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@cross-account-efs/backstage-plugin-cross-account-efs-backend',
          'migrations',
        ),
      });
    }
    return new RequestStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async insert(request: {
    requester: string;
    fileSystemRef: string;
    clusterRef: string;
    spec: ConnectionSpec;
    options: ConnectionOptions;
    plan: ConnectionRequest['plan'];
    expiresAt?: Date;
  }): Promise<ConnectionRequest> {
    const now = new Date();
    const row: Row = {
      id: randomUUID(),
      status: 'pending',
      requester: request.requester,
      approver: null,
      file_system_ref: request.fileSystemRef,
      cluster_ref: request.clusterRef,
      spec: JSON.stringify(request.spec),
      options: JSON.stringify(request.options),
      plan: JSON.stringify(request.plan),
      created_at: now,
      updated_at: now,
      expires_at: request.expiresAt ?? null,
      rejected_by: null,
      reason: null,
      failure: null,
      task_id: null,
    };
    await this.knex<Row>(TABLE).insert(row);
    return toRequest(row);
  }

  async get(id: string): Promise<ConnectionRequest> {
    const row = await this.knex<Row>(TABLE).where({ id }).first();
    if (!row) throw new NotFoundError(`No connection request ${id}`);
    return toRequest(row);
  }

  async list(
    filter: {
      entityRef?: string;
      status?: RequestStatus[];
      taskId?: string;
    } = {},
  ): Promise<ConnectionRequest[]> {
    const query = this.knex<Row>(TABLE).orderBy('created_at', 'desc');
    if (filter.status) query.whereIn('status', filter.status);
    if (filter.taskId) query.where('task_id', filter.taskId);
    if (filter.entityRef) {
      query.where(q =>
        q
          .where('file_system_ref', filter.entityRef!)
          .orWhere('cluster_ref', filter.entityRef!),
      );
    }
    return (await query).map(toRequest);
  }

  /** Moves a request from one status to another, or explains why it cannot. */
  async transition(
    id: string,
    from: RequestStatus[],
    to: RequestStatus,
    fields: TransitionFields = {},
  ): Promise<ConnectionRequest> {
    const update: Partial<Row> = { status: to, updated_at: new Date() };
    if (fields.approver) update.approver = fields.approver;
    if (fields.rejectedBy) update.rejected_by = fields.rejectedBy;
    if (fields.reason !== undefined) update.reason = fields.reason;
    if (fields.failure !== undefined)
      update.failure = fields.failure ? JSON.stringify(fields.failure) : null;
    if (fields.taskId) update.task_id = fields.taskId;
    if (fields.blockers) {
      const { plan } = await this.get(id);
      update.plan = JSON.stringify({ ...plan, blockers: fields.blockers });
    }
    const updated = await this.knex<Row>(TABLE)
      .where({ id })
      .whereIn('status', from)
      .update(update);
    if (updated === 0) {
      const current = await this.get(id);
      throw new ConflictError(
        `Request ${id} is ${current.status}; only a request that is ${from.join(
          ' or ',
        )} can become ${to}.`,
      );
    }
    return this.get(id);
  }

  /** Pending requests whose time is up, as of `now`. */
  async overdue(now: Date): Promise<ConnectionRequest[]> {
    const rows = await this.knex<Row>(TABLE)
      .where('status', 'pending')
      .whereNotNull('expires_at')
      .where('expires_at', '<', now);
    return rows.map(toRequest);
  }
}
