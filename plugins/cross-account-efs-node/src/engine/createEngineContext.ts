import type { AwsClients } from '../aws/AwsClients';
import { KubernetesClusters } from '../kubernetes/KubernetesClusters';
import type { EngineContext, EngineLogger } from './types';

/** An engine context; without a checkpoint function each mutation simply runs. */
export function createEngineContext(options: {
  aws: AwsClients;
  logger: EngineLogger;
  kubernetes?: KubernetesClusters;
  checkpoint?: EngineContext['checkpoint'];
}): EngineContext {
  return {
    aws: options.aws,
    kubernetes: options.kubernetes ?? new KubernetesClusters([]),
    logger: options.logger,
    checkpoint: options.checkpoint ?? ((_key, fn) => fn()),
  };
}
