import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  driverVersionSchema,
  MIN_CROSS_ACCOUNT_DRIVER,
  supportsCrossAccount,
} from '@internal/plugin-cross-account-efs-common';
import { planCsiDriver } from '@internal/plugin-cross-account-efs-node';
import { examples } from './csiDriver.examples';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import {
  discoveredNetworks,
  requestId,
  workloadIdentity,
} from './inputProperties';
import { plan } from './outputProperties';

const inputShape = {
  ...discoveredNetworks,
  requestId,
  csiDriverRoleArn: () =>
    z
      .string()
      .regex(
        /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        'must be an IAM role ARN, such as arn:aws:iam::222222222222:role/efs-csi-driver-apps-cluster (output csiDriverRoleArn of cross-account-efs:iam)',
      )
      .describe(
        "The driver's role, as output by cross-account-efs:iam (output `csiDriverRoleArn`)",
      ),
  workloadIdentity,
  driverVersion: () =>
    driverVersionSchema
      .refine(supportsCrossAccount, {
        message: `must be v${MIN_CROSS_ACCOUNT_DRIVER} or later: older EFS CSI drivers cannot pass an external id when they assume the cross-account role`,
      })
      .optional()
      .describe(
        "Add-on version to install or upgrade to, such as v2.2.0-eksbuild.1. Default: keep an installed version that can mount across accounts, else EKS's default for the cluster",
      ),
};

/** Seed steps 10.3 and 10.7: the managed add-on. */
export function createCsiDriverAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:csi-driver',
    description:
      'Installs or upgrades the aws-efs-csi-driver EKS add-on, running as the driver role, at a version that can mount across accounts (v2.2.0+), and waits until it is ACTIVE. A failed or degraded add-on fails the step with the health issues EKS reports.',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: {
        driverVersion: () =>
          z.string().optional().describe('The add-on version now running'),
        status: () => z.string().optional().describe('The add-on status'),
        plan,
      },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      let planned: string | undefined;
      const result = await ensureLayer(deps, ctx, input, async (engine, t) => {
        const layer = await planCsiDriver(engine, t, input);
        planned = layer.outcome.addonVersion;
        return layer;
      });
      ctx.output('driverVersion', result?.addonVersion ?? planned);
      if (result) ctx.output('status', result.status);
    },
  });
}
