import { ConfigReader } from '@backstage/config';
import { sandboxAwsIntegrationConfig } from '@internal/sandbox';

/** How an operator configures the portal: assume a role in each account. */
export function sandboxConfig() {
  return new ConfigReader({ aws: sandboxAwsIntegrationConfig() });
}
