import type { AwsClients } from '../aws/AwsClients';
import type { EngineContext, EngineLogger } from './types';

/** An engine context; without a checkpoint function each mutation simply runs. */
export function createEngineContext(options: {
  aws: AwsClients;
  logger: EngineLogger;
  checkpoint?: EngineContext['checkpoint'];
}): EngineContext {
  return {
    aws: options.aws,
    logger: options.logger,
    checkpoint: options.checkpoint ?? ((_key, fn) => fn()),
  };
}
