import type {
  CheckResult,
  ClusterNetwork,
  ConnectionOptions,
  ConnectionSpec,
  FileSystemNetwork,
} from '@internal/plugin-cross-account-efs-common';
import { connectionKey } from '@internal/plugin-cross-account-efs-common';
import { SweepScope } from '../aws/sweepScope';
import { checkResult } from '../engine/checkResult';
import { checkConnection } from '../engine/planConnection';
import { discoverCluster } from '../discovery/discoverCluster';
import { discoverFileSystem } from '../discovery/discoverFileSystem';
import { readConnectionRoles, readEfsAccessRole } from '../layers/iam';
import { readFileSystemZoneRecords } from '../layers/privateDns';
import { takeTurns } from './takeTurns';
import type { EngineContext, Topology } from '../engine/types';

export interface ConnectionToCheck {
  spec: ConnectionSpec;
  options: ConnectionOptions;
}

export interface SweepOptions {
  /** AWS calls in flight per service, account and region. Default 8. */
  concurrency?: number;
}

/**
 * Checks many connections in one sweep: every connection at once, each
 * identical AWS read made once (connections share file systems, VPCs,
 * accounts, clusters, roles and zones), with a bound on the calls in flight
 * per service and account. So the sweep takes about as long as its slowest
 * connection, not as long as its connections one after another. A
 * connection whose side cannot even be discovered gets an `unknown` result
 * saying why.
 */
export async function checkConnections(
  ctx: EngineContext,
  connections: ConnectionToCheck[],
  options: SweepOptions = {},
): Promise<Map<string, CheckResult[]>> {
  const scope = new SweepScope({ concurrency: options.concurrency ?? 8 });
  return sweep({ ...ctx, aws: ctx.aws.inSweep(scope) }, connections);
}

async function sweep(
  ctx: EngineContext,
  connections: ConnectionToCheck[],
): Promise<Map<string, CheckResult[]>> {
  // Each file system and cluster is discovered once, whatever shares it.
  const fileSystems = new Map<string, Promise<FileSystemNetwork>>();
  const clusters = new Map<string, Promise<ClusterNetwork>>();
  const once = <T>(
    memo: Map<string, Promise<T>>,
    key: string,
    read: () => Promise<T>,
  ) => {
    let entry = memo.get(key);
    if (!entry) {
      entry = read();
      memo.set(key, entry);
    }
    return entry;
  };
  const discover = async (
    spec: ConnectionSpec,
    clusterKey: string,
  ): Promise<Topology> => {
    const [fileSystem, cluster] = await Promise.all([
      once(fileSystems, JSON.stringify(spec.fileSystem), () =>
        discoverFileSystem(ctx, spec.fileSystem),
      ),
      once(clusters, clusterKey, () => discoverCluster(ctx, spec.cluster)),
    ]);
    return { spec, fileSystem, cluster };
  };
  // The EFS account's deepest queues start first. Its roles (two reads per
  // cluster) and its zones' records (a listing, then a read per zone) take
  // more rounds of calls than discovery's chain, so their first calls go
  // out, and their answers come back, ahead of discovery's.
  for (const c of connections) {
    readEfsAccessRole(ctx, c.spec, c.options).catch(() => undefined);
  }
  readFileSystemZoneRecords(
    ctx,
    connections.map(c => c.spec.fileSystem),
  ).catch(() => undefined);
  const results = new Map<string, CheckResult[]>();
  // The first connection of each cluster (the one that starts its
  // discovery) checks first, in lane 0: its checks make the reads its
  // cluster's other connections share, so their answers are on the way
  // while the others' checks run.
  const lanes: Array<0 | 1> = [];
  const topologies = connections.map(c => {
    const clusterKey = JSON.stringify(c.spec.cluster);
    lanes.push(clusters.has(clusterKey) ? 1 : 0);
    return discover(c.spec, clusterKey);
  });
  // The other reads that need only a spec (the driver's role, the file
  // system policy) go out beside discovery rather than after it, queued
  // behind it per account; the checks then find their answers, or their
  // errors, in the sweep's cache (the EFS-account role's among them).
  for (const c of connections) {
    readConnectionRoles(ctx, c.spec, c.options).catch(() => undefined);
  }
  const myTurn = takeTurns();
  await Promise.all(
    connections.map(async (c, i) => {
      try {
        const t = await topologies[i];
        await myTurn(lanes[i]);
        results.set(
          connectionKey(c.spec),
          await checkConnection(ctx, t, c.options),
        );
      } catch (e) {
        results.set(connectionKey(c.spec), [
          checkResult('cluster', 'discovery', 'unknown', {
            summary: `Could not read the connection's networks: ${
              (e as Error).message
            }`,
            remedy:
              'Check that the file system and the cluster still exist, and that the portal can assume its role in both accounts.',
          }),
        ]);
      }
    }),
  );
  return results;
}
