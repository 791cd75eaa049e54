import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ConnectionRequest,
  connectionOptionsSchema,
  gidRangeSchema,
  newRequestSchema,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { RequestsClient } from '../requests/RequestsClient';
import { parseInput } from './engineForAction';
import { plan } from './outputProperties';
import {
  approveExamples,
  createExamples,
  getExamples,
} from './request.examples';

const requestFields = newRequestSchema.shape;
const createShape = {
  ...(Object.fromEntries(
    Object.entries(requestFields).map(([k, v]) => [k, () => v]),
  ) as { [K in keyof typeof requestFields]: () => (typeof requestFields)[K] }),
  // Forms ask for "first-last"; the API takes { start, end }.
  gidRange: () =>
    z
      .union([
        z
          .string()
          .regex(/^\d+-\d+$/, 'must be first-last, such as 50000-60000')
          .transform(s => {
            const [start, end] = s.split('-').map(Number);
            return { start, end };
          })
          .pipe(gidRangeSchema),
        gidRangeSchema,
      ])
      .optional()
      .describe('POSIX gids for access points: "first-last" or { start, end }'),
};

const requestIdShape = {
  requestId: () =>
    z
      .string()
      .uuid('must be the id of a connection request (a UUID)')
      .describe('The connection request'),
};

const requestOutputs = {
  requestId: () => z.string().optional().describe('The request'),
  status: () => z.string().optional().describe('Its status'),
};

/** The request form's step: records the request with its plan; approvers are told. */
export function createRequestCreateAction(requests: RequestsClient) {
  return createTemplateAction({
    id: 'cross-account-efs:request:create',
    examples: createExamples,
    description:
      'Records a connection request (file system and cluster catalog entities, StorageClass, namespace, permissions) with the plan provisioning would carry out, and notifies the approvers. Runs preflight first: a request that cannot work is refused with every problem and its fix.',
    schema: { input: createShape, output: { ...requestOutputs, plan } },
    async handler(ctx) {
      const input = parseInput(createShape, ctx.input);
      if (ctx.isDryRun) {
        ctx.logger.info('dry run: the request is not recorded');
        return;
      }
      const request = await ctx.checkpoint({
        key: `request:create:${ctx.task.id}`,
        fn: async () =>
          (
            await requests.create(await ctx.getInitiatorCredentials(), input)
          ).id,
      });
      const recorded = await requests.get(
        await ctx.getInitiatorCredentials(),
        request,
      );
      ctx.logger.info(
        `Recorded request ${recorded.id}: ${recorded.plan.changes.length} planned changes`,
      );
      ctx.output('requestId', recorded.id);
      ctx.output('status', recorded.status);
      ctx.output('plan', recorded.plan.changes);
    },
  });
}

const requestOutput = {
  ...requestOutputs,
  connection: () =>
    z
      .record(z.unknown())
      .optional()
      .describe('fileSystem and cluster, as recorded'),
  options: () =>
    connectionOptionsSchema
      .partial()
      .optional()
      .describe('The options, as recorded'),
  fileSystemRef: () => z.string().optional(),
  clusterRef: () => z.string().optional(),
};

function outputRequest(
  ctx: { output(name: string, value: any): void },
  request: ConnectionRequest,
) {
  ctx.output('requestId', request.id);
  ctx.output('status', request.status);
  ctx.output('connection', request.spec);
  ctx.output('options', request.options);
  ctx.output('fileSystemRef', request.fileSystemRef);
  ctx.output('clusterRef', request.clusterRef);
}

/** Reads a request (read permission), for templates that act on one, such as deprovisioning. */
export function createRequestGetAction(requests: RequestsClient) {
  return createTemplateAction({
    id: 'cross-account-efs:request:get',
    examples: getExamples,
    description:
      "Reads a connection request as the task's initiator and outputs its connection and options.",
    supportsDryRun: true,
    schema: { input: requestIdShape, output: requestOutput },
    async handler(ctx) {
      const { requestId } = parseInput(requestIdShape, ctx.input);
      outputRequest(
        ctx,
        await requests.get(await ctx.getInitiatorCredentials(), requestId),
      );
    },
  });
}

/**
 * The provisioning template's first step. The backend approves only a
 * pending request, only for a user with the approve permission who did not
 * ask for it; a request approved before (a retry, a repair) passes as it
 * is. Every later step re-checks the initiator on its own.
 */
export function createRequestApproveAction(requests: RequestsClient) {
  return createTemplateAction({
    id: 'cross-account-efs:request:approve',
    examples: approveExamples,
    description:
      "Approves a pending connection request as the task's initiator (four eyes: never its requester; needs cross-account-efs.request.approve); a request already approved (retry, repair) passes as it is. Outputs the request as recorded, for the task's readers.",
    supportsDryRun: true,
    schema: { input: requestIdShape, output: requestOutput },
    async handler(ctx) {
      const { requestId } = parseInput(requestIdShape, ctx.input);
      const credentials = await ctx.getInitiatorCredentials();
      const request = ctx.isDryRun
        ? await requests.get(credentials, requestId)
        : await requests.approve(credentials, requestId);
      ctx.logger.info(
        `Request ${request.id} by ${request.requester} is ${request.status}${
          request.approver ? `, approved by ${request.approver}` : ''
        }`,
      );
      outputRequest(ctx, request);
    },
  });
}
