import { z } from 'zod/v3';
import type { CsiDriverResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { examples } from './csiDriver.examples';
import type { ActionDeps } from './engineForAction';
import { createLayerAction } from './layerAction';

/** Seed steps 10.3 and 10.7: the managed add-on. */
export function createCsiDriverAction(deps: ActionDeps) {
  return createLayerAction<CsiDriverResult>(deps, {
    id: 'cross-account-efs:csi-driver',
    layer: 'csi-driver',
    description:
      "Installs or upgrades the aws-efs-csi-driver EKS add-on, running as the driver role, at a version that can mount across accounts (v2.2.0+; an installed version that can is kept, else EKS's default), and waits until it is ACTIVE. A failed or degraded add-on fails the step with the health issues EKS reports.",
    examples,
    output: {
      driverVersion: () =>
        z.string().optional().describe('The add-on version now running'),
      status: () => z.string().optional().describe('The add-on status'),
    },
    report(result, ctx) {
      ctx.output('driverVersion', result.addonVersion);
      ctx.output('status', result.status);
    },
  });
}
