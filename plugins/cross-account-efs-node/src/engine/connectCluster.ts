import type { ConnectionSpec } from '@internal/plugin-cross-account-efs-common';
import { planCsiDriver } from '../layers/csiDriverAddon';
import { IamOptions, planIam, removeIam } from '../layers/iam';
import {
  KubernetesStorageOptions,
  planKubernetesStorage,
  removeKubernetesStorage,
} from '../layers/kubernetesStorage';
import { discoverTopology, prepareConnection } from './prepareConnection';
import { runPlan } from './runPlan';
import type { EngineContext } from './types';

export type ConnectClusterOptions = IamOptions &
  Omit<KubernetesStorageOptions, 'efsAccessRoleArn'> & {
    driverVersion?: string;
  };

/**
 * Seed steps 9-11 in order (IAM, the add-on, the cluster's objects), the
 * same layers the scaffolder actions run one by one. Used where one call
 * should do it all: tests and benchmarks.
 */
export async function connectCluster(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: ConnectClusterOptions,
) {
  const t = await prepareConnection(ctx, spec);
  const iam = await runPlan(ctx, await planIam(ctx, t, options));
  const roles = iam.dryRun ? undefined : iam.result;
  const csiDriver = await runPlan(
    ctx,
    await planCsiDriver(ctx, t, {
      csiDriverRoleArn: roles!.csiDriverRoleArn,
      workloadIdentity: options.workloadIdentity,
      driverVersion: options.driverVersion,
    }),
  );
  const kubernetes = await runPlan(
    ctx,
    await planKubernetesStorage(ctx, t, {
      ...options,
      efsAccessRoleArn: roles!.efsAccessRoleArn,
    }),
  );
  return { topology: t, iam, csiDriver, kubernetes };
}

/**
 * Seed steps 11 back to 9: the cluster's objects (refused while workloads'
 * volumes use the StorageClass), then this connection's IAM statements and
 * roles. The add-on stays: other file systems and workloads may use it.
 */
export async function disconnectCluster(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: IamOptions &
    Pick<KubernetesStorageOptions, 'storageClassName' | 'namespace'>,
) {
  const t = await discoverTopology(ctx, spec);
  return [
    ...(await removeKubernetesStorage(ctx, t, options)),
    ...(await removeIam(ctx, t, options)),
  ];
}
