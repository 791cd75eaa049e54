import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConnectionSpec,
  connectionSpecSchema,
  describeInvalidInput,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  ARN_ANNOTATION,
  clusterOf,
  DEFAULT_ENTITY_MAPPING,
  EntityMapping,
  fileSystemOf,
} from './entityMapping';

/** How the Kubernetes plugin names the cluster, when not by its EKS name. */
const KUBERNETES_ID = 'backstage.io/kubernetes-id';

async function entity(
  catalog: CatalogService,
  ref: string,
  field: string,
  types: string[],
  credentials: BackstageCredentials,
) {
  const found = await catalog.getEntityByRef(ref, { credentials });
  if (!found) {
    throw new InputError(
      `${field}: no catalog entity ${ref} (or you cannot see it).`,
    );
  }
  if (found.kind !== 'Resource' || !types.includes(String(found.spec?.type))) {
    throw new InputError(
      `${field}: ${ref} is not a Resource of spec.type ${types.join(
        ' or ',
      )} (crossAccountEfs.catalog).`,
    );
  }
  return found.metadata.annotations ?? {};
}

/**
 * A connection from the catalog: the file system and the cluster entities,
 * read with the caller's credentials, and their AWS annotations validated
 * (a missing or malformed annotation is named, with the entity). Which
 * entities and annotations count is `crossAccountEfs.catalog`
 * (entityMapping.ts); an `aws.amazon.com/arn` annotation does as well.
 */
export async function resolveConnection(
  catalog: CatalogService,
  refs: { fileSystemRef: string; clusterRef: string },
  credentials: BackstageCredentials,
  mapping: EntityMapping = DEFAULT_ENTITY_MAPPING,
): Promise<ConnectionSpec> {
  const [fs, cluster] = await Promise.all([
    entity(
      catalog,
      refs.fileSystemRef,
      'fileSystemRef',
      mapping.fileSystem.types,
      credentials,
    ),
    entity(
      catalog,
      refs.clusterRef,
      'clusterRef',
      mapping.cluster.types,
      credentials,
    ),
  ]);
  const clusterRef = clusterOf(cluster, mapping);
  const parsed = connectionSpecSchema.safeParse({
    fileSystem: fileSystemOf(fs, mapping),
    cluster: {
      ...clusterRef,
      ...(cluster[KUBERNETES_ID] &&
      cluster[KUBERNETES_ID] !== clusterRef.clusterName
        ? { kubernetesId: cluster[KUBERNETES_ID] }
        : {}),
    },
  });
  if (!parsed.success) {
    throw new InputError(
      `The catalog entities lack valid AWS annotations (${ARN_ANNOTATION}, or ${[
        ...new Set([
          ...Object.values(mapping.fileSystem.annotations),
          ...Object.values(mapping.cluster.annotations),
        ]),
      ].join(', ')}): ${describeInvalidInput(parsed.error)}`,
    );
  }
  return parsed.data;
}
