import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  DisassociateVPCFromHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  CheckResult,
  hasManagedTag,
  managedTagList,
  MountTarget,
  mountTargetZoneName,
  otherUsers,
  usageTag,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import { checkResult } from '../engine/checkResult';
import type {
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';

export interface DnsZone {
  azId: string;
  zoneName: string;
  hostedZoneId: string;
  ipAddress: string;
}

export interface PrivateDnsResult {
  zones: DnsZone[];
}

const TTL_SECONDS = 60;

const withoutDot = (name: string) => name.replace(/\.$/, '');
const zoneIdOf = (id: string) => id.replace(/^\/hostedzone\//, '');

/**
 * Stable per (zone name, VPC): a retried create after a lost response gets
 * HostedZoneAlreadyExists instead of a duplicate zone. At most 128 chars.
 */
function callerReference(zoneName: string, vpcId: string): string {
  return `xaefs:${vpcId}:${zoneName}`.slice(0, 128);
}

/** Private zones on the cluster's VPC, by name. One paged call. */
async function zonesOnVpc(
  r53: Route53Client,
  t: Topology,
): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await r53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: t.cluster.vpcId,
        VPCRegion: t.cluster.region as any,
        NextToken,
      }),
    );
    for (const z of page.HostedZoneSummaries ?? [])
      zones.set(withoutDot(z.Name!), zoneIdOf(z.HostedZoneId!));
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

/** The zones we want: one per AZ id that has a mount target. */
function wantedZones(
  t: Topology,
): Array<{ mountTarget: MountTarget; zoneName: string }> {
  return t.fileSystem.mountTargets.map(mountTarget => ({
    mountTarget,
    zoneName: mountTargetZoneName(mountTarget.azId, t.spec),
  }));
}

async function createZone(
  r53: Route53Client,
  t: Topology,
  zoneName: string,
  azId: string,
): Promise<string> {
  try {
    const created = await r53.send(
      new CreateHostedZoneCommand({
        Name: zoneName,
        CallerReference: callerReference(zoneName, t.cluster.vpcId),
        VPC: { VPCId: t.cluster.vpcId, VPCRegion: t.cluster.region as any },
        HostedZoneConfig: {
          PrivateZone: true,
          Comment: `EFS mount target ${azId} of ${t.fileSystem.fileSystemId} (account ${t.fileSystem.accountId})`,
        },
      }),
    );
    const id = zoneIdOf(created.HostedZone!.Id!);
    await r53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: id,
        AddTags: managedTagList(t.spec, {
          [usageTag(t.spec).Key]: usageTag(t.spec).Value,
        }),
      }),
    );
    return id;
  } catch (e) {
    if (!isAwsError(e, 'HostedZoneAlreadyExists', 'ConflictingDomainExists'))
      throw e;
    // Made by an earlier try (same caller reference) or already on this VPC: adopt it.
    const again = (await zonesOnVpc(r53, t)).get(zoneName);
    if (again) return again;
    const { HostedZones = [] } = await r53.send(
      new ListHostedZonesByNameCommand({ DNSName: zoneName, MaxItems: 10 }),
    );
    const ours = HostedZones.find(
      z =>
        withoutDot(z.Name!) === zoneName &&
        z.CallerReference === callerReference(zoneName, t.cluster.vpcId),
    );
    if (ours) return zoneIdOf(ours.Id!);
    throw e;
  }
}

type Tags = Array<{ Key?: string; Value?: string }>;

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

/** Seed step 8, in the cluster's account: zones associated with the cluster's VPC. */
export async function planPrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<PrivateDnsResult>> {
  const r53 = ctx.aws.route53(t.cluster);
  const onVpc = await zonesOnVpc(r53, t);
  const existingIds = wantedZones(t)
    .map(w => onVpc.get(w.zoneName))
    .filter((id): id is string => !!id);
  const tags = existingIds.length
    ? await zoneTags(r53, existingIds)
    : new Map<string, Tags>();
  const use = usageTag(t.spec);
  const changes: PlannedChange[] = [];
  const work: Array<{
    mountTarget: MountTarget;
    zoneName: string;
    hostedZoneId?: string;
    upsert: boolean;
    markUse: boolean;
  }> = [];

  for (const { mountTarget, zoneName } of wantedZones(t)) {
    const hostedZoneId = onVpc.get(zoneName);
    if (!hostedZoneId) {
      changes.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: 'create',
        resource: 'route53-private-hosted-zone',
        summary: `Private zone ${zoneName} on ${t.cluster.vpcId}, A ${mountTarget.ipAddress}`,
      });
      work.push({ mountTarget, zoneName, upsert: true, markUse: false });
      continue;
    }
    // A zone we made for another cluster on this VPC: this connection uses it too.
    const zoneTagsNow = tags.get(hostedZoneId);
    const markUse =
      hasManagedTag(zoneTagsNow) &&
      !zoneTagsNow!.some(tag => tag.Key === use.Key);
    if (markUse) {
      changes.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: 'update',
        resource: 'route53-private-hosted-zone',
        summary: `Record that this connection also uses ${zoneName}`,
      });
    }
    const values = await apexRecord(r53, hostedZoneId, zoneName);
    const upsert = !(
      values.length === 1 && values[0] === mountTarget.ipAddress
    );
    if (upsert) {
      changes.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: values.length ? 'update' : 'create',
        resource: 'route53-record',
        summary: `A ${zoneName} -> ${mountTarget.ipAddress}${
          values.length ? ` (was ${values.join(', ')})` : ''
        }`,
      });
    }
    work.push({ mountTarget, zoneName, hostedZoneId, upsert, markUse });
  }

  return {
    changes,
    blockers: [],
    apply: async () => {
      const zones: DnsZone[] = [];
      for (const item of work) {
        const { mountTarget, zoneName } = item;
        const hostedZoneId =
          item.hostedZoneId ??
          (await ctx.checkpoint(`dns:zone:${t.cluster.vpcId}:${zoneName}`, () =>
            createZone(r53, t, zoneName, mountTarget.azId),
          ));
        if (item.markUse) {
          await ctx.checkpoint(`dns:use:${hostedZoneId}`, async () => {
            await r53.send(
              new ChangeTagsForResourceCommand({
                ResourceType: 'hostedzone',
                ResourceId: hostedZoneId,
                AddTags: [use],
              }),
            );
          });
        }
        if (item.upsert) {
          await ctx.checkpoint(
            `dns:record:${hostedZoneId}:${mountTarget.ipAddress}`,
            async () => {
              await r53.send(
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

export async function checkPrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const r53 = ctx.aws.route53(t.cluster);
  const onVpc = await zonesOnVpc(r53, t);
  const results: CheckResult[] = [];
  for (const { mountTarget, zoneName } of wantedZones(t)) {
    const id = `zone:${mountTarget.azId}`;
    const hostedZoneId = onVpc.get(zoneName);
    if (!hostedZoneId) {
      results.push(
        checkResult('dns', id, 'error', {
          summary: `No private zone ${zoneName} on ${t.cluster.vpcId}: pods in ${mountTarget.azId} fail with 'Failed to resolve'.`,
          remedy:
            'Re-run provisioning: it creates the zone and associates it with the cluster VPC.',
          evidence: { zoneName, vpcId: t.cluster.vpcId },
        }),
      );
      continue;
    }
    const values = await apexRecord(r53, hostedZoneId, zoneName);
    const evidence = {
      zoneName,
      hostedZoneId,
      records: values,
      mountTargetIp: mountTarget.ipAddress,
    };
    results.push(
      values.length === 1 && values[0] === mountTarget.ipAddress
        ? checkResult('dns', id, 'ok', {
            summary: `${zoneName} -> ${mountTarget.ipAddress}.`,
            evidence,
          })
        : checkResult('dns', id, 'error', {
            summary: `${zoneName} resolves to ${
              values.join(', ') || 'nothing'
            }, but the mount target's IP is ${mountTarget.ipAddress}.`,
            remedy:
              'Re-run provisioning: it sets the A record to the current mount target IP.',
            evidence,
          }),
    );
  }
  return results;
}

/**
 * Removes our zones from the cluster's VPC. A zone still associated with
 * another VPC (another cluster) is only disassociated from this one.
 */
export async function removePrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<PlannedChange[]> {
  const r53 = ctx.aws.route53(t.cluster);
  const onVpc = await zonesOnVpc(r53, t);
  const ids = wantedZones(t)
    .map(w => onVpc.get(w.zoneName))
    .filter((id): id is string => !!id);
  const tags = ids.length ? await zoneTags(r53, ids) : new Map<string, Tags>();
  const use = usageTag(t.spec);
  const removed: PlannedChange[] = [];
  for (const { zoneName } of wantedZones(t)) {
    const hostedZoneId = onVpc.get(zoneName);
    if (!hostedZoneId) continue;
    // Another cluster on this VPC still uses the zone: let go of it, keep it.
    const others = otherUsers(tags.get(hostedZoneId) ?? [], t.spec);
    if (others.length) {
      if (tags.get(hostedZoneId)!.some(tag => tag.Key === use.Key)) {
        await ctx.checkpoint(`dns:release:${hostedZoneId}`, async () => {
          await r53.send(
            new ChangeTagsForResourceCommand({
              ResourceType: 'hostedzone',
              ResourceId: hostedZoneId,
              RemoveTagKeys: [use.Key],
            }),
          );
        });
      }
      removed.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: 'update',
        resource: 'route53-private-hosted-zone',
        summary: `Keep ${zoneName}: still used by ${others.join(', ')}`,
      });
      continue;
    }
    const { VPCs = [] } = await r53.send(
      new GetHostedZoneCommand({ Id: hostedZoneId }),
    );
    if (VPCs.length > 1) {
      await ctx.checkpoint(
        `dns:disassociate:${hostedZoneId}:${t.cluster.vpcId}`,
        async () => {
          await r53.send(
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
        action: 'update',
        resource: 'route53-private-hosted-zone',
        summary: `Disassociate ${zoneName} from ${t.cluster.vpcId}`,
      });
      continue;
    }
    await ctx.checkpoint(`dns:delete:${hostedZoneId}`, async () => {
      const values = await apexRecord(r53, hostedZoneId, zoneName);
      if (values.length) {
        await r53.send(
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
      await r53.send(new DeleteHostedZoneCommand({ Id: hostedZoneId }));
    });
    removed.push({
      layer: 'dns',
      accountId: t.cluster.accountId,
      action: 'delete',
      resource: 'route53-private-hosted-zone',
      summary: `Zone ${zoneName}`,
    });
  }
  return removed;
}
