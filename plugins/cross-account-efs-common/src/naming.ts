import type { ConnectionSpec } from './connection';
import { awsDnsSuffixOf } from './partition';

/**
 * Tags on everything we create, so it can be found again and removed.
 *
 * @public
 */
export const TAG_MANAGED_BY = 'cross-account-efs:managed-by';
/** @public */
export const TAG_MANAGED_BY_VALUE = 'backstage';
/** @public */
export const TAG_FILE_SYSTEM = 'cross-account-efs:file-system-id';
/** @public */
export const TAG_CLUSTER = 'cross-account-efs:cluster';

/**
 * NFS over TCP, the only port EFS mount targets serve.
 *
 * @public
 */
export const NFS_PORT = 2049;

/**
 * The name efs-utils resolves under crossaccount: one private zone per AZ
 * *id* (names differ between accounts, ids do not).
 *
 * @public
 */
export function mountTargetZoneName(
  azId: string,
  spec: Pick<ConnectionSpec, 'fileSystem'>,
): string {
  return `${azId}.${fileSystemDnsName(spec.fileSystem)}`;
}

/**
 * The file system's own DNS name, under which each AZ id has its zone.
 *
 * @public
 */
export function fileSystemDnsName(
  fileSystem: Pick<ConnectionSpec['fileSystem'], 'fileSystemId' | 'region'>,
): string {
  return `${fileSystem.fileSystemId}.efs.${fileSystem.region}.${awsDnsSuffixOf(
    fileSystem.region,
  )}`;
}

/** @public */
export function managedTags(spec: ConnectionSpec): Record<string, string> {
  return {
    [TAG_MANAGED_BY]: TAG_MANAGED_BY_VALUE,
    [TAG_FILE_SYSTEM]: spec.fileSystem.fileSystemId,
    [TAG_CLUSTER]: `${spec.cluster.accountId}/${spec.cluster.clusterName}`,
  };
}

/**
 * Whether AWS tags (as listed) mark a resource as made by us.
 *
 * @public
 */
export function hasManagedTag(
  tags: Array<{ Key?: string; Value?: string }> = [],
): boolean {
  return tags.some(
    t => t.Key === TAG_MANAGED_BY && t.Value === TAG_MANAGED_BY_VALUE,
  );
}

/**
 * The same tags as AWS tag lists take them (`{ Key, Value }`), with any extra ones.
 *
 * @public
 */
export function managedTagList(
  spec: ConnectionSpec,
  extra: Record<string, string> = {},
): Array<{ Key: string; Value: string }> {
  return Object.entries({ ...extra, ...managedTags(spec) }).map(
    ([Key, Value]) => ({ Key, Value }),
  );
}

/**
 * Pieces several connections can share (a peering between two VPCs, a
 * mount target's zone on a cluster VPC) carry one tag per connection using
 * them; removal takes its own tag away and deletes the piece only when no
 * other connection's tag is left.
 *
 * @public
 */
export const TAG_USED_BY_PREFIX = 'cross-account-efs:used-by:';

/** FNV-1a, 32 bits: a short, stable tag key per connection (keys max 128 chars). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** @public */
export function usageTag(spec: ConnectionSpec): { Key: string; Value: string } {
  const key = `${spec.fileSystem.fileSystemId}@${spec.fileSystem.accountId}/${spec.cluster.clusterName}@${spec.cluster.accountId}`;
  return { Key: `${TAG_USED_BY_PREFIX}${shortHash(key)}`, Value: key };
}

/**
 * The other connections that use a shared piece, from its tags.
 *
 * @public
 */
export function otherUsers(
  tags: Array<{ Key?: string; Value?: string }>,
  spec: ConnectionSpec,
): string[] {
  const ours = usageTag(spec).Key;
  return tags
    .filter(t => t.Key?.startsWith(TAG_USED_BY_PREFIX) && t.Key !== ours)
    .map(t => t.Value ?? t.Key!);
}
