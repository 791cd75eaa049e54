import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConnectionSpec,
  connectionSpecSchema,
  describeInvalidInput,
} from '@internal/plugin-cross-account-efs-common';

export const ANNOTATIONS = {
  accountId: 'aws.amazon.com/account-id',
  region: 'aws.amazon.com/region',
  fileSystemId: 'aws.amazon.com/efs-file-system-id',
  clusterName: 'aws.amazon.com/eks-cluster-name',
} as const;
/** How the Kubernetes plugin names the cluster, when not by its EKS name. */
const KUBERNETES_ID = 'backstage.io/kubernetes-id';

async function entity(
  catalog: CatalogService,
  ref: string,
  field: string,
  type: string,
  credentials: BackstageCredentials,
) {
  const found = await catalog.getEntityByRef(ref, { credentials });
  if (!found) {
    throw new InputError(
      `${field}: no catalog entity ${ref} (or you cannot see it).`,
    );
  }
  if (found.kind !== 'Resource' || found.spec?.type !== type) {
    throw new InputError(
      `${field}: ${ref} is not a Resource of spec.type ${type}.`,
    );
  }
  return found.metadata.annotations ?? {};
}

/**
 * A connection from the catalog: the file system and the cluster entities,
 * read with the caller's credentials, and their AWS annotations validated
 * (a missing or malformed annotation is named, with the entity).
 */
export async function resolveConnection(
  catalog: CatalogService,
  refs: { fileSystemRef: string; clusterRef: string },
  credentials: BackstageCredentials,
): Promise<ConnectionSpec> {
  const [fs, cluster] = await Promise.all([
    entity(
      catalog,
      refs.fileSystemRef,
      'fileSystemRef',
      'efs-file-system',
      credentials,
    ),
    entity(
      catalog,
      refs.clusterRef,
      'clusterRef',
      'kubernetes-cluster',
      credentials,
    ),
  ]);
  const parsed = connectionSpecSchema.safeParse({
    fileSystem: {
      accountId: fs[ANNOTATIONS.accountId],
      region: fs[ANNOTATIONS.region],
      fileSystemId: fs[ANNOTATIONS.fileSystemId],
    },
    cluster: {
      accountId: cluster[ANNOTATIONS.accountId],
      region: cluster[ANNOTATIONS.region],
      clusterName: cluster[ANNOTATIONS.clusterName],
      ...(cluster[KUBERNETES_ID] &&
      cluster[KUBERNETES_ID] !== cluster[ANNOTATIONS.clusterName]
        ? { kubernetesId: cluster[KUBERNETES_ID] }
        : {}),
    },
  });
  if (!parsed.success) {
    throw new InputError(
      `The catalog entities lack valid AWS annotations (${Object.values(
        ANNOTATIONS,
      ).join(', ')}): ${describeInvalidInput(parsed.error)}`,
    );
  }
  return parsed.data;
}
