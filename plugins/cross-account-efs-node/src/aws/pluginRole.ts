import { Config, ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';

/**
 * The `aws` config this plugin's credentials come from. With
 * `crossAccountEfs.aws.roleName` set, the plugin assumes a role of its own
 * in every account (with `crossAccountEfs.aws.externalId`, if any), so other
 * AWS plugins can keep a read-only role in `aws.accountDefaults` and
 * `aws.accounts`; the accounts' partition, STS region and the portal's own
 * identity (`aws.mainAccount`) stay as configured there. Unset, the `aws`
 * section is used as it is.
 */
export function awsConfigForPlugin(config: Config): Config {
  const roleName = config.getOptionalString('crossAccountEfs.aws.roleName');
  if (!roleName) return config;
  const externalId = config.getOptionalString('crossAccountEfs.aws.externalId');
  const aws = (config.getOptional<JsonObject>('aws') ?? {}) as {
    accountDefaults?: JsonObject;
    accounts?: JsonObject[];
  };
  // A role of its own has a trust of its own: the shared external id is not carried over.
  const withPluginRole = (entry: JsonObject = {}): JsonObject => {
    const { externalId: _shared, ...rest } = entry;
    return { ...rest, roleName, ...(externalId ? { externalId } : {}) };
  };
  return new ConfigReader({
    aws: {
      ...aws,
      accountDefaults: withPluginRole(aws.accountDefaults),
      // Accounts reached with keys or a profile instead of a role keep them.
      accounts: (aws.accounts ?? []).map(account =>
        account.roleName ? withPluginRole(account) : account,
      ),
    },
  });
}
