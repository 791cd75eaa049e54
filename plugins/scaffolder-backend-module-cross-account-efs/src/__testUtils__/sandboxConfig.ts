import { ConfigReader } from '@backstage/config';
import { SANDBOX, SANDBOX_PLATFORM_CREDENTIALS } from '@internal/sandbox';

/** How an operator configures the portal: assume a role in each account. */
export function sandboxConfig() {
  return new ConfigReader({
    aws: {
      mainAccount: {
        accessKeyId: SANDBOX_PLATFORM_CREDENTIALS.accessKeyId,
        secretAccessKey: SANDBOX_PLATFORM_CREDENTIALS.secretAccessKey,
        region: SANDBOX.region,
      },
      accountDefaults: {
        roleName: SANDBOX.portalRoleName,
        region: SANDBOX.region,
      },
    },
  });
}
