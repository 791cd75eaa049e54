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

/** For apps still on the legacy frontend system. */
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

export const CrossAccountEfsPreflightFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: 'CrossAccountEfsPreflight',
    component: PreflightField,
    validation: preflightValidation as any,
  }),
);

export const CrossAccountEfsRequestReviewFieldExtension =
  scaffolderPlugin.provide(
    createScaffolderFieldExtension({
      name: 'CrossAccountEfsRequestReview',
      component: RequestReviewField,
    }),
  );

/** The connections' health card, for entity pages of legacy apps. */
export const EntityConnectionHealthCard = legacyCrossAccountEfsPlugin.provide(
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
