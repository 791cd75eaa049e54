import { ConfigReader } from '@backstage/config';
import {
  sandboxAwsIntegrationConfig,
  sandboxKubernetesConfig,
} from '@internal/sandbox';

/**
 * How an operator configures the portal: assume a role in each account,
 * and (when the sandbox cluster runs) reach it as the Kubernetes plugin does.
 */
export function sandboxConfig(cluster?: { url: string; caData: string }) {
  return new ConfigReader({
    aws: sandboxAwsIntegrationConfig(),
    ...(cluster ? { kubernetes: sandboxKubernetesConfig(cluster) } : {}),
  });
}
