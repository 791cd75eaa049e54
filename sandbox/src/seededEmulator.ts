import { Emulator, startEmulator } from './emulator';
import { seedSandbox } from './seed';

export interface SeededEmulator extends Emulator {
  /** Back to the freshly seeded sandbox. */
  reset(): Promise<void>;
}

/**
 * For tests: the emulator, seeded with both sandbox accounts, which the AWS
 * SDK in this process reaches through AWS_ENDPOINT_URL until it is stopped,
 * as the backend does under ./dev start.
 */
export async function startSeededEmulator(): Promise<SeededEmulator> {
  const emulator = await startEmulator();
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  await seedSandbox(emulator.endpoint);
  return {
    endpoint: emulator.endpoint,
    reset: async () => {
      await fetch(`${emulator.endpoint}/moto-api/reset`, { method: 'POST' });
      await seedSandbox(emulator.endpoint);
    },
    stop: async () => {
      delete process.env.AWS_ENDPOINT_URL;
      await emulator.stop();
    },
  };
}
