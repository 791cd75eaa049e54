import {
  CreateOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import {
  ConnectionSpec,
  managedTagList,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isIamAlreadyExists } from '../aws/errors';
import type { EngineContext, PlannedChange } from '../engine/types';
import { nothingToChange } from '../engine/runPlan';
import { awsPartitionOf } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

export interface OidcProvider {
  providerArn: string;
  /** The issuer without https://, as IAM condition keys name it. */
  issuerHostPath: string;
  exists: boolean;
}

/** The cluster's IAM OIDC provider (seed step 10.3): found, or to be created. */
export async function findOidcProvider(
  ctx: EngineContext,
  spec: ConnectionSpec,
  issuer: string,
): Promise<OidcProvider> {
  const issuerHostPath = issuer.replace(/^https:\/\//, '');
  const providerArn = `arn:${awsPartitionOf(spec.cluster.region)}:iam::${
    spec.cluster.accountId
  }:oidc-provider/${issuerHostPath}`;
  const { OpenIDConnectProviderList = [] } = await ctx.aws
    .iam(spec.cluster)
    .send(new ListOpenIDConnectProvidersCommand({}));
  return {
    providerArn,
    issuerHostPath,
    exists: OpenIDConnectProviderList.some(p => p.Arn === providerArn),
  };
}

export function planOidcProvider(
  ctx: EngineContext,
  spec: ConnectionSpec,
  issuer: string,
  provider: OidcProvider,
): { changes: PlannedChange[]; apply: () => Promise<void> } {
  if (provider.exists) return nothingToChange();
  return {
    changes: [
      {
        layer: 'iam',
        accountId: spec.cluster.accountId,
        action: 'create',
        resource: 'iam-oidc-provider',
        summary: `OIDC provider for ${spec.cluster.clusterName} (${provider.issuerHostPath}), audience sts.amazonaws.com`,
      },
    ],
    apply: async () => {
      await ctx.checkpoint(`iam:oidc:${provider.providerArn}`, async () => {
        try {
          await ctx.aws.iam(spec.cluster).send(
            new CreateOpenIDConnectProviderCommand({
              Url: issuer,
              ClientIDList: ['sts.amazonaws.com'],
              Tags: managedTagList(spec),
            }),
          );
        } catch (e) {
          if (!isIamAlreadyExists(e)) throw e;
        }
      });
    },
  };
}
