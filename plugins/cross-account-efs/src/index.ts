/**
 * Cross-account EFS in the portal. The default export is the plugin for the
 * new frontend system; the named legacy exports serve older apps.
 *
 * @packageDocumentation
 */
export { crossAccountEfsPlugin as default } from './plugin';
export {
  legacyCrossAccountEfsPlugin,
  CrossAccountEfsRequestsPage,
  CrossAccountEfsPreflightFieldExtension,
  CrossAccountEfsRequestReviewFieldExtension,
  EntityConnectionHealthCard,
} from './legacy';
export {
  crossAccountEfsApiRef,
  CrossAccountEfsClient,
} from './api/CrossAccountEfsApi';
export type {
  ConnectionHealth,
  CrossAccountEfsApi,
  PreflightAnswer,
} from './api/CrossAccountEfsApi';
export type { PreflightValue } from './fields/PreflightField';
