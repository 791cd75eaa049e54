import type { EksAddonStore } from './eksAddons';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from './kubernetes/kubernetesDouble';
import { SANDBOX } from './layout';

/**
 * The seeded EKS cluster's API server: the Kubernetes double, with the EFS
 * CSI driver's objects appearing and going as the sandbox's EKS add-on does.
 */
export async function startSandboxCluster(
  addons: EksAddonStore,
): Promise<KubernetesDouble> {
  const cluster = await startKubernetesDouble();
  addons.listeners.push((addon, removed) => {
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
      });
  });
  return cluster;
}

/**
 * How the portal reaches the sandbox cluster: the Kubernetes plugin's own
 * cluster configuration, which the engine reads too.
 */
export function sandboxKubernetesConfig(cluster: {
  url: string;
  token: string;
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
            authProvider: 'serviceAccount',
            serviceAccountToken: cluster.token,
            skipTLSVerify: true,
          },
        ],
      },
    ],
  };
}
