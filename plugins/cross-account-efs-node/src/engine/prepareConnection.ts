import { InputError } from '@backstage/errors';
import type { ConnectionSpec } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { discoverCluster } from '../discovery/discoverCluster';
import { discoverFileSystem } from '../discovery/discoverFileSystem';
import { preflight } from '../preflight/preflight';
import type { EngineContext, Topology } from './types';

/**
 * Both sides of a connection, discovered in parallel. Read-only.
 *
 * @public
 */
export async function discoverTopology(
  ctx: EngineContext,
  spec: ConnectionSpec,
): Promise<Topology> {
  const [fileSystem, cluster] = await Promise.all([
    discoverFileSystem(ctx, spec.fileSystem),
    discoverCluster(ctx, spec.cluster),
  ]);
  return { spec, fileSystem, cluster };
}

/**
 * Discovery, then preflight: the topology to work on, or an InputError that
 * lists every problem with its field and fix. Changes nothing.
 *
 * @public
 */
export async function prepareConnection(
  ctx: EngineContext,
  spec: ConnectionSpec,
): Promise<Topology> {
  const topology = await discoverTopology(ctx, spec);
  const { problems } = preflight(spec, topology.fileSystem, topology.cluster);
  for (const p of problems) {
    ctx.logger.warn(`${p.field}: ${p.summary} Fix: ${p.remedy}`);
  }
  if (problems.length > 0) {
    throw new InputError(
      `Preflight found ${problems.length} problem(s):\n${problems
        .map(p => `- ${p.field}: ${p.summary} Fix: ${p.remedy}`)
        .join('\n')}`,
    );
  }
  return topology;
}
