import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { crossAccountEfsPermissions } from '@internal/plugin-cross-account-efs-common';
import {
  AwsClients,
  KubernetesClusters,
} from '@internal/plugin-cross-account-efs-node';
import { createRouter } from './service/router';
import { RequestStore } from './service/RequestStore';

/**
 * Cross-account EFS: connection requests and their four-eyes approvals, on
 * the plugin's own database, behind the plugin's permissions.
 */
export const crossAccountEfsPlugin = createBackendPlugin({
  pluginId: 'cross-account-efs',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(crossAccountEfsPermissions);
        const store = await RequestStore.create(deps.database);
        deps.httpRouter.use(
          await createRouter({
            ...deps,
            store,
            aws: AwsClients.fromConfig(deps.config),
            kubernetes: KubernetesClusters.fromConfig(deps.config),
          }),
        );
      },
    });
  },
});
