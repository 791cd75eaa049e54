import type { ConnectionSpec } from '@internal/plugin-cross-account-efs-common';
import { InputError } from '@backstage/errors';
import { discoverCluster } from '../discovery/discoverCluster';
import { discoverFileSystem } from '../discovery/discoverFileSystem';
import { NfsIngressMode, planNfsIngress } from '../layers/nfsIngress';
import { planPeering } from '../layers/peering';
import { planPrivateDns } from '../layers/privateDns';
import { planRoutes } from '../layers/routes';
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
