import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The integration harness runs the requests backend beside the actions it serves.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import crossAccountEfsPlugin from '@cross-account-efs/backstage-plugin-cross-account-efs-backend';
import type { ClientMiddleware } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  sandboxAwsIntegrationConfig,
  sandboxClusterEntity,
  sandboxFileSystemEntity,
  sandboxKubernetesConfig,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import yaml from 'yaml';
import { createCrossAccountEfsModule } from '../module';

/** The sandbox's people: who asks, who approves, who neither. */
export const USERS = {
  requester: 'user:default/requester',
  approver: 'user:default/approver',
  approver2: 'user:default/approver-2',
  guest: 'user:default/guest',
};
const APPROVERS = [USERS.approver, USERS.approver2];
const RESTRICTED = [
  'cross-account-efs.request.approve',
  'cross-account-efs.health.refresh',
];

/** The catalog of the sandbox: the file system, the cluster, and the repository's own templates. */
export function sandboxCatalog(extraTemplates: JsonObject[] = []) {
  const templatesDir = path.resolve(__dirname, '../../../../templates');
  const templates = fs
    .readdirSync(templatesDir)
    .map(dir =>
      yaml.parse(
        fs.readFileSync(path.join(templatesDir, dir, 'template.yaml'), 'utf8'),
      ),
    )
    .map(t => ({
      ...t,
      metadata: { namespace: 'default', ...t.metadata },
    }));
  return [
    sandboxFileSystemEntity(),
    sandboxClusterEntity(),
    ...templates,
    ...extraTemplates,
  ];
}

/** A template made from an action's example: what a catalog user could register. */
export function templateOf(name: string, steps: unknown[]): JsonObject {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/platform-team',
      type: 'storage',
      parameters: [
        {
          properties: { requestId: { type: 'string' } },
        },
      ],
      steps: steps as JsonObject[],
    },
  };
}

export interface TaskOutcome {
  status: string;
  /** Steps that started, in order. */
  steps: string[];
  log: string;
  output: any;
}

/** What a test does with a portal backend, through its HTTP API only. */
export interface PortalClient {
  as(user: string): string;
  /** Starts a catalog template as a user through the scaffolder's API; answers the task id. */
  start(user: string, template: string, values: JsonObject): Promise<string>;
  /** Waits for a task to end (at most two minutes), then answers what it did. */
  outcome(user: string, taskId: string): Promise<TaskOutcome>;
  /** A task's events so far, as the scaffolder stores them. */
  events(user: string, taskId: string): Promise<any[]>;
  /** Runs a catalog template as a user through the scaffolder's API, to its end. */
  run(user: string, template: string, values: JsonObject): Promise<TaskOutcome>;
  /** The scaffolder's dry-run endpoint: any template body, no catalog needed. */
  dryRun(
    user: string,
    template: JsonObject,
    values: JsonObject,
  ): Promise<{ status: number; log: string; steps: string[] }>;
  /** A new pending request for the sandbox connection, asked by the requester; answers its id. */
  ask(options?: { storageClassName?: string }): Promise<string>;
  /** The requests API, as a user. */
  api(
    user: string,
    method: 'get' | 'post',
    path: string,
    body?: object,
  ): Promise<request.Response>;
}

export interface PortalBackend extends PortalClient {
  server: any;
  stop(): Promise<void>;
  /** Notifications the backend sent. */
  notifications: any[];
}

/** Who may approve: the approvers above, for the restricted permissions. */
const sandboxPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    authorize: async (requests: any[], o?: any) =>
      requests.map(r => ({
        result:
          !RESTRICTED.includes(r.permission.name) ||
          APPROVERS.includes(o?.credentials.principal?.userEntityRef)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })) as any,
    authorizeConditional: async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
  }),
});

/**
 * A backend with the real scaffolder (task worker, templating, dry-run
 * endpoint), the real cross-account EFS backend and actions, on the AWS
 * emulator and the Kubernetes double. Service doubles: permissions (the
 * approvers above), the catalog's store, notifications (recorded), user
 * tokens (mock credentials); the events service is the real one. `config` is merged over the sandbox's (a
 * database, the scaffolder's task recovery). Needs no jest: a replica runs
 * it as its own process (see replicaProcess.ts).
 */
export async function startPortalBackend(
  sandbox: { kubernetes: { url: string; caData: string } },
  options: {
    middleware?: ClientMiddleware[];
    extraTemplates?: JsonObject[];
    notificationsFail?: boolean;
    config?: JsonObject;
  } = {},
): Promise<PortalBackend> {
  const notifications: any[] = [];
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      crossAccountEfsPlugin,
      // The module as it ships, its AWS clients given the test's middleware.
      createCrossAccountEfsModule({ middleware: options.middleware }),
      mockServices.rootConfig.factory({
        data: {
          aws: sandboxAwsIntegrationConfig(),
          kubernetes: sandboxKubernetesConfig(sandbox.kubernetes),
          crossAccountEfs: { approvers: ['group:default/platform-team'] },
          // One process: plugins hear each other's events in memory.
          events: { useEventBus: 'never' },
          ...options.config,
        },
      }),
      catalogServiceMock.factory({
        entities: sandboxCatalog(options.extraTemplates) as any,
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      sandboxPermissions,
      // The real events service (the test backend's gives each plugin its own):
      // the requests backend hears of the scaffolder's task ends.
      eventsServiceFactory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (n: any) => {
            if (options.notificationsFail)
              throw new Error('notifications down');
            notifications.push(n);
          },
        }),
      }),
    ],
  });
  return {
    ...portalClient(backend.server),
    server: backend.server,
    stop: () => backend.stop(),
    notifications,
  };
}

/** The HTTP API of a portal backend: an in-process server, or a replica's base URL. */
export function portalClient(target: any): PortalClient {
  const as = (user: string) => mockCredentials.user.header(user);
  let asked = 0;

  const client: PortalClient = {
    as,
    async start(user, template, values) {
      const created = await request(target)
        .post('/api/scaffolder/v2/tasks')
        .set('authorization', as(user))
        .send({ templateRef: `template:default/${template}`, values });
      if (created.status !== 201) {
        throw new Error(
          `task not created: ${created.status} ${JSON.stringify(created.body)}`,
        );
      }
      return created.body.id;
    },
    async events(user, id) {
      const res = await request(target)
        .get(`/api/scaffolder/v2/tasks/${id}/events`)
        .set('authorization', as(user));
      return res.body as any[];
    },
    async outcome(user, id) {
      let status = 'open';
      for (
        let i = 0;
        i < 1200 && !['completed', 'failed', 'cancelled'].includes(status);
        i++
      ) {
        await new Promise(r => setTimeout(r, 100));
        status = (
          await request(target)
            .get(`/api/scaffolder/v2/tasks/${id}`)
            .set('authorization', as(user))
        ).body.status;
      }
      const all = await client.events(user, id);
      const logs = all.filter(e => e.type === 'log');
      return {
        status,
        steps: [
          ...new Set(
            logs
              .filter(e => e.body.stepId && e.body.status === 'processing')
              .map(e => e.body.stepId as string),
          ),
        ],
        log: logs
          .map(e => `${e.body.stepId ?? ''} ${e.body.message}`)
          .join('\n'),
        output: all.find(e => e.type === 'completion')?.body.output,
      };
    },
    async run(user, template, values) {
      return client.outcome(user, await client.start(user, template, values));
    },
    async dryRun(user, template, values) {
      const res = await request(target)
        .post('/api/scaffolder/v2/dry-run')
        .set('authorization', as(user))
        .send({ template, values, secrets: {}, directoryContents: [] });
      const logs: any[] = res.body.log ?? [];
      return {
        status: res.status,
        // A step that fails ends the dry run with its error instead of a log.
        log: [
          ...logs.map(l => `${l.body?.stepId ?? ''} ${l.body?.message}`),
          ...(res.body.error ? [res.body.error.message] : []),
        ].join('\n'),
        steps: [
          ...new Set(
            logs
              .filter(l => l.body?.stepId && l.body?.status === 'processing')
              .map(l => l.body.stepId as string),
          ),
        ],
      };
    },
    async ask(o = {}) {
      const res = await request(target)
        .post('/api/cross-account-efs/requests')
        .set('authorization', as(USERS.requester))
        .send({
          fileSystemRef: 'resource:default/shared-efs',
          clusterRef: 'resource:default/apps-cluster',
          storageClassName: o.storageClassName ?? `efs-${++asked}`,
          namespace: 'team-a',
          nfsIngressMode: 'cidr',
        });
      if (res.status !== 201) {
        throw new Error(`request refused: ${JSON.stringify(res.body)}`);
      }
      return res.body.id;
    },
    api(user, method, p, body) {
      const call = request(target)
        [method](`/api/cross-account-efs${p}`)
        .set('authorization', as(user));
      return body ? call.send(body) : call;
    },
  };
  return client;
}

/**
 * For suites that need a fresh sandbox and a fresh backend in each test
 * (the backend's cached credentials would outlive the emulator's reset).
 */
export function portalPerTest(
  options: () => Parameters<typeof startPortalBackend>[1],
  onReset: () => void = () => {},
): { emulator: SeededEmulator; portal: PortalBackend } {
  const state = {} as { emulator: SeededEmulator; portal: PortalBackend };
  beforeAll(async () => {
    state.emulator = await startSeededEmulator();
  });
  beforeEach(async () => {
    await state.portal?.stop();
    await state.emulator.reset();
    onReset();
    state.portal = await startPortalBackend(state.emulator, options());
  });
  afterAll(() => state.emulator?.stop());
  return state;
}

/** Fails with the task's own log, so a broken run says where and why. */
export function expectCompleted(outcome: {
  status: string | number;
  log: string;
}) {
  if (outcome.status !== 'completed' && outcome.status !== 200) {
    throw new Error(`the task ended ${outcome.status}:\n${outcome.log}`);
  }
}
