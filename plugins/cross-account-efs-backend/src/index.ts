/**
 * The cross-account EFS backend plugin: requests, approvals, permissions.
 *
 * @packageDocumentation
 */
export { crossAccountEfsPlugin as default } from './plugin';
export { RequestStore } from './service/RequestStore';
export {
  crossAccountEfsRequestConditions,
  createCrossAccountEfsRequestConditionalDecision,
  requestPermissionRules,
  requestResourceRef,
} from './permissions/requestConditions';
export type { RequestResource } from './permissions/requestConditions';
