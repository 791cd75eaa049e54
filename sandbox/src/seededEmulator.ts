import { Emulator, startEmulator } from './emulator';
import type { KubernetesDouble } from './kubernetes/kubernetesDouble';
import { startSandboxCluster } from './sandboxCluster';
import { seedSandbox } from './seed';

export interface SeededEmulator extends Emulator {
  /** The seeded EKS cluster's API server (the Kubernetes double). */
  kubernetes: KubernetesDouble;
  /** Back to the freshly seeded sandbox. */
  reset(): Promise<void>;
}

/**
 * For tests: the emulator, seeded with both sandbox accounts, which the AWS
 * SDK in this process reaches through AWS_ENDPOINT_URL until it is stopped,
 * as the backend does under ./dev start; and the cluster's API server.
 */
export async function startSeededEmulator(): Promise<SeededEmulator> {
  const emulator = await startEmulator();
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  await seedSandbox(emulator.endpoint);
  const kubernetes = await startSandboxCluster(emulator);
  return {
    ...emulator,
    kubernetes,
    reset: async () => {
      await fetch(`${emulator.endpoint}/moto-api/reset`, { method: 'POST' });
      emulator.addons.clear();
      kubernetes.reset();
      await seedSandbox(emulator.endpoint);
    },
    stop: async () => {
      delete process.env.AWS_ENDPOINT_URL;
      await kubernetes.close();
      await emulator.stop();
    },
  };
}
