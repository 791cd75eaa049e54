/**
 * The cross-account EFS backend plugin: requests, approvals, permissions.
 *
 * @packageDocumentation
 */
export { crossAccountEfsPlugin as default } from './plugin';
export { RequestStore } from './service/RequestStore';
