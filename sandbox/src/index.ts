export { startEmulator } from './emulator';
export type { Emulator } from './emulator';
export { SANDBOX } from './layout';
export type { SandboxLayout } from './layout';
export {
  sandboxAwsIntegrationConfig,
  seedSandbox,
  SANDBOX_PLATFORM_CREDENTIALS,
} from './seed';
export type { SeedReport } from './seed';
