import type { ConnectionSpec } from '@internal/plugin-cross-account-efs-common';
import { InputError } from '@backstage/errors';
import { discoverCluster } from '../discovery/discoverCluster';
import { discoverFileSystem } from '../discovery/discoverFileSystem';
import {
  NfsIngressMode,
  planNfsIngress,
  removeNfsIngress,
} from '../layers/nfsIngress';
import { findPeering, planPeering, removePeering } from '../layers/peering';
import { planPrivateDns, removePrivateDns } from '../layers/privateDns';
import { planRoutes, removeRoutes } from '../layers/routes';
import { preflight } from '../preflight/preflight';
import { runPlan } from './runPlan';
import type { EngineContext, Topology } from './types';

/**
 * Seed steps 1-8 in order, the same layers the scaffolder actions run one by
 * one. Used where one call should do it all: tests, benchmarks, the CLI.
 */
export async function connectNetwork(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: { nfsIngressMode?: NfsIngressMode } = {},
) {
  const fileSystem = await discoverFileSystem(ctx, spec.fileSystem);
  const cluster = await discoverCluster(ctx, spec.cluster);
  const report = preflight(spec, fileSystem, cluster);
  if (!report.ok) {
    throw new InputError(
      report.problems
        .map(p => `${p.field}: ${p.summary} Fix: ${p.remedy}`)
        .join('\n'),
    );
  }
  const t: Topology = { spec, fileSystem, cluster };
  const peering = await runPlan(ctx, await planPeering(ctx, t));
  const peeringConnectionId = peering.dryRun
    ? undefined
    : peering.result.peeringConnectionId;
  const routes = await runPlan(
    ctx,
    await planRoutes(ctx, t, peeringConnectionId),
  );
  const nfsIngress = await runPlan(
    ctx,
    await planNfsIngress(ctx, t, options.nfsIngressMode),
  );
  const dns = await runPlan(ctx, await planPrivateDns(ctx, t));
  return { topology: t, peering, routes, nfsIngress, dns };
}

/**
 * Seed steps 8 back to 4: the network layers removed in reverse order,
 * touching only what we made. Returns what was removed.
 */
export async function disconnectNetwork(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: { nfsIngressMode?: NfsIngressMode } = {},
) {
  const t: Topology = {
    spec,
    fileSystem: await discoverFileSystem(ctx, spec.fileSystem),
    cluster: await discoverCluster(ctx, spec.cluster),
  };
  const removed = [
    ...(await removePrivateDns(ctx, t)),
    ...(await removeNfsIngress(ctx, t, options.nfsIngressMode)),
  ];
  const peering = await findPeering(ctx, t);
  if (peering)
    removed.push(
      ...(await removeRoutes(ctx, t, peering.VpcPeeringConnectionId!)),
    );
  removed.push(...(await removePeering(ctx, t)));
  return removed;
}
