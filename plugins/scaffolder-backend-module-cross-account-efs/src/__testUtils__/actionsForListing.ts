import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AwsClients } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { createCrossAccountEfsActions } from '../actions';
import { AccountScope } from '../requests/AccountScope';
import { RequestsClient } from '../requests/RequestsClient';
import { sandboxConfig } from './sandboxConfig';

/**
 * A requests client for tests whose cases are all refused before the
 * requests API is reached: reaching it fails the case.
 */
export const unreachableRequests = new RequestsClient(
  {
    getBaseUrl: async () => {
      throw new Error('the requests API must not be reached');
    },
    getExternalBaseUrl: async () => {
      throw new Error('the requests API must not be reached');
    },
  },
  {} as any,
);

/** Every action, wired to nothing that answers: to read their ids, schemas and examples. */
export function actionsForListing() {
  return createCrossAccountEfsActions({
    aws: AwsClients.fromConfig(sandboxConfig()),
    requests: unreachableRequests,
    accounts: new AccountScope(new Set(), catalogServiceMock()),
  });
}
