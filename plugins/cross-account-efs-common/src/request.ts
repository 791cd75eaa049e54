import { z } from 'zod/v3';
import { connectionSpecSchema } from './connection';
import {
  directoryPermsSchema,
  gidRangeSchema,
  namespaceSchema,
  storageClassNameSchema,
  workloadIdentitySchema,
} from './storage';

/**
 * Namespaces a workload namespace may not be: the cluster's own, and the
 * default one, where a test claim and workloads would mix with everyone's.
 *
 * @public
 */
export const RESERVED_NAMESPACES = ['kube-system', 'kube-public', 'default'];

const workloadNamespaceSchema = namespaceSchema.refine(
  ns => !RESERVED_NAMESPACES.includes(ns),
  ns => ({
    message: `must not be ${ns}: it belongs to the cluster (or everyone); pick a namespace for this team's workloads, such as team-a`,
  }),
);

/**
 * How the two VPCs reach each other. `peering`: the portal makes (or takes
 * over) a VPC peering, its routes and the NFS rule. `existing`: connectivity
 * belongs to someone else (a Transit Gateway, a network team's IaC); the
 * portal creates and removes nothing in the network layers and only checks
 * that routes and the NFS rule are there.
 *
 * @public
 */
export const connectivityModes = ['peering', 'existing'] as const;
/** @public */
export type ConnectivityMode = (typeof connectivityModes)[number];

/**
 * What an application team asks for: which file system, which cluster, how.
 *
 * @public
 */
export const connectionOptionsSchema = z.object({
  storageClassName: storageClassNameSchema,
  namespace: workloadNamespaceSchema.optional(),
  directoryPerms: directoryPermsSchema.default('700'),
  gidRange: gidRangeSchema.optional(),
  connectivity: z
    .enum(connectivityModes, {
      errorMap: () => ({ message: "must be 'peering' or 'existing'" }),
    })
    .default('peering'),
  nfsIngressMode: z
    .enum(['security-group', 'cidr'], {
      errorMap: () => ({ message: "must be 'security-group' or 'cidr'" }),
    })
    .default('security-group'),
  workloadIdentity: workloadIdentitySchema.default('irsa'),
  /** Also allow ClientRootAccess: root in a pod acts as root on the file system. */
  rootAccess: z.boolean().default(false),
  /**
   * Let the peering's routes take traffic that a broader route sends
   * elsewhere today (a Transit Gateway, a firewall): refused unless set.
   */
  acceptRouteTakeover: z.boolean().optional(),
});
/** @public */
export type ConnectionOptions = z.infer<typeof connectionOptionsSchema>;

/** @public */
export const entityRefSchema = z
  .string()
  .regex(
    /^[a-z]+:[\w.-]+\/[\w.-]+$/i,
    'must be an entity reference, such as resource:default/shared-efs',
  );

/**
 * The body of POST /requests: entity references, resolved by the backend.
 *
 * @public
 */
export const newRequestSchema = connectionOptionsSchema.extend({
  fileSystemRef: entityRefSchema,
  clusterRef: entityRefSchema,
});
/** @public */
export type NewRequest = z.input<typeof newRequestSchema>;

/**
 * A request's life: pending, approved, provisioning, then provisioned or
 * failed; pending may end rejected or expired; any can go on to removing and
 * removed. A failed
 * request can be retried (provisioning again) or removed; a provisioned one
 * repaired (provisioning again) or removed.
 *
 * @public
 */
export const requestStatuses = [
  'pending',
  'approved',
  'provisioning',
  'provisioned',
  'failed',
  'rejected',
  'expired',
  'removing',
  'removed',
] as const;
/** @public */
export type RequestStatus = (typeof requestStatuses)[number];

/**
 * What a task does to a request's connection; the backend authorizes each.
 *
 * @public
 */
export const requestOperations = ['provision', 'remove'] as const;
/** @public */
export type RequestOperation = (typeof requestOperations)[number];

/**
 * The statuses from which an operation may start (or resume).
 *
 * @public
 */
export const operationStartsFrom: Record<RequestOperation, RequestStatus[]> = {
  provision: ['approved', 'provisioning', 'provisioned', 'failed'],
  remove: ['approved', 'provisioned', 'failed', 'removing'],
};

/**
 * Where the last task on a request failed, and why.
 *
 * @public
 */
export interface RequestFailure {
  /** The operation that failed. */
  operation: RequestOperation;
  /** The template step (or action) that failed. */
  step: string;
  message: string;
  at: string;
}

/** @public */
export interface PlannedChangeView {
  layer: string;
  accountId: string;
  action: 'create' | 'update' | 'delete';
  resource: string;
  summary: string;
}

/**
 * A request as the API returns it.
 *
 * @public
 */
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
    blockers: Array<{ layer?: string; summary: string; remedy: string }>;
  };
  createdAt: string;
  updatedAt: string;
  /** A pending request expires unless approved or rejected by then. */
  expiresAt?: string;
  /** Who rejected it, and why. */
  rejectedBy?: string;
  reason?: string;
  /** Where the last provisioning or removal task failed, while status is failed. */
  failure?: RequestFailure;
  /** The scaffolder task that runs (or last ran) its provisioning or removal. */
  taskId?: string;
}
