import {
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { REQUEST_RESOURCE_TYPE } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  createCrossAccountEfsRequestConditionalDecision,
  crossAccountEfsRequestConditions,
} from './requestConditions';

/**
 * The four-eyes rule for your own permission policy: a cross-account EFS
 * request is approved, rejected, provisioned, repaired and removed by members
 * of the group that owns its file system entity (a conditional decision that
 * this backend judges per request). Returns `undefined` for every other
 * permission, which stays your policy's to decide.
 *
 * ```ts
 * async handle(request: PolicyQuery, user?: PolicyQueryUser) {
 *   const decision = crossAccountEfsPolicyDecision(request, user);
 *   if (decision) return decision;
 *   // ... the rest of your policy
 * }
 * ```
 *
 * @public
 */
export function crossAccountEfsPolicyDecision(
  request: PolicyQuery,
  user?: PolicyQueryUser,
): PolicyDecision | undefined {
  if (!isResourcePermission(request.permission, REQUEST_RESOURCE_TYPE)) {
    return undefined;
  }
  return createCrossAccountEfsRequestConditionalDecision(
    request.permission,
    crossAccountEfsRequestConditions.isFileSystemOwner({
      claims: user?.info.ownershipEntityRefs ?? [],
    }),
  );
}
