import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { crossAccountEfsPolicyDecision } from '@cross-account-efs/backstage-plugin-cross-account-efs-backend';

/**
 * For portals without a permission policy of their own: the cross-account
 * EFS four-eyes rule (see `crossAccountEfsPolicyDecision`), and every other
 * permission allowed, as Backstage's allow-all policy does. A portal with its
 * own policy calls `crossAccountEfsPolicyDecision` from it instead.
 *
 * @public
 */
export class CrossAccountEfsPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      crossAccountEfsPolicyDecision(request, user) ?? {
        result: AuthorizeResult.ALLOW,
      }
    );
  }
}
