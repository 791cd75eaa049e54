import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { iamRoleNameSchema } from '@internal/plugin-cross-account-efs-common';
import { IamResult, planIam } from '@internal/plugin-cross-account-efs-node';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import { examples } from './iam.examples';
import {
  discoveredNetworks,
  requestId,
  workloadIdentity,
} from './inputProperties';
import { plan } from './outputProperties';

const inputShape = {
  ...discoveredNetworks,
  requestId,
  workloadIdentity,
  csiDriverRoleName: () =>
    iamRoleNameSchema
      .optional()
      .describe(
        "The EFS CSI driver's role in the cluster's account. Default: the role the installed add-on already uses, else efs-csi-driver-<cluster>",
      ),
  efsAccessRoleName: () =>
    iamRoleNameSchema
      .optional()
      .describe(
        'The role the driver assumes in the file system account. Default: efs-csi-x-account-<cluster account>-<cluster>',
      ),
  rootAccess: () =>
    z
      .boolean()
      .default(false)
      .describe(
        'Also allow elasticfilesystem:ClientRootAccess (root in a pod is root on the file system). Off unless you need it.',
      ),
};

const arn = (what: string) => () => z.string().optional().describe(what);

/** Seed steps 9 and 10.3-10.5, least privilege. */
export function createIamAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:iam',
    description:
      "Creates the IAM side of a connection. In the cluster's account: the cluster's OIDC provider (for IRSA) and the EFS CSI driver's role, allowed to assume the file system account's role and to mount the file system. In the file system's account: a role trusted only by the driver's role, with an external id (kept out of logs and outputs; the kubernetes step reads it from the role), allowed to manage the driver's access points on this file system; and statements in the file system policy that let the driver's role mount and deny non-TLS access, merged into the existing policy.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: {
        csiDriverRoleArn: arn(
          "The EFS CSI driver's role, in the cluster's account",
        ),
        efsAccessRoleArn: arn(
          "The role the driver assumes, in the file system's account",
        ),
        oidcProviderArn: arn("The cluster's IAM OIDC provider (IRSA only)"),
        plan,
      },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      let planned: IamResult | undefined;
      const result = await ensureLayer(deps, ctx, input, async (engine, t) => {
        const layer = await planIam(engine, t, input);
        planned = layer.outcome;
        return layer;
      });
      // The ARNs are known before anything is created, so a dry run of the
      // whole template can hand them to the next steps.
      const arns = result ?? planned!;
      ctx.output('csiDriverRoleArn', arns.csiDriverRoleArn);
      ctx.output('efsAccessRoleArn', arns.efsAccessRoleArn);
      if (arns.oidcProviderArn)
        ctx.output('oidcProviderArn', arns.oidcProviderArn);
    },
  });
}
