import type {
  CheckResult,
  CheckStatus,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { Knex } from 'knex';

const TABLE = 'connection_health';

export interface HealthSnapshot {
  requestId: string;
  fileSystemRef: string;
  clusterRef: string;
  status: CheckStatus;
  results: CheckResult[];
  checkedAt: string;
}

interface Row {
  request_id: string;
  file_system_ref: string;
  cluster_ref: string;
  status: CheckStatus;
  results: string;
  checked_at: Date | string;
}

/** The latest snapshot per connection, in the plugin's database. */
export class HealthStore {
  constructor(private readonly knex: Knex) {}

  async save(snapshots: HealthSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    const rows: Row[] = snapshots.map(s => ({
      request_id: s.requestId,
      file_system_ref: s.fileSystemRef,
      cluster_ref: s.clusterRef,
      status: s.status,
      results: JSON.stringify(s.results),
      checked_at: new Date(s.checkedAt),
    }));
    // Replicas may sweep or refresh at once: the last write wins, whole.
    await this.knex<Row>(TABLE).insert(rows).onConflict('request_id').merge();
  }

  async forEntity(entityRef: string): Promise<HealthSnapshot[]> {
    const rows = await this.knex<Row>(TABLE)
      .where('file_system_ref', entityRef)
      .orWhere('cluster_ref', entityRef)
      .orderBy('checked_at', 'desc');
    return rows.map(r => ({
      requestId: r.request_id,
      fileSystemRef: r.file_system_ref,
      clusterRef: r.cluster_ref,
      status: r.status,
      results: JSON.parse(r.results),
      checkedAt: new Date(r.checked_at).toISOString(),
    }));
  }

  async forget(requestIds: string[]): Promise<void> {
    if (requestIds.length)
      await this.knex<Row>(TABLE).whereIn('request_id', requestIds).delete();
  }
}
