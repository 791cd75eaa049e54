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
  SendInterceptor,
} from './aws/AwsClients';
export { AwsCallCounter } from './aws/callCounter';
export type { AwsCall } from './aws/callCounter';
export { createEngineContext } from './engine/createEngineContext';
export type {
  Blocker,
  EngineContext,
  EngineLogger,
  Layer,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  ProvisioningLayer,
  Topology,
} from './engine/types';
export { provisioningLayers } from './engine/types';
export { PlanBlockedError, runPlan } from './engine/runPlan';
export type { EnsureOptions, EnsureResult } from './engine/runPlan';
export {
  checkConnection,
  planConnection,
  planRemoval,
  provision,
  removeConnection,
} from './engine/planConnection';
export type { ConnectionPlan, ProvisionResult } from './engine/planConnection';
export {
  discoverTopology,
  prepareConnection,
} from './engine/prepareConnection';
export { discoverFileSystem } from './discovery/discoverFileSystem';
export { discoverCluster } from './discovery/discoverCluster';
export { preflight } from './preflight/preflight';
export { recommendConnectivity } from './engine/recommendConnectivity';
export type { ConnectivityRecommendation } from './engine/recommendConnectivity';
export type { PreflightProblem, PreflightReport } from './preflight/preflight';
export { layers } from './layers';
export type { PeeringResult } from './layers/peering';
export type { RoutesResult } from './layers/routes';
export type { NfsIngressMode, NfsIngressResult } from './layers/nfs-ingress';
export type { DnsZone, PrivateDnsResult } from './layers/dns';
export type { IamResult } from './layers/iam';
export type { CsiDriverResult } from './layers/csi-driver';
export type {
  KubernetesStorageResult,
  TestClaimState,
} from './layers/kubernetes';
export { checkConnections } from './health/checkConnections';
export { AWS_REQUEST_QUOTAS, RequestRateLimiter } from './health/requestQuotas';
export type {
  Clock,
  RequestQuota,
  RequestQuotas,
} from './health/requestQuotas';
export type {
  ConnectionToCheck,
  SweepOptions,
} from './health/checkConnections';
export {
  DatabaseDocumentLock,
  InProcessDocumentLock,
} from './iam/sharedDocumentLock';
export type { DocumentLock } from './iam/sharedDocumentLock';
export { KubernetesClusters } from './kubernetes/KubernetesClusters';
export type {
  KubernetesApis,
  KubernetesClusterConfigEntry,
} from './kubernetes/KubernetesClusters';
