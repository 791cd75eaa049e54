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
  RequestStatus,
} from '@internal/plugin-cross-account-efs-common';
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
  message: string | null;
  created_at: Date | string;
  updated_at: Date | string;
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
    message: row.message ?? undefined,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Requests in the plugin's own database (SQLite or PostgreSQL). State
 * changes are conditional updates, so two replicas approving at once
 * cannot both succeed.
 */
export class RequestStore {
  static async create(database: DatabaseService): Promise<RequestStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-cross-account-efs-backend',
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
      message: null,
      created_at: now,
      updated_at: now,
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
    filter: { entityRef?: string } = {},
  ): Promise<ConnectionRequest[]> {
    const query = this.knex<Row>(TABLE).orderBy('created_at', 'desc');
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
    fields: { approver?: string; message?: string | null } = {},
  ): Promise<ConnectionRequest> {
    const updated = await this.knex<Row>(TABLE)
      .where({ id })
      .whereIn('status', from)
      .update({
        status: to,
        updated_at: new Date(),
        ...(fields.approver ? { approver: fields.approver } : {}),
        ...(fields.message !== undefined ? { message: fields.message } : {}),
      });
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
}
