import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { Emulator } from './emulator';
import { DriverAws } from './kubernetes/driverAws';
import { SANDBOX_PLATFORM_CREDENTIALS } from './seed';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from './kubernetes/kubernetesDouble';
import { SANDBOX } from './layout';

/**
 * The seeded EKS cluster's API server: the Kubernetes double, with the EFS
 * CSI driver's objects appearing and going as the sandbox's EKS add-on does.
 * It authenticates EKS tokens through the emulator's STS and the cluster's
 * access entries, and DescribeCluster answers its endpoint and CA.
 */
export async function startSandboxCluster(
  emulator: Pick<
    Emulator,
    | 'endpoint'
    | 'addons'
    | 'accessEntries'
    | 'clusterEndpoints'
    | 'upstream'
    | 'issuedSecrets'
  >,
): Promise<KubernetesDouble> {
  const identity = {
    accountId: SANDBOX.eks.accountId,
    region: SANDBOX.region,
    name: SANDBOX.eks.clusterName,
  };
  const cluster = await startKubernetesDouble({
    driverAws: new DriverAws({
      endpoint: emulator.endpoint,
      region: SANDBOX.region,
      adminCredentials: accountId =>
        fromTemporaryCredentials({
          masterCredentials: SANDBOX_PLATFORM_CREDENTIALS,
          params: {
            RoleArn: `arn:aws:iam::${accountId}:role/${SANDBOX.adminRoleName}`,
            RoleSessionName: 'sandbox-eks',
          },
          clientConfig: { region: SANDBOX.region, endpoint: emulator.endpoint },
        }),
    }),
    eks: {
      upstream: emulator.upstream,
      issuedSecrets: emulator.issuedSecrets,
      cluster: identity,
      accessEntries: emulator.accessEntries,
    },
  });
  emulator.clusterEndpoints.set(
    `${identity.accountId}/${identity.region}/${identity.name}`,
    { endpoint: cluster.url, caData: cluster.caData },
  );
  emulator.addons.listeners.push((addon, removed) => {
    if (
      addon.addonName !== 'aws-efs-csi-driver' ||
      addon.accountId !== SANDBOX.eks.accountId ||
      addon.clusterName !== SANDBOX.eks.clusterName
    ) {
      return;
    }
    if (removed) cluster.driver.uninstall();
    else
      cluster.driver.install({
        version: addon.addonVersion,
        roleArn: addon.serviceAccountRoleArn,
        podIdentityRoleArn: addon.podIdentityRoles?.[0],
        configurationValues: addon.configurationValues,
      });
  });
  return cluster;
}

/**
 * How the portal reaches the sandbox cluster, as portals reach EKS: the
 * Kubernetes plugin's cluster configuration (which the engine reads too),
 * with an EKS token minted from the portal's AWS identity in the cluster's
 * account (`authProvider: aws`, `kubernetes.io/aws-account-id`), the
 * cluster's CA, and no stored token.
 */
export function sandboxKubernetesConfig(cluster: {
  url: string;
  caData: string;
}) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: SANDBOX.eks.clusterName,
            url: cluster.url,
            authProvider: 'aws',
            caData: cluster.caData,
            authMetadata: {
              'kubernetes.io/aws-account-id': SANDBOX.eks.accountId,
            },
          },
        ],
      },
    ],
  };
}
