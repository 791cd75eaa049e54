import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';

const ACCOUNT_ANNOTATION = 'aws.amazon.com/account-id';

/**
 * Which AWS accounts the read-only actions (discovery, preflight) may read
 * for a user: those configured in `aws.accounts`, and those named by a
 * catalog entity the user can see. The portal's role reaches every account
 * it is trusted in; this keeps a hand-written template from reading one
 * its initiator has no business with.
 */
export class AccountScope {
  static fromConfig(config: Config, catalog: CatalogService): AccountScope {
    const configured = (config.getOptionalConfigArray('aws.accounts') ?? [])
      .map(a => a.getOptionalString('accountId'))
      .filter((id): id is string => Boolean(id));
    return new AccountScope(new Set(configured), catalog);
  }

  constructor(
    private readonly configured: ReadonlySet<string>,
    private readonly catalog: CatalogService,
  ) {}

  /** Refuses, before any AWS call, an account the user cannot see. */
  async assertReadable(
    credentials: BackstageCredentials,
    accountId: string,
    field: string,
  ): Promise<void> {
    if (this.configured.has(accountId)) return;
    const { items } = await this.catalog.getEntities(
      {
        filter: { [`metadata.annotations.${ACCOUNT_ANNOTATION}`]: accountId },
        fields: ['kind', 'metadata.name'],
        limit: 1,
      },
      { credentials },
    );
    if (items.length === 0) {
      throw new NotAllowedError(
        `${field}: account ${accountId} is not in aws.accounts, and no catalog entity you can see is annotated ${ACCOUNT_ANNOTATION}: ${accountId}. Use a file system or cluster from the catalog.`,
      );
    }
  }
}
