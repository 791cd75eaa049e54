/**
 * The cross-account EFS engine. Nothing above it talks to AWS or Kubernetes.
 *
 * @packageDocumentation
 */
export { AwsClients } from './aws/AwsClients';
export type {
  AccountRegion,
  AwsClientsOptions,
  ClientMiddleware,
} from './aws/AwsClients';
export { AwsCallCounter } from './aws/callCounter';
export type { AwsCall } from './aws/callCounter';
export { isAwsError, describeAwsError } from './aws/errors';
export { createEngineContext } from './engine/createEngineContext';
export { runPlan } from './engine/runPlan';
export type { EnsureOptions, EnsureResult } from './engine/runPlan';
export type {
  Blocker,
  EngineContext,
  EngineLogger,
  LayerPlan,
  PlannedChange,
  Topology,
} from './engine/types';
export { discoverFileSystem } from './discovery/discoverFileSystem';
export { discoverCluster } from './discovery/discoverCluster';
export { preflight } from './preflight/preflight';
export type { PreflightProblem, PreflightReport } from './preflight/preflight';
export { cidrsOverlap, cidrContains } from './preflight/cidr';
export * from './layers/peering';
export * from './layers/routes';
export * from './layers/nfsIngress';
export * from './layers/privateDns';
export { connectNetwork, disconnectNetwork } from './engine/connectNetwork';
export {
  discoverTopology,
  prepareConnection,
} from './engine/prepareConnection';
