import type { AuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { RequestStore } from '../service/RequestStore';
import { ownerRef, RequestResource } from './requestConditions';

/**
 * The requests a conditional decision is about, each with the owner of its
 * file system entity (read with the plugin's own credentials: the rule, not
 * the caller's view of the catalog, decides).
 */
export async function loadRequestResources(
  ids: string[],
  deps: { store: RequestStore; catalog: CatalogService; auth: AuthService },
): Promise<Array<RequestResource | undefined>> {
  const credentials = await deps.auth.getOwnServiceCredentials();
  return Promise.all(
    ids.map(async id => {
      const request = await deps.store.get(id).catch(e => {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      });
      if (!request) return undefined;
      const entity = await deps.catalog.getEntityByRef(request.fileSystemRef, {
        credentials,
      });
      const owner = entity?.spec?.owner;
      return {
        request,
        fileSystemOwner:
          typeof owner === 'string'
            ? ownerRef(owner, entity!.metadata.namespace)
            : undefined,
      };
    }),
  );
}
