import type { JsonObject, JsonValue } from '@backstage/types';
import type {
  ClusterNetwork,
  ConnectionSpec,
  FileSystemNetwork,
  LayerId,
} from '@internal/plugin-cross-account-efs-common';
import type { AwsClients } from '../aws/AwsClients';
import type { DocumentLock } from '../iam/sharedDocumentLock';
import type { KubernetesClusters } from '../kubernetes/KubernetesClusters';

/** The slice of a logger the engine writes to; Backstage's LoggerService fits. */
export interface EngineLogger {
  info(message: string, meta?: JsonObject): void;
  warn(message: string, meta?: JsonObject): void;
}

/**
 * What every engine call gets: clients, a logger, and a way to run each
 * mutation once. Scaffolder actions pass `ctx.checkpoint`, so a retried task
 * skips mutations that already finished; elsewhere it just runs the function.
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

/** Both sides of one connection, as discovery found them. */
export interface Topology {
  spec: ConnectionSpec;
  fileSystem: FileSystemNetwork;
  cluster: ClusterNetwork;
}

/** One change a layer would make: what a reviewer sees in a plan. */
export interface PlannedChange {
  layer: LayerId;
  accountId: string;
  action: 'create' | 'update' | 'delete';
  resource: string;
  summary: string;
}

/** Something in the way that the engine will not override on its own. */
export interface Blocker {
  layer: LayerId;
  summary: string;
  remedy: string;
}

/**
 * A layer's plan: what it would change, what blocks it, and how to carry it
 * out. `apply` is idempotent and runs each mutation under a checkpoint.
 */
export interface LayerPlan<TResult> {
  changes: PlannedChange[];
  blockers: Blocker[];
  apply(): Promise<TResult>;
}
