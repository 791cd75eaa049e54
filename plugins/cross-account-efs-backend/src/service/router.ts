import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  describeInvalidInput,
  newRequestSchema,
  healthRefreshPermission,
  requestApprovePermission,
  requestCreatePermission,
  requestReadPermission,
} from '@internal/plugin-cross-account-efs-common';
import {
  AwsClients,
  createEngineContext,
  discoverTopology,
  KubernetesClusters,
  planConnection,
  preflight,
} from '@internal/plugin-cross-account-efs-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { resolveConnection } from './resolveConnection';
import { HealthStore } from './HealthStore';
import { HealthSweep } from './HealthSweep';
import { RequestStore } from './RequestStore';

export interface RouterOptions {
  store: RequestStore;
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

const completeSchema = z.object({
  status: z.enum(['provisioned', 'failed', 'removed']),
  message: z.string().max(4000).optional(),
});

const preflightSchema = z.object({
  fileSystemRef: z.string(),
  clusterRef: z.string(),
});

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth, permissions, catalog, logger, config } = options;
  const router = Router();
  router.use(express.json());

  /** The signed-in user, allowed the permission, or 403. */
  async function user(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
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
    const spec = await resolveConnection(catalog, refs, credentials);
    try {
      const t = await discoverTopology(engine(), spec);
      res.json({
        spec,
        problems: preflight(spec, t.fileSystem, t.cluster).problems,
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
    const spec = await resolveConnection(catalog, body, credentials);
    const { fileSystemRef, clusterRef, ...connectionOptions } = body;
    const plan = await planConnection(engine(), spec, connectionOptions);
    const request = await store.insert({
      requester: userRef,
      fileSystemRef,
      clusterRef,
      spec,
      options: connectionOptions,
      plan: { changes: plan.changes, blockers: plan.blockers },
    });
    logger.info(
      `Connection request ${request.id} by ${userRef}: ${fileSystemRef} -> ${clusterRef}`,
    );
    const approvers =
      config.getOptionalStringArray('crossAccountEfs.approvers') ?? [];
    if (options.notifications && approvers.length) {
      await options.notifications.send({
        recipients: { type: 'entity', entityRef: approvers },
        payload: {
          title: `Cross-account EFS request from ${userRef}`,
          description: `${fileSystemRef} for ${clusterRef} (${plan.changes.length} changes). Review and provision it.`,
          link: `/cross-account-efs/requests/${request.id}`,
          topic: 'cross-account-efs',
        },
      });
    }
    res.status(201).json(request);
  });

  router.get('/requests', async (req, res) => {
    await user(req, requestReadPermission);
    const entityRef =
      typeof req.query.entityRef === 'string' ? req.query.entityRef : undefined;
    res.json({ items: await store.list({ entityRef }) });
  });

  router.get('/requests/:id', async (req, res) => {
    await user(req, requestReadPermission);
    res.json(await store.get(req.params.id));
  });

  /**
   * Four eyes: the caller holds the approve permission and is not the
   * requester; only a pending request can be approved. Approving again,
   * by the same approver, answers the request as it is (a retried task).
   */
  router.post('/requests/:id/approve', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    const request = await store.get(req.params.id);
    if (request.requester === userRef) {
      throw new NotAllowedError(
        `${userRef} asked for this connection and cannot approve it: another approver must.`,
      );
    }
    if (request.approver === userRef && request.status !== 'pending') {
      res.json(request);
      return;
    }
    res.json(
      await store.transition(request.id, ['pending'], 'approved', {
        approver: userRef,
      }),
    );
  });

  /** Provisioning's outcome, reported by its approver's task. */
  router.post('/requests/:id/complete', async (req, res) => {
    const { userRef } = await user(req, requestApprovePermission);
    const body = parse(completeSchema, req.body);
    const request = await store.get(req.params.id);
    if (request.approver !== userRef) {
      throw new NotAllowedError(
        `Only ${request.approver ?? 'its approver'} can report on request ${
          request.id
        }.`,
      );
    }
    const from =
      body.status === 'removed'
        ? (['provisioned', 'failed', 'approved'] as const)
        : (['approved', 'failed', 'provisioned'] as const);
    res.json(
      await store.transition(request.id, [...from], body.status, {
        message: body.message ?? null,
      }),
    );
  });

  /** The latest health of every connection of a file system or a cluster. */
  router.get('/health', async (req, res) => {
    await user(req, requestReadPermission);
    const entityRef = parse(
      z.object({ entityRef: z.string().min(1) }),
      req.query,
    ).entityRef;
    const requests = (await store.list({ entityRef })).filter(
      r => r.status === 'provisioned' || r.status === 'failed',
    );
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
