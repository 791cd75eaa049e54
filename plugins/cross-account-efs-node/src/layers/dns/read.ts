import {
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  MountTarget,
  mountTargetZoneName,
  usageTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { EngineContext, Topology } from '../../engine/types';

/**
 * Seed step 8, shared: one private zone per AZ ID of the file system,
 * `<az-id>.<fs-id>.efs.<region>.amazonaws.com`, lives in the file system's
 * account (anchored on its VPC) with the mount target's IP as its apex A
 * record, and is associated with the VPC of every cluster connected to it:
 * the zone's account authorizes the association, the VPC's account makes
 * it. A mount target's IP is kept in one place for every cluster.
 */

export interface ZoneOnVpc {
  hostedZoneId: string;
  /** The account that owns the zone, when it is not the VPC's. */
  owningAccount?: string;
}

export type Tags = Array<{ Key?: string; Value?: string }>;

export const withoutDot = (name: string) => name.replace(/\.$/, '');
export const zoneIdOf = (id: string) => id.replace(/^\/hostedzone\//, '');

/**
 * Which connections use a zone, and from which VPC: two clusters can share
 * a VPC, which must stay associated while either uses the zone.
 */
export function zoneUsageTag(t: Topology): { Key: string; Value: string } {
  const use = usageTag(t.spec);
  return { Key: use.Key, Value: `${use.Value} ${t.cluster.vpcId}` };
}

/** Private zones on a VPC (asked in the VPC's account), by name, whoever owns them. */
export async function zonesOnVpc(
  ctx: EngineContext,
  vpc: { accountId: string; vpcId: string; region: string },
): Promise<Map<string, ZoneOnVpc>> {
  const r53 = ctx.aws.route53(vpc);
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

/** The values of a zone's apex A record (empty when it has none). */
export async function apexRecord(
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
export async function zoneTags(
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
export function wantedZones(
  t: Topology,
): Array<{ mountTarget: MountTarget; zoneName: string }> {
  return t.fileSystem.mountTargets.map(mountTarget => ({
    mountTarget,
    zoneName: mountTargetZoneName(mountTarget.azId, t.spec),
  }));
}

/** Both sides' view: zones anchored on the file system's VPC (with their tags), and on the cluster's. */
export async function readZones(ctx: EngineContext, t: Topology) {
  const [anchored, onCluster] = await Promise.all([
    zonesOnVpc(ctx, t.fileSystem),
    zonesOnVpc(ctx, t.cluster),
  ]);
  const ids = wantedZones(t)
    .map(w => anchored.get(w.zoneName)?.hostedZoneId)
    .filter((id): id is string => !!id);
  const tags = ids.length
    ? await zoneTags(ctx.aws.route53(t.fileSystem), ids)
    : new Map<string, Tags>();
  // Zones of our names made in the cluster's account (seed step 8 by hand).
  const handMadeIds = wantedZones(t)
    .map(w => onCluster.get(w.zoneName))
    .filter(
      (z): z is ZoneOnVpc =>
        !!z && (z.owningAccount ?? t.cluster.accountId) === t.cluster.accountId,
    )
    .map(z => z.hostedZoneId);
  const clusterTags =
    handMadeIds.length && t.cluster.accountId !== t.fileSystem.accountId
      ? await zoneTags(ctx.aws.route53(t.cluster), handMadeIds)
      : new Map<string, Tags>();
  for (const [id, zoneTagList] of clusterTags) tags.set(id, zoneTagList);
  return { anchored, onCluster, tags };
}
