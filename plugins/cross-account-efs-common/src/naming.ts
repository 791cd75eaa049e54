import type { ConnectionSpec } from './connection';

/** Tags on everything we create, so it can be found again and removed. */
export const TAG_MANAGED_BY = 'cross-account-efs:managed-by';
export const TAG_MANAGED_BY_VALUE = 'backstage';
export const TAG_FILE_SYSTEM = 'cross-account-efs:file-system-id';
export const TAG_CLUSTER = 'cross-account-efs:cluster';

/** NFS over TCP, the only port EFS mount targets serve. */
export const NFS_PORT = 2049;

/**
 * The name efs-utils resolves under crossaccount: one private zone per AZ
 * *id* (names differ between accounts, ids do not).
 */
export function mountTargetZoneName(
  azId: string,
  spec: Pick<ConnectionSpec, 'fileSystem'>,
): string {
  const { fileSystemId, region } = spec.fileSystem;
  return `${azId}.${fileSystemId}.efs.${region}.amazonaws.com`;
}

export function managedTags(spec: ConnectionSpec): Record<string, string> {
  return {
    [TAG_MANAGED_BY]: TAG_MANAGED_BY_VALUE,
    [TAG_FILE_SYSTEM]: spec.fileSystem.fileSystemId,
    [TAG_CLUSTER]: `${spec.cluster.accountId}/${spec.cluster.clusterName}`,
  };
}

/** The same tags as AWS tag lists take them ({ Key, Value }), with any extra ones. */
export function managedTagList(
  spec: ConnectionSpec,
  extra: Record<string, string> = {},
): Array<{ Key: string; Value: string }> {
  return Object.entries({ ...extra, ...managedTags(spec) }).map(
    ([Key, Value]) => ({ Key, Value }),
  );
}
