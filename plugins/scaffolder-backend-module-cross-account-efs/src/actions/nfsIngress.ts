import { z } from 'zod/v3';
import type { NfsIngressResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionDeps } from './engineForAction';
import { createLayerAction } from './layerAction';
import { examples } from './nfsIngress.examples';

/** Seed step 7. */
export function createNfsIngressAction(deps: ActionDeps) {
  return createLayerAction<NfsIngressResult>(deps, {
    id: 'cross-account-efs:nfs-ingress',
    layer: 'nfs-ingress',
    description:
      "Allows TCP 2049 into the mount targets' security group from the cluster, as the request's NFS rule source says: the cluster's security group across accounts, or its VPC's CIDR blocks. An existing rule that already allows it counts as done.",
    examples,
    output: {
      securityGroupIds: () =>
        z
          .array(z.string())
          .optional()
          .describe("The mount targets' security groups"),
    },
    report(result, ctx) {
      ctx.output('securityGroupIds', result.securityGroupIds);
    },
  });
}
