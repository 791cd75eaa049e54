import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  DeleteHostedZoneCommand,
  DeleteVPCAssociationAuthorizationCommand,
  DisassociateVPCFromHostedZoneCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  paginateListHostedZones,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  CheckResult,
  fileSystemDnsName,
  FileSystemRef,
  hasManagedTag,
  managedTagList,
  MountTarget,
  mountTargetZoneName,
  otherUsers,
  TAG_CLUSTER,
  usageTag,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import { checkResult } from '../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';

/**
 * Seed step 8, shared: one private zone per AZ ID of the file system,
 * `<az-id>.<fs-id>.efs.<region>.amazonaws.com`, lives in the file system's
 * account (anchored on its VPC) with the mount target's IP as its apex A
 * record, and is associated with the VPC of every cluster connected to it:
 * the zone's account authorizes the association, the VPC's account makes
 * it. A mount target's IP is kept in one place for every cluster, and a
 * health sweep reads each zone once, not once per cluster.
 */

export interface DnsZone {
  azId: string;
  zoneName: string;
  hostedZoneId: string;
  ipAddress: string;
}

export interface PrivateDnsResult {
  zones: DnsZone[];
}

interface ZoneOnVpc {
  hostedZoneId: string;
  /** The account that owns the zone, when it is not the VPC's. */
  owningAccount?: string;
}

type Tags = Array<{ Key?: string; Value?: string }>;

const TTL_SECONDS = 60;
/** Route 53's limit: each connection using a zone takes one tag. */
const ROUTE53_TAGS_PER_ZONE = 50;

const withoutDot = (name: string) => name.replace(/\.$/, '');
const zoneIdOf = (id: string) => id.replace(/^\/hostedzone\//, '');

/** Unique per create (AWS never accepts a caller reference twice); an SDK retry reuses it. */
const callerReference = (zoneName: string) =>
  `xaefs:${zoneName}:${Date.now()}`.slice(0, 128);

/**
 * Which connections use a zone, and from which VPC: two clusters can share
 * a VPC, which must stay associated while either uses the zone.
 */
function zoneUsageTag(t: Topology): { Key: string; Value: string } {
  const use = usageTag(t.spec);
  return { Key: use.Key, Value: `${use.Value} ${t.cluster.vpcId}` };
}

/** The zone is the file system's, not one cluster's: no cluster tag. */
function zoneTagList(t: Topology): Tags {
  return managedTagList(t.spec).filter(tag => tag.Key !== TAG_CLUSTER);
}

/**
 * Private zones on a VPC (asked in the VPC's account), by name, whoever owns
 * them. One paged call; in a sweep, once per VPC for all its connections.
 */
function zonesOnVpc(
  ctx: EngineContext,
  vpc: { accountId: string; vpcId: string; region: string },
): Promise<ReadonlyMap<string, ZoneOnVpc>> {
  return ctx.aws.shared(
    `zones-on-vpc:${vpc.accountId}:${vpc.region}:${vpc.vpcId}`,
    () => zonesOnVpcNow(ctx.aws.route53(vpc), vpc),
  );
}

async function zonesOnVpcNow(
  r53: Route53Client,
  vpc: { vpcId: string; region: string },
): Promise<Map<string, ZoneOnVpc>> {
  const zones = new Map<string, ZoneOnVpc>();
  let NextToken: string | undefined;
  do {
    const page = await r53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: vpc.vpcId,
        VPCRegion: vpc.region as any,
        NextToken,
      }),
    );
    for (const z of page.HostedZoneSummaries ?? []) {
      zones.set(withoutDot(z.Name!), {
        hostedZoneId: zoneIdOf(z.HostedZoneId!),
        owningAccount: z.Owner?.OwningAccount,
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return zones;
}

async function apexRecord(
  r53: Route53Client,
  hostedZoneId: string,
  zoneName: string,
): Promise<string[]> {
  const { ResourceRecordSets = [] } = await r53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      StartRecordName: zoneName,
      StartRecordType: 'A',
      MaxItems: 1,
    }),
  );
  const record = ResourceRecordSets.find(
    r => withoutDot(r.Name!) === zoneName && r.Type === 'A',
  );
  return (record?.ResourceRecords ?? []).map(r => r.Value!);
}

/** Tags of several zones in one call (up to 10 per call). */
async function zoneTags(
  r53: Route53Client,
  zoneIds: string[],
): Promise<Map<string, Tags>> {
  const tags = new Map<string, Tags>();
  for (let i = 0; i < zoneIds.length; i += 10) {
    const { ResourceTagSets = [] } = await r53.send(
      new ListTagsForResourcesCommand({
        ResourceType: 'hostedzone',
        ResourceIds: zoneIds.slice(i, i + 10),
      }),
    );
    for (const set of ResourceTagSets)
      tags.set(set.ResourceId!, set.Tags ?? []);
  }
  return tags;
}

/** The zones we want: one per AZ id that has a mount target. */
function wantedZones(
  t: Topology,
): Array<{ mountTarget: MountTarget; zoneName: string }> {
  return t.fileSystem.mountTargets.map(mountTarget => ({
    mountTarget,
    zoneName: mountTargetZoneName(mountTarget.azId, t.spec),
  }));
}

/** Both sides' view: zones anchored on the file system's VPC, and on the cluster's. */
async function readZones(ctx: EngineContext, t: Topology) {
  const efsR53 = ctx.aws.route53(t.fileSystem);
  const clusterR53 = ctx.aws.route53(t.cluster);
  const [anchored, onCluster] = await Promise.all([
    zonesOnVpc(ctx, t.fileSystem),
    zonesOnVpc(ctx, t.cluster),
  ]);
  const ids = wantedZones(t)
    .map(w => anchored.get(w.zoneName)?.hostedZoneId)
    .filter((id): id is string => !!id);
  const tags = ids.length ? await zoneTags(efsR53, ids) : new Map();
  return { efsR53, clusterR53, anchored, onCluster, tags };
}

async function createZone(
  ctx: EngineContext,
  t: Topology,
  zoneName: string,
  azId: string,
): Promise<string> {
  const r53 = ctx.aws.route53(t.fileSystem);
  try {
    const created = await r53.send(
      new CreateHostedZoneCommand({
        Name: zoneName,
        CallerReference: callerReference(zoneName),
        VPC: {
          VPCId: t.fileSystem.vpcId,
          VPCRegion: t.fileSystem.region as any,
        },
        HostedZoneConfig: {
          PrivateZone: true,
          Comment: `EFS mount target ${azId} of ${t.fileSystem.fileSystemId}, for the clusters connected to it`,
        },
      }),
    );
    const id = zoneIdOf(created.HostedZone!.Id!);
    await r53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: id,
        AddTags: [...zoneTagList(t), zoneUsageTag(t)],
      }),
    );
    return id;
  } catch (e) {
    if (!isAwsError(e, 'HostedZoneAlreadyExists', 'ConflictingDomainExists'))
      throw e;
    // Made by an earlier try whose answer was lost: adopt it.
    const again = (await zonesOnVpc(ctx, t.fileSystem)).get(zoneName);
    if (again) return again.hostedZoneId;
    throw e;
  }
}

/**
 * The cluster's VPC joins the zone: authorized by the zone's account, made
 * by the VPC's, and the authorization removed once used (so the VPC cannot
 * be associated again later without asking).
 */
async function associateClusterVpc(
  ctx: EngineContext,
  t: Topology,
  hostedZoneId: string,
  zoneName: string,
) {
  const efsR53 = ctx.aws.route53(t.fileSystem);
  const clusterR53 = ctx.aws.route53(t.cluster);
  const VPC = { VPCId: t.cluster.vpcId, VPCRegion: t.cluster.region as any };
  const crossAccount = t.cluster.accountId !== t.fileSystem.accountId;
  if (crossAccount) {
    await efsR53.send(
      new CreateVPCAssociationAuthorizationCommand({
        HostedZoneId: hostedZoneId,
        VPC,
      }),
    );
  }
  try {
    await clusterR53.send(
      new AssociateVPCWithHostedZoneCommand({
        HostedZoneId: hostedZoneId,
        VPC,
        Comment: `EFS ${t.fileSystem.fileSystemId} for ${t.cluster.clusterName}`,
      }),
    );
  } catch (e) {
    if (!isAwsError(e, 'ConflictingDomainExists')) throw e;
    // Associated by an earlier try whose answer was lost.
    const now = (await zonesOnVpc(ctx, t.cluster)).get(zoneName);
    if (now?.hostedZoneId !== hostedZoneId) throw e;
  }
  if (crossAccount) {
    try {
      await efsR53.send(
        new DeleteVPCAssociationAuthorizationCommand({
          HostedZoneId: hostedZoneId,
          VPC,
        }),
      );
    } catch (e) {
      if (!isAwsError(e, 'VPCAssociationAuthorizationNotFound')) throw e;
    }
  }
}

/**
 * Seed step 8: each AZ ID's zone in the file system's account, its A record
 * equal to the mount target's IP, associated with the cluster's VPC.
 */
export async function planPrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<PrivateDnsResult>> {
  const { efsR53, anchored, onCluster, tags } = await readZones(ctx, t);
  const use = zoneUsageTag(t);
  const sameVpc = t.cluster.vpcId === t.fileSystem.vpcId;
  const changes: PlannedChange[] = [];
  const blockers: Blocker[] = [];
  const work: Array<{
    mountTarget: MountTarget;
    zoneName: string;
    hostedZoneId?: string;
    upsert: boolean;
    markUse: boolean;
    associate: boolean;
  }> = [];
  const change = (
    accountId: string,
    action: PlannedChange['action'],
    resource: string,
    summary: string,
  ) => changes.push({ layer: 'dns', accountId, action, resource, summary });

  for (const { mountTarget, zoneName } of wantedZones(t)) {
    const zone = anchored.get(zoneName);
    const onVpc = onCluster.get(zoneName);
    if (onVpc && onVpc.hostedZoneId !== zone?.hostedZoneId) {
      blockers.push({
        layer: 'dns',
        summary: `Another private zone ${zoneName} (${
          onVpc.hostedZoneId
        }, account ${
          onVpc.owningAccount ?? t.cluster.accountId
        }) is already on ${t.cluster.vpcId}: a VPC takes one zone of a name.`,
        remedy: `Delete that zone (made by hand or by another tool), or disassociate it from ${t.cluster.vpcId}, then re-run: the connection uses the zone in the file system's account, which every connected cluster shares.`,
      });
      continue;
    }
    const associate = !onVpc && !sameVpc;
    // A new zone gets its record and this connection's tag as it is made.
    let upsert = true;
    let markUse = false;
    if (!zone) {
      change(
        t.fileSystem.accountId,
        'create',
        'route53-private-hosted-zone',
        `Private zone ${zoneName} on ${t.fileSystem.vpcId}, A ${mountTarget.ipAddress}`,
      );
    } else {
      const values = await apexRecord(efsR53, zone.hostedZoneId, zoneName);
      upsert = !(values.length === 1 && values[0] === mountTarget.ipAddress);
      if (upsert) {
        change(
          t.fileSystem.accountId,
          values.length ? 'update' : 'create',
          'route53-record',
          `A ${zoneName} -> ${mountTarget.ipAddress}${
            values.length ? ` (was ${values.join(', ')})` : ''
          }, for every cluster that uses the zone`,
        );
      }
      const zoneTagsNow: Tags = tags.get(zone.hostedZoneId) ?? [];
      // Only zones we made keep a record of who uses them.
      markUse =
        hasManagedTag(zoneTagsNow) &&
        !zoneTagsNow.some(tag => tag.Key === use.Key);
      if (markUse && zoneTagsNow.length >= ROUTE53_TAGS_PER_ZONE) {
        blockers.push({
          layer: 'dns',
          summary: `${zoneName} already records ${
            otherUsers(zoneTagsNow, t.spec).length
          } connections in its tags, and Route 53 allows ${ROUTE53_TAGS_PER_ZONE} tags per zone.`,
          remedy:
            'Remove connections of this file system that are no longer used (deprovision template), then re-run.',
        });
        continue;
      }
      if (markUse && !associate) {
        change(
          t.fileSystem.accountId,
          'update',
          'route53-private-hosted-zone',
          `Record that this connection also uses ${zoneName}`,
        );
      }
    }
    if (associate) {
      change(
        t.cluster.accountId,
        'create',
        'route53-vpc-association',
        `Associate ${zoneName} with ${t.cluster.vpcId}${
          t.cluster.accountId !== t.fileSystem.accountId
            ? ` (authorized by account ${t.fileSystem.accountId})`
            : ''
        }`,
      );
    }
    work.push({
      mountTarget,
      zoneName,
      hostedZoneId: zone?.hostedZoneId,
      upsert,
      markUse,
      associate,
    });
  }

  return {
    changes,
    blockers,
    apply: async () => {
      const zones: DnsZone[] = [];
      for (const item of work) {
        const { mountTarget, zoneName } = item;
        const hostedZoneId =
          item.hostedZoneId ??
          (await ctx.checkpoint(
            `dns:zone:${t.fileSystem.fileSystemId}:${mountTarget.azId}`,
            () => createZone(ctx, t, zoneName, mountTarget.azId),
          ));
        if (item.markUse) {
          await ctx.checkpoint(`dns:use:${hostedZoneId}:${use.Key}`, () =>
            efsR53
              .send(
                new ChangeTagsForResourceCommand({
                  ResourceType: 'hostedzone',
                  ResourceId: hostedZoneId,
                  AddTags: [use],
                }),
              )
              .then(() => undefined),
          );
        }
        if (item.upsert) {
          await ctx.checkpoint(
            `dns:record:${hostedZoneId}:${mountTarget.ipAddress}`,
            async () => {
              await efsR53.send(
                new ChangeResourceRecordSetsCommand({
                  HostedZoneId: hostedZoneId,
                  ChangeBatch: {
                    Comment: `mount target ${mountTarget.mountTargetId}`,
                    Changes: [
                      {
                        Action: 'UPSERT',
                        ResourceRecordSet: {
                          Name: zoneName,
                          Type: 'A',
                          TTL: TTL_SECONDS,
                          ResourceRecords: [{ Value: mountTarget.ipAddress }],
                        },
                      },
                    ],
                  },
                }),
              );
            },
          );
        }
        if (item.associate) {
          await ctx.checkpoint(
            `dns:associate:${hostedZoneId}:${t.cluster.vpcId}`,
            () => associateClusterVpc(ctx, t, hostedZoneId, zoneName),
          );
        }
        zones.push({
          azId: mountTarget.azId,
          zoneName,
          hostedZoneId,
          ipAddress: mountTarget.ipAddress,
        });
      }
      return { zones };
    },
  };
}

/**
 * Per AZ ID: a zone of the right name on the cluster's VPC, whose A record
 * is the mount target's IP. The record is read in the zone's own account.
 */
export async function checkPrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const onCluster = await zonesOnVpc(ctx, t.cluster);
  const readers = new Map([
    [t.cluster.accountId, ctx.aws.route53(t.cluster)],
    [t.fileSystem.accountId, ctx.aws.route53(t.fileSystem)],
  ]);
  const results = await Promise.all(
    wantedZones(t).map(async ({ mountTarget, zoneName }) => {
      const id = `zone:${mountTarget.azId}`;
      const zone = onCluster.get(zoneName);
      if (!zone) {
        return checkResult('dns', id, 'error', {
          summary: `No private zone ${zoneName} on ${t.cluster.vpcId}: pods in ${mountTarget.azId} fail with 'Failed to resolve'.`,
          remedy:
            "Re-run provisioning: it associates the file system's zone with the cluster VPC (and creates the zone if it is missing).",
          evidence: { zoneName, vpcId: t.cluster.vpcId },
        });
      }
      const owner = zone.owningAccount ?? t.cluster.accountId;
      const reader = readers.get(owner);
      if (!reader) {
        return checkResult('dns', id, 'unknown', {
          summary: `${zoneName} on ${t.cluster.vpcId} belongs to account ${owner}, where the portal has no role: its record cannot be read.`,
          remedy:
            "Delete or disassociate that zone and re-run provisioning, which uses the zone in the file system's account.",
          evidence: { zoneName, hostedZoneId: zone.hostedZoneId, owner },
        });
      }
      const values = await apexRecord(reader, zone.hostedZoneId, zoneName);
      const evidence = {
        zoneName,
        hostedZoneId: zone.hostedZoneId,
        zoneAccount: owner,
        records: values,
        mountTargetIp: mountTarget.ipAddress,
      };
      return values.length === 1 && values[0] === mountTarget.ipAddress
        ? checkResult('dns', id, 'ok', {
            summary: `${zoneName} -> ${mountTarget.ipAddress}.`,
            evidence,
          })
        : checkResult('dns', id, 'error', {
            summary: `${zoneName} resolves to ${
              values.join(', ') || 'nothing'
            }, but the mount target's IP is ${mountTarget.ipAddress}.`,
            remedy:
              'Re-run provisioning: it sets the A record to the current mount target IP (for every cluster that uses the zone).',
            evidence,
          });
    }),
  );
  return results;
}

/**
 * The apex records of every private zone named for these file systems
 * (`<az-id>.<fs-id>.efs.<region>.amazonaws.com`) in their accounts: one
 * zone listing per account, needing no discovery. A health sweep starts it
 * first, so each connection's DNS check finds its zone's record in the
 * sweep's cache instead of reading it after both sides are discovered.
 */
export async function readFileSystemZoneRecords(
  ctx: EngineContext,
  fileSystems: FileSystemRef[],
): Promise<void> {
  const byAccount = new Map<string, FileSystemRef[]>();
  for (const ref of fileSystems) {
    const key = `${ref.accountId}/${ref.region}`;
    if (!byAccount.has(key)) byAccount.set(key, []);
    byAccount.get(key)!.push(ref);
  }
  await Promise.all(
    [...byAccount.values()].map(async refs => {
      const names = new Set(refs.map(fileSystemDnsName));
      const r53 = ctx.aws.route53(refs[0]);
      const reads: Promise<string[]>[] = [];
      for await (const page of paginateListHostedZones(
        { client: r53 },
        { HostedZoneType: 'PrivateHostedZone' },
      )) {
        for (const zone of page.HostedZones ?? []) {
          const name = withoutDot(zone.Name!);
          if (names.has(name.slice(name.indexOf('.') + 1))) {
            reads.push(apexRecord(r53, zoneIdOf(zone.Id!), name));
          }
        }
      }
      await Promise.all(reads);
    }),
  );
}

/**
 * Lets go of the zones for this connection: the cluster's VPC leaves a zone
 * unless another connection on that VPC still uses it, and a zone we made
 * goes once no connection uses it. Zones we did not make are left alone.
 */
export async function removePrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<PlannedChange[]> {
  const { efsR53, clusterR53, anchored, onCluster, tags } = await readZones(
    ctx,
    t,
  );
  const use = zoneUsageTag(t);
  const removed: PlannedChange[] = [];
  for (const { zoneName } of wantedZones(t)) {
    const zone = anchored.get(zoneName);
    const zoneTagsNow: Tags = zone ? tags.get(zone.hostedZoneId) ?? [] : [];
    if (!zone || !hasManagedTag(zoneTagsNow)) continue;
    const hostedZoneId = zone.hostedZoneId;
    const others = otherUsers(zoneTagsNow, t.spec);
    const othersOnVpc = others.filter(o => o.endsWith(` ${t.cluster.vpcId}`));
    const associated =
      onCluster.get(zoneName)?.hostedZoneId === hostedZoneId &&
      t.cluster.vpcId !== t.fileSystem.vpcId;
    if (associated && othersOnVpc.length === 0) {
      await ctx.checkpoint(
        `dns:disassociate:${hostedZoneId}:${t.cluster.vpcId}`,
        async () => {
          await clusterR53.send(
            new DisassociateVPCFromHostedZoneCommand({
              HostedZoneId: hostedZoneId,
              VPC: {
                VPCId: t.cluster.vpcId,
                VPCRegion: t.cluster.region as any,
              },
            }),
          );
        },
      );
      removed.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: 'delete',
        resource: 'route53-vpc-association',
        summary: `Disassociate ${zoneName} from ${t.cluster.vpcId}`,
      });
    }
    if (others.length) {
      if (zoneTagsNow.some(tag => tag.Key === use.Key)) {
        await ctx.checkpoint(`dns:release:${hostedZoneId}:${use.Key}`, () =>
          efsR53
            .send(
              new ChangeTagsForResourceCommand({
                ResourceType: 'hostedzone',
                ResourceId: hostedZoneId,
                RemoveTagKeys: [use.Key],
              }),
            )
            .then(() => undefined),
        );
      }
      removed.push({
        layer: 'dns',
        accountId: t.fileSystem.accountId,
        action: 'update',
        resource: 'route53-private-hosted-zone',
        summary: `Keep ${zoneName}: still used by ${others.join(', ')}`,
      });
      continue;
    }
    await ctx.checkpoint(`dns:delete:${hostedZoneId}`, async () => {
      const values = await apexRecord(efsR53, hostedZoneId, zoneName);
      if (values.length) {
        await efsR53.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            ChangeBatch: {
              Changes: [
                {
                  Action: 'DELETE',
                  ResourceRecordSet: {
                    Name: zoneName,
                    Type: 'A',
                    TTL: TTL_SECONDS,
                    ResourceRecords: values.map(Value => ({ Value })),
                  },
                },
              ],
            },
          }),
        );
      }
      await efsR53.send(new DeleteHostedZoneCommand({ Id: hostedZoneId }));
    });
    removed.push({
      layer: 'dns',
      accountId: t.fileSystem.accountId,
      action: 'delete',
      resource: 'route53-private-hosted-zone',
      summary: `Zone ${zoneName}`,
    });
  }
  return removed;
}
