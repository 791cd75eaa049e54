/**
 * The cross-account EFS backend plugin: requests, approvals, permissions.
 *
 * @packageDocumentation
 */
export { crossAccountEfsPlugin as default } from './plugin';
export {
  crossAccountEfsRequestConditions,
  createCrossAccountEfsRequestConditionalDecision,
  requestPermissionRules,
  requestResourceRef,
} from './permissions/requestConditions';
export type { RequestResource } from './permissions/requestConditions';
export { crossAccountEfsPolicyDecision } from './permissions/approvalPolicy';
