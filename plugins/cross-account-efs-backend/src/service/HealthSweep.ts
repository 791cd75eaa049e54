import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConnectionRequest,
  overallStatus,
  connectionKey,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  checkConnections,
  EngineContext,
  SweepOptions,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { HealthSnapshot, HealthStore } from './HealthStore';
import { RequestStore } from './RequestStore';

/**
 * Checks provisioned connections and stores what it finds: all of them on
 * the schedule (one replica at a time, through the scheduler's lock), or
 * one on request.
 */
export class HealthSweep {
  constructor(
    private readonly deps: {
      requests: RequestStore;
      health: HealthStore;
      engine: () => EngineContext;
      logger: LoggerService;
      /** How a sweep paces AWS calls (request-rate quotas, headroom). */
      sweep?: SweepOptions;
    },
  ) {}

  async check(requests: ConnectionRequest[]): Promise<HealthSnapshot[]> {
    const results = await checkConnections(
      this.deps.engine(),
      requests.map(r => ({ spec: r.spec, options: r.options })),
      this.deps.sweep,
    );
    const snapshots = requests.map(r => {
      const checks = results.get(connectionKey(r.spec)) ?? [];
      return {
        requestId: r.id,
        fileSystemRef: r.fileSystemRef,
        clusterRef: r.clusterRef,
        status: overallStatus(checks),
        results: checks,
        checkedAt: new Date().toISOString(),
      };
    });
    await this.deps.health.save(snapshots);
    return snapshots;
  }

  async sweep(): Promise<void> {
    const started = Date.now();
    const all = await this.deps.requests.list();
    const live = all.filter(
      r => r.status === 'provisioned' || r.status === 'failed',
    );
    await this.deps.health.forget(
      all.filter(r => r.status === 'removed').map(r => r.id),
    );
    const snapshots = await this.check(live);
    const failing = snapshots.filter(s => s.status === 'error').length;
    this.deps.logger.info(
      `Health sweep: ${
        snapshots.length
      } connection(s), ${failing} failing, in ${Date.now() - started} ms`,
    );
  }
}
