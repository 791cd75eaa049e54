import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  crossAccountEfsPermissions,
  requestApprovePermission,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { loadRequestResources } from './permissions/loadRequestResources';
import {
  requestPermissionRules,
  requestResourceRef,
} from './permissions/requestConditions';
import {
  AwsClients,
  createEngineContext,
  KubernetesClusters,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { registerHealthAction } from './service/healthAction';
import { HealthStore } from './service/HealthStore';
import { HealthSweep } from './service/HealthSweep';
import { sweepOptionsFromConfig } from './service/sweepOptions';
import { createRouter } from './service/router';
import { RequestLifecycle } from './service/RequestLifecycle';
import { RequestStore } from './service/RequestStore';

/**
 * Cross-account EFS: connection requests and their four-eyes approvals, on
 * the plugin's own database, behind the plugin's permissions.
 *
 * @public
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
        auditor: coreServices.auditor,
        notifications: notificationService,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(crossAccountEfsPermissions);
        const store = await RequestStore.create(deps.database);
        // Policies can decide approvals per request (e.g. the file system's owners).
        deps.permissionsRegistry.addResourceType({
          resourceRef: requestResourceRef,
          permissions: [requestApprovePermission],
          rules: Object.values(requestPermissionRules),
          getResources: ids =>
            loadRequestResources(ids, {
              store,
              catalog: deps.catalog,
              auth: deps.auth,
            }),
        });
        const health = new HealthStore(await deps.database.getClient());
        const aws = AwsClients.fromConfig(deps.config);
        const kubernetes = KubernetesClusters.fromConfig(deps.config);
        const sweep = new HealthSweep({
          requests: store,
          health,
          logger: deps.logger,
          engine: () =>
            createEngineContext({ aws, kubernetes, logger: deps.logger }),
          sweep: sweepOptionsFromConfig(deps.config),
        });
        const lifecycle = new RequestLifecycle({
          store,
          auditor: deps.auditor,
          logger: deps.logger,
          notifications: deps.notifications,
          check: async request => (await sweep.check([request]))[0],
        });
        // Global scope: one replica runs each sweep, coordinated through the
        // database. A replica that dies mid-sweep holds the lock until the
        // timeout, so keep it near what a sweep takes.
        await deps.scheduler.scheduleTask({
          id: 'cross-account-efs-health-sweep',
          scope: 'global',
          frequency: {
            minutes:
              deps.config.getOptionalNumber(
                'crossAccountEfs.health.frequencyMinutes',
              ) ?? 10,
          },
          timeout: {
            minutes:
              deps.config.getOptionalNumber(
                'crossAccountEfs.health.timeoutMinutes',
              ) ?? 5,
          },
          initialDelay: { seconds: 30 },
          fn: () => sweep.sweep(),
        });
        await deps.scheduler.scheduleTask({
          id: 'cross-account-efs-expire-requests',
          scope: 'global',
          frequency: { minutes: 15 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 20 },
          fn: async () => {
            const expired = await lifecycle.expireOverdue();
            if (expired.length)
              deps.logger.info(`Expired ${expired.length} pending request(s)`);
          },
        });
        // The scaffolder announces every task's end: one that fails or is
        // cancelled while its request is in progress fails it, so it never
        // strands. (A completed task may be a template that runs some steps only.)
        await deps.events.subscribe({
          id: 'cross-account-efs-task-ends',
          topics: ['scaffolder.task'],
          onEvent: async ({ eventPayload }) => {
            const { id, taskId, status } = eventPayload as any;
            if (!['failed', 'cancelled'].includes(status)) return;
            await lifecycle.taskEnded(taskId ?? id, status);
          },
        });
        registerHealthAction(deps.actionsRegistry, {
          store,
          health,
          permissions: deps.permissions,
        });
        deps.httpRouter.use(
          await createRouter({
            ...deps,
            lifecycle,
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
