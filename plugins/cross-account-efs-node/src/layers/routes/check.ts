import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, Topology } from '../../engine/types';
import { findPeering } from '../peering/read';
import { currentRoutes, desiredRoutes, judge, target } from './read';

/** Every route we want, through the live peering, or what is wrong with it. */
export async function checkRoutes(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const [peering, tables] = await Promise.all([
    findPeering(ctx, t),
    currentRoutes(ctx, t),
  ]);
  const peeringConnectionId = peering?.VpcPeeringConnectionId;
  return desiredRoutes(t).map(route => {
    const id = `route:${route.routeTableId}:${route.destination}`;
    const verdict = judge(
      tables.get(route.routeTableId),
      route.destination,
      peeringConnectionId,
    );
    const evidence = {
      accountId: route.accountId,
      routeTableId: route.routeTableId,
      destination: route.destination,
    };
    switch (verdict.kind) {
      case 'ok':
        return checkResult('routes', id, 'ok', {
          summary: `${route.routeTableId} routes ${route.destination} through ${peeringConnectionId}.`,
          evidence,
        });
      case 'missing':
        return checkResult('routes', id, 'error', {
          summary: `${route.routeTableId} (account ${route.accountId}) has no route to ${route.destination}.`,
          remedy:
            'Re-run provisioning: it adds the route through the peering connection.',
          evidence,
        });
      case 'blackhole':
        return checkResult('routes', id, 'error', {
          summary: `The route to ${route.destination} in ${
            route.routeTableId
          } is a blackhole (target ${target(verdict.route)} is gone).`,
          remedy:
            'Re-run provisioning: it points the route at the current peering connection.',
          evidence: { ...evidence, target: target(verdict.route) },
        });
      default:
        return checkResult('routes', id, 'error', {
          summary: `${route.routeTableId} sends ${
            route.destination
          } to ${target(verdict.route)}, not the peering connection.`,
          remedy:
            'Remove or change that route by hand (provisioning never overwrites a route it did not make), then re-run provisioning.',
          evidence: { ...evidence, target: target(verdict.route) },
        });
    }
  });
}
