import {
  MountTarget,
  otherUsers,
  hasManagedTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { apexRecord, readZones, Tags, wantedZones, zoneUsageTag } from './read';
import { upsertApexRecord } from './records';
import { associateClusterVpc, createZone, tagZoneUse } from './zones';

/** @public */
export interface DnsZone {
  azId: string;
  zoneName: string;
  hostedZoneId: string;
  ipAddress: string;
}

/** @public */
export interface PrivateDnsResult {
  zones: DnsZone[];
}

/** Route 53's limit: each connection using a zone takes one tag. */
const ROUTE53_TAGS_PER_ZONE = 50;

/**
 * Seed step 8: each AZ ID's zone in the file system's account, its A record
 * equal to the mount target's IP, associated with the cluster's VPC.
 */
export async function planPrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<PrivateDnsResult>> {
  const { anchored, onCluster, tags } = await readZones(ctx, t);
  const efsR53 = ctx.aws.route53(t.fileSystem);
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
  const adopt: string[] = [];
  const adopted: DnsZone[] = [];
  const change = (
    accountId: string,
    action: PlannedChange['action'],
    resource: string,
    summary: string,
  ) => changes.push({ layer: 'dns', accountId, action, resource, summary });

  for (const { mountTarget, zoneName } of wantedZones(t)) {
    const zone = anchored.get(zoneName);
    const onVpc = onCluster.get(zoneName);
    const owner = onVpc?.owningAccount ?? t.cluster.accountId;
    if (
      onVpc &&
      onVpc.hostedZoneId !== zone?.hostedZoneId &&
      owner === t.cluster.accountId &&
      !sameVpc
    ) {
      // Seed step 8 done by hand: a zone in the cluster's account. Right, it
      // is adopted (recorded by this connection's tag, left by removal);
      // wrong, it is a blocker, since the VPC takes no second zone of the name.
      const values = await apexRecord(
        ctx.aws.route53(t.cluster),
        onVpc.hostedZoneId,
        zoneName,
      );
      if (!(values.length === 1 && values[0] === mountTarget.ipAddress)) {
        blockers.push({
          layer: 'dns',
          summary: `Private zone ${zoneName} (${
            onVpc.hostedZoneId
          }, made in account ${t.cluster.accountId}) on ${
            t.cluster.vpcId
          } answers ${
            values.join(', ') || 'nothing'
          }, but the mount target in ${mountTarget.azId} is ${
            mountTarget.ipAddress
          }.`,
          remedy: `Set that zone's A record to ${mountTarget.ipAddress}, then re-run: the connection adopts it. Or delete the zone (or disassociate it from ${t.cluster.vpcId}) and re-run: the connection then uses the file system account's zone.`,
        });
        continue;
      }
      const adoptedTags: Tags = tags.get(onVpc.hostedZoneId) ?? [];
      if (!adoptedTags.some(tag => tag.Key === use.Key)) {
        change(
          t.cluster.accountId,
          'update',
          'route53-private-hosted-zone',
          `Adopt ${zoneName} (${onVpc.hostedZoneId}), made outside the portal with A ${mountTarget.ipAddress}: this connection uses it, and removal leaves it`,
        );
        adopt.push(onVpc.hostedZoneId);
      }
      adopted.push({
        azId: mountTarget.azId,
        zoneName,
        hostedZoneId: onVpc.hostedZoneId,
        ipAddress: mountTarget.ipAddress,
      });
      continue;
    }
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
      for (const hostedZoneId of adopt) {
        await ctx.checkpoint(`dns:adopt:${hostedZoneId}:${use.Key}`, () =>
          tagZoneUse(ctx, t, hostedZoneId, 'add', t.cluster),
        );
      }
      const zones: DnsZone[] = [...adopted];
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
            tagZoneUse(ctx, t, hostedZoneId, 'add'),
          );
        }
        if (item.upsert) {
          await ctx.checkpoint(
            `dns:record:${hostedZoneId}:${mountTarget.ipAddress}`,
            () => upsertApexRecord(ctx, t, hostedZoneId, zoneName, mountTarget),
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
