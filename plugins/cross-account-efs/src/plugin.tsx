import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import type { Entity } from '@backstage/catalog-model';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  CrossAccountEfsClient,
  crossAccountEfsApiRef,
} from './api/CrossAccountEfsApi';
import { rootRouteRef, templateRouteRef } from './routes';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: crossAccountEfsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CrossAccountEfsClient(deps),
    }),
});

const requestsPage = PageBlueprint.make({
  params: {
    path: '/cross-account-efs/requests',
    title: 'EFS requests',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/RequestsPage').then(m => <m.RequestsPage />),
  },
});

const preflightField = FormFieldBlueprint.make({
  name: 'preflight',
  params: {
    field: () =>
      import('./fields/PreflightField').then(m =>
        createFormField({
          name: 'CrossAccountEfsPreflight',
          component: m.PreflightField,
          validation: m.preflightValidation,
        }),
      ),
  },
});

const requestReviewField = FormFieldBlueprint.make({
  name: 'request-review',
  params: {
    field: () =>
      import('./fields/RequestReviewField').then(m =>
        createFormField({
          name: 'CrossAccountEfsRequestReview',
          component: m.RequestReviewField,
        }),
      ),
  },
});

const connectionHealthCard = EntityCardBlueprint.make({
  name: 'connection-health',
  params: {
    // File systems and clusters: the two ends of a connection.
    filter: (entity: Entity) =>
      entity.kind.toLowerCase() === 'resource' &&
      ['efs-file-system', 'kubernetes-cluster'].includes(
        String(entity.spec?.type),
      ),
    loader: () =>
      import('./components/ConnectionHealthCard').then(m => (
        <m.ConnectionHealthCard />
      )),
  },
});

/**
 * Cross-account EFS for the new frontend system.
 *
 * @public
 */
export const crossAccountEfsPlugin = createFrontendPlugin({
  pluginId: 'cross-account-efs',
  routes: { root: rootRouteRef },
  externalRoutes: { template: templateRouteRef },
  extensions: [
    api,
    requestsPage,
    preflightField,
    requestReviewField,
    connectionHealthCard,
  ],
});
