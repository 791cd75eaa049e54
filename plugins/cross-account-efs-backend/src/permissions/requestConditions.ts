import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  ConnectionRequest,
  REQUEST_RESOURCE_TYPE,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { z } from 'zod';

/**
 * A request as permission rules see it: with the owner of its file system entity.
 *
 * @public
 */
export interface RequestResource {
  request: ConnectionRequest;
  /** The file system entity's owner, as a full entity ref; undefined if it cannot be read. */
  fileSystemOwner?: string;
}

/** Rules judge one request at a time; there is no query form. */
export type RequestQuery = never;

/** @public */
export const requestResourceRef = createPermissionResourceRef<
  RequestResource,
  RequestQuery
>().with({
  pluginId: 'cross-account-efs',
  resourceType: REQUEST_RESOURCE_TYPE,
});

/** A full entity ref of an owner as the catalog writes `spec.owner` (kind group by default). */
export function ownerRef(owner: string, namespace = 'default'): string {
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: namespace,
    }),
  );
}

const isFileSystemOwner = createPermissionRule({
  name: 'IS_FILE_SYSTEM_OWNER',
  description:
    "Allow when the request's file system entity is owned by one of the given entities (pass the user's ownership refs as claims)",
  resourceRef: requestResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs the user owns through, e.g. the groups they are a member of',
      ),
  }),
  apply: (resource, { claims }) =>
    resource.fileSystemOwner !== undefined &&
    claims.map(c => ownerRef(c)).includes(resource.fileSystemOwner),
  toQuery: () => {
    throw new Error('IS_FILE_SYSTEM_OWNER judges loaded requests only');
  },
});

/** @public */
export const requestPermissionRules = { isFileSystemOwner };

const requestConditionExports = createConditionExports({
  resourceRef: requestResourceRef,
  rules: requestPermissionRules,
});

/**
 * For permission policies: conditions on a request, for
 * {@link createCrossAccountEfsRequestConditionalDecision}.
 *
 * @public
 */
export const crossAccountEfsRequestConditions =
  requestConditionExports.conditions;

/**
 * For permission policies: the decision that wraps request conditions.
 * Example: members of the file system's owning group approve.
 *
 * ```ts
 * if (isResourcePermission(request.permission, REQUEST_RESOURCE_TYPE)) {
 *   return createCrossAccountEfsRequestConditionalDecision(
 *     request.permission,
 *     crossAccountEfsRequestConditions.isFileSystemOwner({
 *       claims: user?.info.ownershipEntityRefs ?? [],
 *     }),
 *   );
 * }
 * ```
 *
 * @public
 */
export const createCrossAccountEfsRequestConditionalDecision =
  requestConditionExports.createConditionalDecision;
