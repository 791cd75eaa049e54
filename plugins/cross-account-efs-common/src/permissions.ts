import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Ask for a connection (the request form).
 *
 * @public
 */
export const requestCreatePermission = createPermission({
  name: 'cross-account-efs.request.create',
  attributes: { action: 'create' },
});

/**
 * The resource type of a connection request, for conditional permission decisions.
 *
 * @public
 */
export const REQUEST_RESOURCE_TYPE = 'cross-account-efs-request';

/**
 * Approve someone else's request, reject it, provision, retry, repair or
 * remove its connection. A resource permission: a policy can decide per
 * request, for example "members of the group that owns its file system".
 *
 * @public
 */
export const requestApprovePermission = createPermission({
  name: 'cross-account-efs.request.approve',
  attributes: { action: 'update' },
  resourceType: REQUEST_RESOURCE_TYPE,
});

/**
 * See requests and their plans.
 *
 * @public
 */
export const requestReadPermission = createPermission({
  name: 'cross-account-efs.request.read',
  attributes: { action: 'read' },
});

/**
 * Ask for a fresh health check of one connection now.
 *
 * @public
 */
export const healthRefreshPermission = createPermission({
  name: 'cross-account-efs.health.refresh',
  attributes: { action: 'update' },
});

/** @public */
export const crossAccountEfsPermissions = [
  healthRefreshPermission,
  requestCreatePermission,
  requestApprovePermission,
  requestReadPermission,
];
