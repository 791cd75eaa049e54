import { ConfigReader } from '@backstage/config';
import { ConnectionSpec } from '@internal/plugin-cross-account-efs-common';
import {
  Emulator,
  SANDBOX,
  sandboxAwsIntegrationConfig,
  seedSandbox,
  startEmulator,
} from '@internal/sandbox';
import { AwsClients, ClientMiddleware } from '../aws/AwsClients';
import { AwsCallCounter } from '../aws/callCounter';
import { createEngineContext } from '../engine/createEngineContext';
import type { EngineContext } from '../engine/types';

/** The sandbox connection: the seeded file system and cluster. */
export const sandboxSpec: ConnectionSpec = {
  fileSystem: {
    accountId: SANDBOX.efs.accountId,
    region: SANDBOX.region,
    fileSystemId: SANDBOX.efs.fileSystemId,
  },
  cluster: {
    accountId: SANDBOX.eks.accountId,
    region: SANDBOX.region,
    clusterName: SANDBOX.eks.clusterName,
  },
};

/** Config as an operator writes it: the portal assumes a role in each account. */
export function sandboxAwsConfig() {
  return new ConfigReader({ aws: sandboxAwsIntegrationConfig() });
}

export interface EmulatorEngine {
  emulator: Emulator;
  counter: AwsCallCounter;
  logs: string[];
  /** A fresh engine context; extra middleware sees every call. */
  context(extra?: ClientMiddleware[]): EngineContext;
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
  const emulator = await startEmulator();
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  await seedSandbox(emulator.endpoint);
  const counter = new AwsCallCounter();
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(`WARN ${m}`),
  };
  return {
    emulator,
    counter,
    logs,
    context: (extra = []) =>
      createEngineContext({
        aws: AwsClients.fromConfig(sandboxAwsConfig(), {
          middleware: [counter.middleware, ...extra],
        }),
        logger,
      }),
    reset: async () => {
      await fetch(`${emulator.endpoint}/moto-api/reset`, { method: 'POST' });
      await seedSandbox(emulator.endpoint);
      counter.reset();
    },
    stop: async () => {
      delete process.env.AWS_ENDPOINT_URL;
      await emulator.stop();
    },
  };
}
