import {
  CheckResult,
  ConnectionSpec,
  layerIds,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  checkMountTargets,
  checkVpcDhcpDns,
  checkVpcDns,
} from '../health/networkChecks';
import { layers } from '../layers';
import { discoverTopology, prepareConnection } from './prepareConnection';
import { EnsureOptions, PlanBlockedError, runPlan } from './runPlan';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  ProvisioningLayer,
  Topology,
} from './types';

/** @public */
export interface ConnectionPlan {
  topology: Topology;
  /** Each layer's own plan, in the order it is applied. */
  layers: Array<{ id: ProvisioningLayer; plan: LayerPlan<unknown> }>;
  changes: PlannedChange[];
  blockers: Blocker[];
}

const only = (ids?: readonly ProvisioningLayer[]) =>
  ids ? layers.filter(l => ids.includes(l.id)) : layers;

function combined(
  topology: Topology,
  plans: ConnectionPlan['layers'],
): ConnectionPlan {
  return {
    topology,
    layers: plans,
    changes: plans.flatMap(l => l.plan.changes),
    blockers: plans.flatMap(l => l.plan.blockers),
  };
}

/**
 * Every change provisioning would make, in order, and everything in its way,
 * without mutating anything: what a request records and an approver reviews.
 * Layers plan independently (each reads what it needs), so all at once.
 *
 * @public
 */
export async function planConnection(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
): Promise<ConnectionPlan> {
  const t = await prepareConnection(ctx, spec);
  // Provisioning proves it works: the test claim is part of the plan.
  const planned = { verify: true, ...options };
  const plans = await Promise.all(
    layers.map(async l => ({ id: l.id, plan: await l.plan(ctx, t, planned) })),
  );
  return combined(t, plans);
}

/**
 * Everything removal would change, in the order it changes it (the
 * reverse of provisioning), and everything in its way: the plan an approver
 * reviews before a removal, and what it applies.
 *
 * @public
 */
export async function planRemoval(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
  ids?: readonly ProvisioningLayer[],
): Promise<ConnectionPlan> {
  const t = await discoverTopology(ctx, spec);
  const plans = await Promise.all(
    [...only(ids)]
      .reverse()
      .map(async l => ({ id: l.id, plan: await l.remove(ctx, t, options) })),
  );
  return combined(t, plans);
}

/**
 * What {@link provision} did: the topology it worked on, each layer's
 * result (absent in a dry run), and the changes it made or would make.
 *
 * @public
 */
export interface ProvisionResult {
  topology: Topology;
  results: Partial<Record<ProvisioningLayer, any>>;
  changes: PlannedChange[];
}

/**
 * Provisions layer after layer, each planned just before it is applied (as
 * the scaffolder's steps do), refused on a blocker before it changes
 * anything. Where one call should do it all: tests and benchmarks.
 *
 * @public
 */
export async function provision(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
  ids?: readonly ProvisioningLayer[],
): Promise<ProvisionResult> {
  const t = await prepareConnection(ctx, spec);
  const results: Partial<Record<ProvisioningLayer, any>> = {};
  const changes: PlannedChange[] = [];
  for (const layer of only(ids)) {
    const outcome = await runPlan(ctx, await layer.plan(ctx, t, options));
    changes.push(...outcome.plan.changes);
    if (!outcome.dryRun) results[layer.id] = outcome.result;
  }
  return { topology: t, results, changes };
}

/**
 * Removes the connection (or some of its layers): the whole removal plan
 * first, refused on any blocker before anything is removed, then each
 * layer's part in order. Returns what it changed (or, in a dry run, would).
 *
 * @public
 */
export async function removeConnection(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
  run: EnsureOptions & { layers?: readonly ProvisioningLayer[] } = {},
): Promise<PlannedChange[]> {
  const plan = await planRemoval(ctx, spec, options, run.layers);
  if (plan.blockers.length) throw new PlanBlockedError(plan.blockers);
  for (const layer of plan.layers) {
    await runPlan(ctx, layer.plan, { dryRun: run.dryRun });
  }
  return plan.changes;
}

/**
 * The health of one connection, every layer: what verify runs after
 * provisioning, and what the health sweep stores.
 *
 * @public
 */
export async function checkConnection(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<CheckResult[]> {
  const results = await Promise.all(layers.map(l => l.check(ctx, t, options)));
  // Shown bottom-up, as the seed builds it (the network first), whatever
  // order provisioning applies the layers in.
  const shown = (r: CheckResult) => layerIds.indexOf(r.layer);
  return [
    ...checkMountTargets(t),
    ...checkVpcDns(t),
    ...checkVpcDhcpDns(t),
    ...results.flat(),
  ].sort((a, b) => shown(a) - shown(b));
}
