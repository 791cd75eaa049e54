import { z } from 'zod/v3';
import type { IamResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionDeps } from './engineForAction';
import { examples } from './iam.examples';
import { createLayerAction } from './layerAction';

const arn = (what: string) => () => z.string().optional().describe(what);

/** Seed steps 9 and 10.3-10.5, least privilege. */
export function createIamAction(deps: ActionDeps) {
  return createLayerAction<IamResult>(deps, {
    id: 'cross-account-efs:iam',
    layer: 'iam',
    description:
      "Creates the IAM side of a connection, with the request's workload identity and root access. In the cluster's account: the cluster's OIDC provider (for IRSA) and the EFS CSI driver's role (the one the installed add-on uses, else efs-csi-driver-<cluster>), allowed to assume the file system account's role and to mount the file system. In the file system's account: a role trusted only by the driver's role, with an external id (kept out of logs and outputs; the kubernetes step reads it from the role), allowed to manage the driver's access points on this file system; and statements in the file system policy that let the driver's role mount and deny non-TLS access, merged into the existing policy.",
    examples,
    output: {
      csiDriverRoleArn: arn(
        "The EFS CSI driver's role, in the cluster's account",
      ),
      efsAccessRoleArn: arn(
        "The role the driver assumes, in the file system's account",
      ),
      oidcProviderArn: arn("The cluster's IAM OIDC provider (IRSA only)"),
    },
    report(result, ctx) {
      ctx.output('csiDriverRoleArn', result.csiDriverRoleArn);
      ctx.output('efsAccessRoleArn', result.efsAccessRoleArn);
      if (result.oidcProviderArn)
        ctx.output('oidcProviderArn', result.oidcProviderArn);
    },
  });
}
