import type { AwsClients } from '../aws/AwsClients';
import { DocumentLock, InProcessDocumentLock } from '../iam/sharedDocumentLock';
import { KubernetesClusters } from '../kubernetes/KubernetesClusters';
import type { EngineContext, EngineLogger } from './types';

/**
 * An engine context; without a checkpoint function each mutation simply runs.
 *
 * @public
 */
export function createEngineContext(options: {
  aws: AwsClients;
  logger: EngineLogger;
  kubernetes?: KubernetesClusters;
  checkpoint?: EngineContext['checkpoint'];
  /** Share one lock between the contexts of a process (or replicas: DatabaseDocumentLock). */
  documentLock?: DocumentLock;
}): EngineContext {
  return {
    aws: options.aws,
    kubernetes: options.kubernetes ?? new KubernetesClusters(),
    logger: options.logger,
    documentLock: options.documentLock ?? new InProcessDocumentLock(),
    checkpoint: options.checkpoint ?? ((_key, fn) => fn()),
  };
}
