import { z } from 'zod/v3';
import { connectionSpecSchema } from './connection';
import {
  directoryPermsSchema,
  gidRangeSchema,
  namespaceSchema,
  storageClassNameSchema,
  workloadIdentitySchema,
} from './storage';

/** What an application team asks for: which file system, which cluster, how. */
export const connectionOptionsSchema = z.object({
  storageClassName: storageClassNameSchema,
  namespace: namespaceSchema.optional(),
  directoryPerms: directoryPermsSchema.default('700'),
  gidRange: gidRangeSchema.optional(),
  nfsIngressMode: z
    .enum(['security-group', 'cidr'], {
      errorMap: () => ({ message: "must be 'security-group' or 'cidr'" }),
    })
    .default('security-group'),
  workloadIdentity: workloadIdentitySchema.default('irsa'),
});
export type ConnectionOptions = z.infer<typeof connectionOptionsSchema>;

const entityRefSchema = z
  .string()
  .regex(
    /^[a-z]+:[\w.-]+\/[\w.-]+$/i,
    'must be an entity reference, such as resource:default/shared-efs',
  );

/** The body of POST /requests: entity references, resolved by the backend. */
export const newRequestSchema = connectionOptionsSchema.extend({
  fileSystemRef: entityRefSchema,
  clusterRef: entityRefSchema,
});
export type NewRequest = z.input<typeof newRequestSchema>;

export const requestStatuses = [
  'pending',
  'approved',
  'provisioned',
  'failed',
  'removed',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export interface PlannedChangeView {
  layer: string;
  accountId: string;
  action: 'create' | 'update' | 'delete';
  resource: string;
  summary: string;
}

/** A request as the API returns it. */
export interface ConnectionRequest {
  id: string;
  status: RequestStatus;
  requester: string;
  approver?: string;
  fileSystemRef: string;
  clusterRef: string;
  spec: z.infer<typeof connectionSpecSchema>;
  options: ConnectionOptions;
  plan: {
    changes: PlannedChangeView[];
    blockers: Array<{ summary: string; remedy: string }>;
  };
  createdAt: string;
  updatedAt: string;
  /** Why the last provisioning run failed, when it did. */
  message?: string;
}
