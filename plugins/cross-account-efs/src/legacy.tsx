import {
  createComponentExtension,
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createScaffolderFieldExtension,
  scaffolderPlugin,
} from '@backstage/plugin-scaffolder';
import {
  CrossAccountEfsClient,
  crossAccountEfsApiRef,
} from './api/CrossAccountEfsApi';
import { PreflightField, preflightValidation } from './fields/PreflightField';
import { RequestReviewField } from './fields/RequestReviewField';
import { templateRouteRef } from './routes';

const legacyRootRouteRef = createRouteRef({ id: 'cross-account-efs' });

/**
 * For apps still on the legacy frontend system.
 *
 * @public
 */
export const legacyCrossAccountEfsPlugin = createPlugin({
  id: 'cross-account-efs',
  routes: { root: legacyRootRouteRef },
  externalRoutes: { template: templateRouteRef },
  apis: [
    createApiFactory({
      api: crossAccountEfsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CrossAccountEfsClient(deps),
    }),
  ],
});

/** @public */
export const CrossAccountEfsRequestsPage = legacyCrossAccountEfsPlugin.provide(
  createRoutableExtension({
    name: 'CrossAccountEfsRequestsPage',
    component: () =>
      import('./components/RequestsPage').then(m => () => (
        <m.RequestsPage withHeader />
      )),
    mountPoint: legacyRootRouteRef,
  }),
);

/** @public */
export const CrossAccountEfsPreflightFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: 'CrossAccountEfsPreflight',
    component: PreflightField,
    validation: preflightValidation as any,
  }),
);

/** @public */
export const CrossAccountEfsRequestReviewFieldExtension =
  scaffolderPlugin.provide(
    createScaffolderFieldExtension({
      name: 'CrossAccountEfsRequestReview',
      component: RequestReviewField,
    }),
  );

/**
 * The connections' health card, for entity pages of legacy apps.
 *
 * @public
 */
export const EntityConnectionHealthCard: () => JSX.Element =
  legacyCrossAccountEfsPlugin.provide(
    createComponentExtension({
      name: 'EntityConnectionHealthCard',
      component: {
        lazy: () =>
          import('./components/ConnectionHealthCard').then(
            m => m.ConnectionHealthCard,
          ),
      },
    }),
  );
