import type {
  CheckResult,
  ClusterNetwork,
  ConnectionOptions,
  ConnectionSpec,
  FileSystemNetwork,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { connectionKey } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { SendInterceptor } from '../aws/AwsClients';
import { isReadOnly } from '../aws/readOnly';
import { discoverCluster } from '../discovery/discoverCluster';
import { discoverFileSystem } from '../discovery/discoverFileSystem';
import { checkResult } from '../engine/checkResult';
import { checkConnection } from '../engine/planConnection';
import type { EngineContext } from '../engine/types';
import {
  AWS_REQUEST_QUOTAS,
  Clock,
  RequestQuotas,
  RequestRateLimiter,
} from './requestQuotas';
import { SweepReads } from './sweepReads';

/** @public */
export interface ConnectionToCheck {
  spec: ConnectionSpec;
  options: ConnectionOptions;
}

/** @public */
export interface SweepOptions {
  /** Make each identical AWS read once per sweep (default true). */
  shareReads?: boolean;
  /** Pace AWS calls by these request-rate quotas (default AWS's); false: no pacing. */
  quotas?: RequestQuotas | false;
  /** Share of each quota the sweep may use (default 0.9). */
  headroom?: number;
  clock?: Clock;
}

/**
 * The interceptor a sweep puts in front of the engine's AWS clients: a read
 * made before is answered from the sweep, and what goes to AWS waits for a
 * token of its service in its account and region.
 */
export function sweepInterceptor(options: SweepOptions): SendInterceptor {
  const reads = new SweepReads();
  const limiter =
    options.quotas === false
      ? undefined
      : new RequestRateLimiter(options.quotas ?? AWS_REQUEST_QUOTAS, options);
  return (call, send) => {
    const paced = async () => {
      await limiter?.take(call.service, `${call.accountId}/${call.region}`);
      return send();
    };
    if (options.shareReads === false || !isReadOnly(call.command)) {
      return paced();
    }
    const key = `${call.service}/${call.accountId}/${call.region}/${
      call.command
    }/${JSON.stringify(call.input)}`;
    return reads.read(key, paced);
  };
}

/**
 * Checks many connections in one sweep: every connection at once, each
 * file system and cluster discovered once, each identical AWS read made
 * once, and AWS's request-rate quotas kept. A connection whose side cannot
 * even be discovered gets an `unknown` result saying why.
 *
 * @public
 */
export async function checkConnections(
  ctx: EngineContext,
  connections: ConnectionToCheck[],
  options: SweepOptions = {},
): Promise<Map<string, CheckResult[]>> {
  const sweep = { ...ctx, aws: ctx.aws.through(sweepInterceptor(options)) };
  const reads = new SweepReads();
  const results = new Map<string, CheckResult[]>();
  await Promise.all(
    connections.map(async ({ spec, options: connection }) => {
      try {
        const [fileSystem, cluster] = await Promise.all([
          reads.read<FileSystemNetwork>(JSON.stringify(spec.fileSystem), () =>
            discoverFileSystem(sweep, spec.fileSystem),
          ),
          reads.read<ClusterNetwork>(JSON.stringify(spec.cluster), () =>
            discoverCluster(sweep, spec.cluster),
          ),
        ]);
        results.set(
          connectionKey(spec),
          await checkConnection(
            sweep,
            { spec, fileSystem, cluster },
            connection,
          ),
        );
      } catch (e) {
        results.set(connectionKey(spec), [
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
