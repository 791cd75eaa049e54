import type {
  CheckResult,
  ConnectionOptions,
  ConnectionSpec,
  LayerId,
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
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from './types';

/** The layers provisioning changes, in the order it changes them. */
export const provisioningLayers = [
  'peering',
  'routes',
  'nfs-ingress',
  'dns',
  'iam',
  'csi-driver',
  'kubernetes',
] as const satisfies readonly LayerId[];
export type ProvisioningLayer = (typeof provisioningLayers)[number];

export interface ConnectionPlan {
  topology: Topology;
  /** Each layer's own plan, in provisioning order: what its action applies. */
  layers: Array<{ id: ProvisioningLayer; plan: LayerPlan<unknown> }>;
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
  const csiDriver = await planCsiDriver(ctx, t, {
    csiDriverRoleArn: iam.outcome.csiDriverRoleArn,
    workloadIdentity: options.workloadIdentity,
  });
  // Planned for the driver the csi-driver layer leaves running, so an old
  // driver that it upgrades is not a blocker of its own.
  const kubernetes = await planKubernetesStorage(ctx, t, {
    ...options,
    efsAccessRoleArn: iam.outcome.efsAccessRoleArn,
    driverVersion: csiDriver.outcome.addonVersion,
    verify: true,
  });
  const plans: LayerPlan<unknown>[] = [...network, iam, csiDriver, kubernetes];
  return {
    topology: t,
    layers: plans.map((plan, i) => ({ id: provisioningLayers[i], plan })),
    changes: plans.flatMap(l => l.changes),
    blockers: plans.flatMap(l => l.blockers),
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
