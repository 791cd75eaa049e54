import { ConfigReader } from '@backstage/config';
import { ConnectionSpec } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  SANDBOX,
  SANDBOX_CONNECTION,
  sandboxAwsIntegrationConfig,
  sandboxKubernetesConfig,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import { AwsClients, ClientMiddleware } from '../aws/AwsClients';
import { AwsCallCounter } from '../aws/callCounter';
import { createEngineContext } from '../engine/createEngineContext';
import { KubernetesClusters } from '../kubernetes/KubernetesClusters';
import type { EngineContext, LayerOptions } from '../engine/types';
import { provision, removeConnection } from '../engine/planConnection';
import type { DocumentLock } from '../iam/sharedDocumentLock';

/** The sandbox connection: the seeded file system and cluster. */
export const sandboxSpec: ConnectionSpec = SANDBOX_CONNECTION;

/** The roles the IAM layer makes for the sandbox connection, by its default names. */
export const sandboxRoles = {
  csiDriverRoleName: `efs-csi-driver-${SANDBOX.eks.clusterName}`,
  csiDriverRoleArn: `arn:aws:iam::${SANDBOX.eks.accountId}:role/efs-csi-driver-${SANDBOX.eks.clusterName}`,
  efsRoleName: `efs-csi-x-account-${SANDBOX.eks.accountId}-${SANDBOX.eks.clusterName}`,
  efsRoleArn: `arn:aws:iam::${SANDBOX.efs.accountId}:role/efs-csi-x-account-${SANDBOX.eks.accountId}-${SANDBOX.eks.clusterName}`,
};

/** The cluster side of the sandbox connection, as the tests request it. */
export const sandboxClusterOptions = {
  storageClassName: 'efs-shared',
  namespace: 'team-a',
  verify: true,
};

/** Config as an operator writes it: the portal assumes a role in each account. */
export function sandboxAwsConfig() {
  return new ConfigReader({ aws: sandboxAwsIntegrationConfig() });
}

export interface EmulatorEngine {
  emulator: SeededEmulator;
  counter: AwsCallCounter;
  logs: string[];
  /** A fresh engine context; extra middleware sees every call. */
  context(
    extra?: ClientMiddleware[],
    documentLock?: DocumentLock,
    /** The SDK's retry budget per call (default 5). */
    maxAttempts?: number,
  ): EngineContext;
  /** Back to the freshly seeded sandbox. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real engine against the AWS emulator, seeded with the two sandbox
 * accounts. The SDK finds the emulator through AWS_ENDPOINT_URL, as in
 * ./dev start: nothing in the engine knows it is not AWS.
 */
export async function startEmulatorEngine(): Promise<EmulatorEngine> {
  const emulator = await startSeededEmulator();
  const counter = new AwsCallCounter();
  const logs: string[] = [];
  const logger = {
    info: (m: string, meta?: object) =>
      logs.push(meta ? `${m} ${JSON.stringify(meta)}` : m),
    warn: (m: string, meta?: object) =>
      logs.push(`WARN ${m}${meta ? ` ${JSON.stringify(meta)}` : ''}`),
  };
  return {
    emulator,
    counter,
    logs,
    context: (extra = [], documentLock = undefined, maxAttempts = undefined) =>
      createEngineContext({
        documentLock,
        aws: AwsClients.fromConfig(sandboxAwsConfig(), {
          middleware: [counter.middleware, ...extra],
          maxAttempts,
        }),
        kubernetes: KubernetesClusters.fromConfig(
          new ConfigReader({
            kubernetes: sandboxKubernetesConfig(emulator.kubernetes),
          }),
        ),
        logger,
      }),
    reset: async () => {
      await emulator.reset();
      counter.reset();
    },
    stop: () => emulator.stop(),
  };
}

const NETWORK = ['peering', 'routes', 'nfs-ingress', 'dns'] as const;
const CLUSTER = ['iam', 'csi-driver', 'kubernetes'] as const;

/** Seed steps 1-8: the network layers, provisioned one after another. */
export const connectNetwork = (
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions = {},
) => provision(ctx, spec, options, NETWORK);

/** Seed steps 9-11: IAM, the add-on and the cluster's objects. */
export const connectCluster = (
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
) => provision(ctx, spec, options, CLUSTER);

/** The network layers removed, in reverse order: what was changed. */
export const disconnectNetwork = (
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions = {},
) => removeConnection(ctx, spec, options, { layers: NETWORK });

/** The cluster's layers removed, in reverse order: what was changed. */
export const disconnectCluster = (
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
) => removeConnection(ctx, spec, options, { layers: CLUSTER });
