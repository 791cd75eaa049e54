import type {
  CheckResult,
  ConnectionOptions,
  ConnectionSpec,
} from '@internal/plugin-cross-account-efs-common';
import { connectionKey } from '@internal/plugin-cross-account-efs-common';
import { CallLimiter } from '../aws/callLimiter';
import { ReadCache } from '../aws/readCache';
import { checkResult } from '../engine/checkResult';
import { checkConnection } from '../engine/planConnection';
import { discoverTopology } from '../engine/prepareConnection';
import type { EngineContext } from '../engine/types';

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
  const cache = new ReadCache();
  const limiter = new CallLimiter(options.concurrency ?? 8);
  const sweep: EngineContext = {
    ...ctx,
    aws: ctx.aws.withMiddleware([cache.middleware, limiter.middleware]),
  };
  const results = new Map<string, CheckResult[]>();
  await Promise.all(
    connections.map(c =>
      (async () => {
        try {
          const t = await discoverTopology(sweep, c.spec);
          results.set(
            connectionKey(c.spec),
            await checkConnection(sweep, t, c.options),
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
      })(),
    ),
  );
  return results;
}
