export { startEmulator } from './emulator';
export type { Emulator } from './emulator';
export { SANDBOX, SANDBOX_CONNECTION } from './layout';
export type { SandboxLayout } from './layout';
export {
  sandboxAwsIntegrationConfig,
  seedSandbox,
  SANDBOX_PLATFORM_CREDENTIALS,
} from './seed';
export type { SeedReport } from './seed';
export { startSeededEmulator } from './seededEmulator';
export type { SeededEmulator } from './seededEmulator';
export { startSandboxCluster, sandboxKubernetesConfig } from './sandboxCluster';
export { startKubernetesDouble } from './kubernetes/kubernetesDouble';
export type { KubernetesDouble } from './kubernetes/kubernetesDouble';
export { SANDBOX_EFS_DRIVER_VERSIONS } from './eksAddons';
export type { EksAddonStore, SandboxAddon } from './eksAddons';
export { independent, independentKubernetes } from './independentClients';
export {
  sandboxClusterEntity,
  sandboxFileSystemEntity,
} from './catalogEntities';
export { evaluateIam } from './iamEvaluation';
export type { IamDecision, IamRequest } from './iamEvaluation';
