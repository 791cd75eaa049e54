import type { ConnectionSpec } from '@internal/plugin-cross-account-efs-common';
import { planCsiDriver } from '../layers/csiDriverAddon';
import { IamOptions, planIam } from '../layers/iam';
import {
  KubernetesStorageOptions,
  planKubernetesStorage,
} from '../layers/kubernetesStorage';
import { prepareConnection } from './prepareConnection';
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
