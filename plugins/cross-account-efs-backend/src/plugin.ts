import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { crossAccountEfsPermissions } from '@internal/plugin-cross-account-efs-common';
import {
  AwsClients,
  createEngineContext,
  KubernetesClusters,
} from '@internal/plugin-cross-account-efs-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { registerHealthAction } from './service/healthAction';
import { HealthStore } from './service/HealthStore';
import { HealthSweep } from './service/HealthSweep';
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
        scheduler: coreServices.scheduler,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(crossAccountEfsPermissions);
        const store = await RequestStore.create(deps.database);
        const health = new HealthStore(await deps.database.getClient());
        const aws = AwsClients.fromConfig(deps.config);
        const kubernetes = KubernetesClusters.fromConfig(deps.config);
        const sweep = new HealthSweep({
          requests: store,
          health,
          logger: deps.logger,
          engine: () =>
            createEngineContext({ aws, kubernetes, logger: deps.logger }),
          concurrency:
            deps.config.getOptionalNumber(
              'crossAccountEfs.health.concurrency',
            ) ?? 8,
        });
        // Global scope: one replica runs each sweep, coordinated through the database.
        await deps.scheduler.scheduleTask({
          id: 'cross-account-efs-health-sweep',
          scope: 'global',
          frequency: {
            minutes:
              deps.config.getOptionalNumber(
                'crossAccountEfs.health.frequencyMinutes',
              ) ?? 10,
          },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 30 },
          fn: () => sweep.sweep(),
        });
        registerHealthAction(deps.actionsRegistry, { store, health });
        deps.httpRouter.use(
          await createRouter({
            ...deps,
            store,
            health,
            sweep,
            aws,
            kubernetes,
          }),
        );
      },
    });
  },
});
