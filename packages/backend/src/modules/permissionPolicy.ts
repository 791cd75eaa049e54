import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  crossAccountEfsRequestConditions,
  createCrossAccountEfsRequestConditionalDecision,
} from '@internal/plugin-cross-account-efs-backend';
import { REQUEST_RESOURCE_TYPE } from '@internal/plugin-cross-account-efs-common';

/**
 * The sandbox's policy. A cross-account EFS request is approved (rejected,
 * provisioned, repaired, removed) by members of the group that owns its file
 * system entity: a conditional decision, judged per request by the
 * cross-account-efs backend. Everything else is open to signed-in users.
 * Bring your own policy in production; the conditions are exported for it.
 */
export class CrossAccountEfsPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isResourcePermission(request.permission, REQUEST_RESOURCE_TYPE)) {
      return createCrossAccountEfsRequestConditionalDecision(
        request.permission,
        crossAccountEfsRequestConditions.isFileSystemOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'cross-account-efs-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CrossAccountEfsPolicy());
      },
    });
  },
});
