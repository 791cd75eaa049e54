import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  AwsClients,
  ClientMiddleware,
  DatabaseDocumentLock,
  KubernetesClusters,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { createCrossAccountEfsActions } from './actions';
import { AccountScope } from './requests/AccountScope';
import { RequestsClient } from './requests/RequestsClient';

/**
 * The module, wired to the scaffolder's services. `middleware` reaches every
 * AWS client (the tests' call counter and fault injection).
 */
export function createCrossAccountEfsModule(
  options: { middleware?: ClientMiddleware[] } = {},
) {
  return createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'cross-account-efs',
    register({ registerInit }) {
      registerInit({
        deps: {
          scaffolder: scaffolderActionsExtensionPoint,
          config: coreServices.rootConfig,
          discovery: coreServices.discovery,
          auth: coreServices.auth,
          catalog: catalogServiceRef,
          database: coreServices.database,
        },
        async init({ scaffolder, config, discovery, auth, catalog, database }) {
          scaffolder.addActions(
            ...createCrossAccountEfsActions({
              aws: AwsClients.fromConfig(config, {
                middleware: options.middleware ?? [],
              }),
              kubernetes: KubernetesClusters.fromConfig(config),
              // Every mutating action works from a request the backend authorizes.
              requests: new RequestsClient(discovery, auth),
              accounts: AccountScope.fromConfig(config, catalog),
              // Shared policy documents get one writer at a time across every
              // replica (PostgreSQL advisory locks; no table of our own).
              documentLock: new DatabaseDocumentLock(
                await database.getClient(),
              ),
            }),
          );
        },
      });
    },
  });
}

/**
 * Registers the cross-account EFS actions with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleCrossAccountEfs = createCrossAccountEfsModule();
