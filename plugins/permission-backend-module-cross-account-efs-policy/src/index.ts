/**
 * A permission policy for portals without one: cross-account EFS approvals
 * by the file system's owners, everything else allowed.
 *
 * @packageDocumentation
 */
export { permissionModuleCrossAccountEfsPolicy as default } from './module';
export { CrossAccountEfsPermissionPolicy } from './CrossAccountEfsPermissionPolicy';
