import type {
  CheckResult,
  ConnectionOptions,
  ConnectionSpec,
} from '@internal/plugin-cross-account-efs-common';
import { checkCsiDriver, planCsiDriver } from '../layers/csiDriverAddon';
import { inspectIam, planIam } from '../layers/iam';
import {
  checkKubernetesStorage,
  planKubernetesStorage,
} from '../layers/kubernetesStorage';
import { checkNfsIngress, planNfsIngress } from '../layers/nfsIngress';
import { checkPeering, findPeering, planPeering } from '../layers/peering';
import { checkPrivateDns, planPrivateDns } from '../layers/privateDns';
import { checkRoutes, planRoutes } from '../layers/routes';
import { checkMountTargets, checkVpcDns } from '../health/networkChecks';
import { prepareConnection } from './prepareConnection';
import type { Blocker, EngineContext, PlannedChange, Topology } from './types';

export interface ConnectionPlan {
  topology: Topology;
  changes: PlannedChange[];
  blockers: Blocker[];
}

/**
 * Every change provisioning would make, in order, and everything in its way,
 * without mutating anything: what a request records and an approver reviews.
 */
export async function planConnection(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: ConnectionOptions,
): Promise<ConnectionPlan> {
  const t = await prepareConnection(ctx, spec);
  const peering = await findPeering(ctx, t);
  const [network, iam] = await Promise.all([
    Promise.all([
      planPeering(ctx, t),
      planRoutes(ctx, t, peering?.VpcPeeringConnectionId),
      planNfsIngress(ctx, t, options.nfsIngressMode),
      planPrivateDns(ctx, t),
    ]),
    planIam(ctx, t, options),
  ]);
  const [csiDriver, kubernetes] = await Promise.all([
    planCsiDriver(ctx, t, {
      csiDriverRoleArn: iam.outcome.csiDriverRoleArn,
      workloadIdentity: options.workloadIdentity,
    }),
    planKubernetesStorage(ctx, t, {
      ...options,
      efsAccessRoleArn: iam.outcome.efsAccessRoleArn,
      verify: true,
    }),
  ]);
  const layers = [...network, iam, csiDriver, kubernetes];
  return {
    topology: t,
    changes: layers.flatMap(l => l.changes),
    blockers: layers.flatMap(l => l.blockers),
  };
}

/**
 * The health of one connection, every layer: what verify runs after
 * provisioning, and what the health sweep stores. The roles default to the
 * ones provisioning would use.
 */
export async function checkConnection(
  ctx: EngineContext,
  t: Topology,
  connection: ConnectionOptions & {
    efsAccessRoleArn?: string;
    csiDriverRoleArn?: string;
  },
): Promise<CheckResult[]> {
  // Each check starts as soon as what it needs is read. IAM is read once:
  // its own verdict, and the roles the add-on and Kubernetes checks look for.
  const iam = inspectIam(ctx, t, connection);
  const roles = iam.then(({ outcome }) => ({
    ...connection,
    efsAccessRoleArn: connection.efsAccessRoleArn ?? outcome.efsAccessRoleArn,
    csiDriverRoleArn: connection.csiDriverRoleArn ?? outcome.csiDriverRoleArn,
  }));
  const results = await Promise.all([
    checkMountTargets(t),
    checkVpcDns(t),
    checkPeering(ctx, t),
    findPeering(ctx, t).then(peering =>
      checkRoutes(ctx, t, peering?.VpcPeeringConnectionId),
    ),
    checkNfsIngress(ctx, t, connection.nfsIngressMode),
    checkPrivateDns(ctx, t),
    iam.then(({ results: iamResults }) => iamResults),
    roles.then(options =>
      checkCsiDriver(ctx, t, { csiDriverRoleArn: options.csiDriverRoleArn }),
    ),
    roles.then(options => checkKubernetesStorage(ctx, t, options)),
  ]);
  return results.flat();
}
