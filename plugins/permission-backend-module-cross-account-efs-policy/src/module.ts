import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CrossAccountEfsPermissionPolicy } from './CrossAccountEfsPermissionPolicy';

/**
 * Sets {@link CrossAccountEfsPermissionPolicy} as the portal's permission
 * policy.
 *
 * @public
 */
export const permissionModuleCrossAccountEfsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'cross-account-efs-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CrossAccountEfsPermissionPolicy());
      },
    });
  },
});
