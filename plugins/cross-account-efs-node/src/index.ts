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
export {
  DatabaseDocumentLock,
  InProcessDocumentLock,
} from './iam/sharedDocumentLock';
export type { DocumentLock } from './iam/sharedDocumentLock';
export { PlanBlockedError, runPlan } from './engine/runPlan';
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
export { connectCluster, disconnectCluster } from './engine/connectCluster';
export type { ConnectClusterOptions } from './engine/connectCluster';
export {
  discoverTopology,
  prepareConnection,
} from './engine/prepareConnection';
export * from './layers/iam';
export * from './layers/csiDriverAddon';
export * from './layers/kubernetesStorage';
export { KubernetesClusters } from './kubernetes/KubernetesClusters';
export type { KubernetesApis } from './kubernetes/KubernetesClusters';
export {
  storageClassFor,
  diffStorageClass,
  storageClassProblems,
} from './kubernetes/storageClass';
export * from './iam/connectionIam';
export {
  parsePolicy,
  mergeStatements,
  awsPrincipals,
  isAccountRoot,
} from './iam/policyDocument';
export type { PolicyDocument, Statement } from './iam/policyDocument';
export {
  planConnection,
  checkConnection,
  provisioningLayers,
} from './engine/planConnection';
export type {
  ConnectionPlan,
  ProvisioningLayer,
} from './engine/planConnection';
export { checkConnections } from './health/checkConnections';
export type {
  ConnectionToCheck,
  SweepOptions,
} from './health/checkConnections';
export { checkMountTargets, checkVpcDns } from './health/networkChecks';
