import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  BasicPermission,
  isResourcePermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConnectionRequest,
  describeInvalidInput,
  entityRefSchema,
  newRequestSchema,
  requestOperations,
  healthRefreshPermission,
  requestApprovePermission,
  requestCreatePermission,
  requestReadPermission,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  AwsClients,
  createEngineContext,
  discoverTopology,
  KubernetesClusters,
  planConnection,
  planRemoval,
  preflight,
  recommendConnectivity,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { entityMappingFromConfig } from './entityMapping';
import { resolveConnection } from './resolveConnection';
import { HealthStore } from './HealthStore';
import { HealthSweep } from './HealthSweep';
import { RequestLifecycle } from './RequestLifecycle';
import { RequestStore } from './RequestStore';

export interface RouterOptions {
  store: RequestStore;
  lifecycle: RequestLifecycle;
  health: HealthStore;
  sweep: HealthSweep;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  notifications?: NotificationService;
  logger: LoggerService;
  config: Config;
  aws: AwsClients;
  kubernetes: KubernetesClusters;
}

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(
      `Invalid request: ${describeInvalidInput(result.error)}`,
    );
  }
  return result.data;
}

const operation = z.enum(requestOperations, {
  errorMap: () => ({ message: "must be 'provision' or 'remove'" }),
});
const authorizeSchema = z.object({
  operation,
  dryRun: z.boolean().default(false),
  /** The scaffolder task asking: its end without an outcome fails the request. */
  taskId: z.string().min(1).max(200).optional(),
});
const completeSchema = z.object({ operation });
const failSchema = z.object({
  operation,
  step: z.string().min(1).max(200),
  message: z.string().max(8000),
  blockers: z
    .array(
      z.object({
        layer: z.string().optional(),
        summary: z.string(),
        remedy: z.string(),
      }),
    )
    .max(200)
    .optional(),
});
const rejectSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'must say why, for the requester')
    .max(2000, 'must be at most 2000 characters'),
});

const preflightSchema = z.object({
  fileSystemRef: entityRefSchema,
  clusterRef: entityRefSchema,
});

const requestIdSchema = z.string().uuid();

/** Statuses in which a request holds its StorageClass name on its cluster. */
const HOLDS_NAME = [
  'pending',
  'approved',
  'provisioning',
  'provisioned',
  'failed',
  'removing',
] as const;
const sameCluster = (a: ConnectionRequest['spec'], b: typeof a) =>
  a.cluster.accountId === b.cluster.accountId &&
  a.cluster.region === b.cluster.region &&
  a.cluster.clusterName === b.cluster.clusterName;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, lifecycle, httpAuth, permissions, catalog, logger, config } =
    options;
  const expiresAfterDays =
    config.getOptionalNumber('crossAccountEfs.requests.expireAfterDays') ?? 14;
  const mapping = entityMappingFromConfig(config);
  const router = Router();
  router.use(express.json());

  /**
   * The signed-in user, allowed the permission, or 403. A resource
   * permission is decided for the request in the path (conditional
   * decisions, such as "owners of its file system", are applied to it).
   */
  async function user(
    req: express.Request,
    permission: BasicPermission | ResourcePermission,
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [
        isResourcePermission(permission)
          ? { permission, resourceRef: req.params.id }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You do not have the ${permission.name} permission.`,
      );
    }
    return { credentials, userRef: credentials.principal.userEntityRef };
  }

  const engine = () =>
    createEngineContext({
      aws: options.aws,
      kubernetes: options.kubernetes,
      logger,
    });

  router.post('/preflight', async (req, res) => {
    const { credentials } = await user(req, requestCreatePermission);
    const refs = parse(preflightSchema, req.body);
    const spec = await resolveConnection(catalog, refs, credentials, mapping);
    try {
      const ctx = engine();
      const t = await discoverTopology(ctx, spec);
      res.json({
        spec,
        problems: preflight(spec, t.fileSystem, t.cluster).problems,
        recommendation: await recommendConnectivity(ctx, t),
      });
    } catch (e) {
      // A side that cannot be discovered is a problem to show, not a crash.
      res.json({
        spec,
        problems: [
          {
            field: 'connection',
            summary: (e as Error).message,
            remedy:
              'Check the catalog entity and that the portal can reach that account.',
          },
        ],
      });
    }
  });

  router.post('/requests', async (req, res) => {
    const { credentials, userRef } = await user(req, requestCreatePermission);
    const body = parse(newRequestSchema, req.body);
    const spec = await resolveConnection(catalog, body, credentials, mapping);
    const { fileSystemRef, clusterRef, ...connectionOptions } = body;
    const taken = (await store.list({ status: [...HOLDS_NAME] })).find(
      r =>
        sameCluster(r.spec, spec) &&
        r.options.storageClassName === connectionOptions.storageClassName,
    );
    if (taken) {
      throw new InputError(
        `storageClassName: ${connectionOptions.storageClassName} is already used on ${spec.cluster.clusterName} by request ${taken.id} (${taken.status}). Pick another name, or remove that connection first.`,
      );
    }
    const plan = await planConnection(engine(), spec, connectionOptions);
    const request = await store.insert({
      requester: userRef,
      fileSystemRef,
      clusterRef,
      spec,
      options: connectionOptions,
      plan: { changes: plan.changes, blockers: plan.blockers },
      expiresAt: new Date(Date.now() + expiresAfterDays * 24 * 3600 * 1000),
    });
    logger.info(
      `Connection request ${request.id} by ${userRef}: ${fileSystemRef} -> ${clusterRef}`,
    );
    const approvers =
      config.getOptionalStringArray('crossAccountEfs.approvers') ?? [];
    if (options.notifications && approvers.length) {
      // The request is recorded either way; a notification outage is logged.
      await options.notifications
        .send({
          recipients: { type: 'entity', entityRef: approvers },
          payload: {
            title: `Cross-account EFS request from ${userRef}`,
            description: `${fileSystemRef} for ${clusterRef} (${plan.changes.length} changes). Review and provision it.`,
            link: `/cross-account-efs/requests?id=${request.id}`,
            topic: 'cross-account-efs',
          },
        })
        .catch(e =>
          logger.warn(
            `Could not notify the approvers of request ${request.id}: ${e.message}`,
          ),
        );
    }
    res.status(201).json(request);
  });

  router.get('/requests', async (req, res) => {
    await user(req, requestReadPermission);
    const entityRef =
      typeof req.query.entityRef === 'string' ? req.query.entityRef : undefined;
    res.json({ items: await store.list({ entityRef }) });
  });

  /** An id that is not a request's is not found, whatever its shape. */
  router.param('id', (_req, _res, next, id) => {
    next(
      requestIdSchema.safeParse(id).success
        ? undefined
        : new NotFoundError(`No connection request ${id}`),
    );
  });

  router.get('/requests/:id', async (req, res) => {
    await user(req, requestReadPermission);
    res.json(await store.get(req.params.id));
  });

  /**
   * What removing a request's connection would change now, layer by layer
   * in removal order, and what blocks it: the approver's review before
   * removal. Reads only.
   */
  router.get('/requests/:id/removal-plan', async (req, res) => {
    await user(req, requestApprovePermission);
    const request = await store.get(req.params.id);
    const plan = await planRemoval(engine(), request.spec, request.options);
    res.json({ changes: plan.changes, blockers: plan.blockers });
  });

  /** Four eyes: an approver, never the requester, approves a pending request. */
  router.post('/requests/:id/approve', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    res.json(await lifecycle.approve(req.params.id, userRef));
  });

  router.post('/requests/:id/reject', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    const { reason } = parse(rejectSchema, req.body);
    res.json(await lifecycle.reject(req.params.id, userRef, reason));
  });

  /**
   * Asked by every action that changes AWS or Kubernetes, on behalf of the
   * task's initiator, before its first call: may this user run this
   * operation on this request? Answers the request, whose recorded values
   * are all the action works from.
   */
  router.post('/requests/:id/authorize', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    const body = parse(authorizeSchema, req.body);
    res.json(
      await lifecycle.authorize(req.params.id, userRef, body.operation, {
        dryRun: body.dryRun,
        taskId: body.taskId,
      }),
    );
  });

  router.post('/requests/:id/complete', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    const body = parse(completeSchema, req.body);
    res.json(await lifecycle.complete(req.params.id, userRef, body.operation));
  });

  router.post('/requests/:id/fail', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    const { operation: op, ...failure } = parse(failSchema, req.body);
    res.json(await lifecycle.fail(req.params.id, userRef, op, failure));
  });

  /** The latest health of every connection of a file system or a cluster. */
  router.get('/health', async (req, res) => {
    await user(req, requestReadPermission);
    const entityRef = parse(
      z.object({ entityRef: z.string().min(1) }),
      req.query,
    ).entityRef;
    const requests = await store.list({
      entityRef,
      status: ['provisioning', 'provisioned', 'failed', 'removing'],
    });
    const snapshots = await options.health.forEntity(entityRef);
    res.json({
      items: requests.map(r => ({
        request: r,
        snapshot: snapshots.find(s => s.requestId === r.id),
      })),
    });
  });

  /** Checks one connection now (the scheduled sweep checks them all). */
  router.post('/health/:id/refresh', async (req, res) => {
    await user(req, healthRefreshPermission);
    const request = await store.get(req.params.id);
    const [snapshot] = await options.sweep.check([request]);
    res.json({ request, snapshot });
  });

  return router;
}
