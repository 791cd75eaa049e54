import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { requestApprovePermission } from '@internal/plugin-cross-account-efs-common';

/**
 * Approving a cross-account EFS request is for members of the groups in
 * `crossAccountEfs.approvers`; everything else is open to signed-in users
 * (the sandbox's policy; bring your own in production).
 */
export class CrossAccountEfsPolicy implements PermissionPolicy {
  constructor(private readonly approvers: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name === requestApprovePermission.name) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      return {
        result: this.approvers.some(a => refs.includes(a))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'cross-account-efs-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new CrossAccountEfsPolicy(
            config.getOptionalStringArray('crossAccountEfs.approvers') ?? [],
          ),
        );
      },
    });
  },
});
