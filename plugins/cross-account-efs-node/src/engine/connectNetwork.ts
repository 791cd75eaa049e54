import type { ConnectionSpec } from '@internal/plugin-cross-account-efs-common';
import {
  NfsIngressMode,
  planNfsIngress,
  removeNfsIngress,
} from '../layers/nfsIngress';
import {
  findPeering,
  planPeering,
  releasePeering,
  removePeering,
} from '../layers/peering';
import { planPrivateDns, removePrivateDns } from '../layers/privateDns';
import { planRoutes, removeRoutes } from '../layers/routes';
import { runPlan } from './runPlan';
import { discoverTopology, prepareConnection } from './prepareConnection';
import type { EngineContext } from './types';

/**
 * Seed steps 1-8 in order, the same layers the scaffolder actions run one by
 * one. Used where one call should do it all: tests and benchmarks.
 */
export async function connectNetwork(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: { nfsIngressMode?: NfsIngressMode } = {},
) {
  const t = await prepareConnection(ctx, spec);
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
  const t = await discoverTopology(ctx, spec);
  const removed = [
    ...(await removePrivateDns(ctx, t)),
    ...(await removeNfsIngress(ctx, t, options.nfsIngressMode)),
  ];
  // A peering another connection still uses stays, with its routes.
  const release = await releasePeering(ctx, t);
  removed.push(...release.changes);
  if (release.shared) return removed;
  const peering = await findPeering(ctx, t);
  if (peering)
    removed.push(
      ...(await removeRoutes(ctx, t, peering.VpcPeeringConnectionId!)),
    );
  removed.push(...(await removePeering(ctx, t)));
  return removed;
}
