import { createPermission } from '@backstage/plugin-permission-common';

/** Ask for a connection (the request form). */
export const requestCreatePermission = createPermission({
  name: 'cross-account-efs.request.create',
  attributes: { action: 'create' },
});

/** Approve someone else's request, which lets the provisioning actions run for it. */
export const requestApprovePermission = createPermission({
  name: 'cross-account-efs.request.approve',
  attributes: { action: 'update' },
});

/** See requests and their plans. */
export const requestReadPermission = createPermission({
  name: 'cross-account-efs.request.read',
  attributes: { action: 'read' },
});

/** Ask for a fresh health check of one connection now. */
export const healthRefreshPermission = createPermission({
  name: 'cross-account-efs.health.refresh',
  attributes: { action: 'update' },
});

export const crossAccountEfsPermissions = [
  healthRefreshPermission,
  requestCreatePermission,
  requestApprovePermission,
  requestReadPermission,
];
