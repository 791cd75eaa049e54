import type { JsonObject, JsonValue } from '@backstage/types';
import type {
  CheckResult,
  ClusterNetwork,
  ConnectionOptions,
  ConnectionSpec,
  FileSystemNetwork,
  LayerId,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { AwsClients } from '../aws/AwsClients';
import type { DocumentLock } from '../iam/sharedDocumentLock';
import type { KubernetesClusters } from '../kubernetes/KubernetesClusters';

/**
 * The slice of a logger the engine writes to; Backstage's LoggerService fits.
 *
 * @public
 */
export interface EngineLogger {
  info(message: string, meta?: JsonObject): void;
  warn(message: string, meta?: JsonObject): void;
}

/**
 * What every engine call gets: clients, a logger, and a way to run each
 * mutation once. Scaffolder actions pass `ctx.checkpoint`, so a retried task
 * skips mutations that already finished; elsewhere it just runs the function.
 *
 * @public
 */
export interface EngineContext {
  aws: AwsClients;
  /** The clusters the Kubernetes plugin is configured with. */
  kubernetes: KubernetesClusters;
  logger: EngineLogger;
  /** Serializes writers of a shared policy document (across replicas, given a database). */
  documentLock: DocumentLock;
  checkpoint<T extends JsonValue | void>(
    key: string,
    fn: () => Promise<T>,
  ): Promise<T>;
}

/**
 * Both sides of one connection, as discovery found them.
 *
 * @public
 */
export interface Topology {
  spec: ConnectionSpec;
  fileSystem: FileSystemNetwork;
  cluster: ClusterNetwork;
}

/**
 * One change a layer would make: what a reviewer sees in a plan.
 *
 * @public
 */
export interface PlannedChange {
  layer: LayerId;
  accountId: string;
  action: 'create' | 'update' | 'delete';
  resource: string;
  summary: string;
}

/**
 * Something in the way that the engine will not override on its own.
 *
 * @public
 */
export interface Blocker {
  layer: LayerId;
  summary: string;
  remedy: string;
}

/**
 * A layer's plan: what it would change, what blocks it, and how to carry it
 * out. `apply` is idempotent and runs each mutation under a checkpoint.
 *
 * @public
 */
export interface LayerPlan<TResult> {
  changes: PlannedChange[];
  blockers: Blocker[];
  apply(): Promise<TResult>;
}

/**
 * The layers provisioning changes, in the order it changes them. The slow
 * ones start first and are waited for only where a later layer needs them:
 * the add-on (a minute or two to ACTIVE) is created right after its role and
 * waited for by the kubernetes layer, while the network layers run.
 *
 * @public
 */
export const provisioningLayers = [
  'iam',
  'csi-driver',
  'peering',
  'routes',
  'nfs-ingress',
  'dns',
  'kubernetes',
] as const satisfies readonly LayerId[];
/** @public */
export type ProvisioningLayer = (typeof provisioningLayers)[number];

/**
 * What every layer is given: the connection's options as the request
 * records them, and how to run. Each layer derives the rest (the peering,
 * role names and ARNs, the driver version) from live reads, so layers plan
 * independently of each other and in any order.
 *
 * @public
 */
export interface LayerOptions extends Partial<ConnectionOptions> {
  /** The driver's role in the EKS account; default: the add-on's, else `efs-csi-driver-<cluster>`. */
  csiDriverRoleName?: string;
  /** The role in the EFS account; default `efs-csi-x-account-<eks account>-<cluster>`. */
  efsAccessRoleName?: string;
  /** Pin the add-on version; default: keep one that can cross-account, else EKS's default. */
  driverVersion?: string;
  basePath?: string;
  reclaimPolicy?: 'Delete' | 'Retain';
  /** Delete and re-create a differing StorageClass, only while no volume uses it. */
  replaceStorageClass?: boolean;
  /** Prove it works: a test claim that binds and a pod that writes to it. */
  verify?: boolean;
  /** Upper bound for each wait (peering, add-on, claim), in seconds. */
  maxWaitSeconds?: number;
  /** Seconds before the second poll of a wait. */
  minPollSeconds?: number;
}

/**
 * One layer of a connection, the same four verbs for each: `plan` what
 * provisioning would change, `check` its health, and `remove` as a plan too
 * (its dry run is what an approver reviews before removal). Nothing is
 * changed until a plan's `apply`.
 *
 * @public
 */
export interface Layer<TResult = unknown> {
  id: ProvisioningLayer;
  plan(
    ctx: EngineContext,
    t: Topology,
    options: LayerOptions,
  ): Promise<LayerPlan<TResult>>;
  check(
    ctx: EngineContext,
    t: Topology,
    options: LayerOptions,
  ): Promise<CheckResult[]>;
  remove(
    ctx: EngineContext,
    t: Topology,
    options: LayerOptions,
  ): Promise<LayerPlan<void>>;
}
