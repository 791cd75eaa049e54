import {
  hasManagedTag,
  otherUsers,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { readZones, Tags, wantedZones, zoneUsageTag } from './read';
import { deleteZone, disassociateClusterVpc, tagZoneUse } from './zones';

/**
 * Lets go of the zones for this connection: the cluster's VPC leaves a zone
 * unless another connection on that VPC still uses it, and a zone we made
 * goes once no connection uses it. Zones we did not make are left alone.
 */
export async function planPrivateDnsRemoval(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<void>> {
  const { anchored, onCluster, tags } = await readZones(ctx, t);
  const use = zoneUsageTag(t);
  const changes: PlannedChange[] = [];
  const work: Array<() => Promise<void>> = [];
  for (const { zoneName } of wantedZones(t)) {
    const handMade = onCluster.get(zoneName);
    if (
      handMade &&
      handMade.hostedZoneId !== anchored.get(zoneName)?.hostedZoneId &&
      !hasManagedTag(tags.get(handMade.hostedZoneId)) &&
      tags.get(handMade.hostedZoneId)?.some(tag => tag.Key === use.Key)
    ) {
      // Adopted: the zone stays exactly as it was made; only our tag comes off.
      changes.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: 'update',
        resource: 'route53-private-hosted-zone',
        summary: `Leave ${zoneName} (${handMade.hostedZoneId}, made outside the portal) as it was: take off this connection's use tag`,
      });
      work.push(() =>
        ctx.checkpoint(`dns:release:${handMade.hostedZoneId}:${use.Key}`, () =>
          tagZoneUse(ctx, t, handMade.hostedZoneId, 'remove', t.cluster),
        ),
      );
    }
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
      changes.push({
        layer: 'dns',
        accountId: t.cluster.accountId,
        action: 'delete',
        resource: 'route53-vpc-association',
        summary: `Disassociate ${zoneName} from ${t.cluster.vpcId}`,
      });
      work.push(() =>
        ctx.checkpoint(
          `dns:disassociate:${hostedZoneId}:${t.cluster.vpcId}`,
          () => disassociateClusterVpc(ctx, t, hostedZoneId),
        ),
      );
    }
    if (others.length) {
      changes.push({
        layer: 'dns',
        accountId: t.fileSystem.accountId,
        action: 'update',
        resource: 'route53-private-hosted-zone',
        summary: `Keep ${zoneName}: still used by ${others.join(', ')}`,
      });
      if (zoneTagsNow.some(tag => tag.Key === use.Key)) {
        work.push(() =>
          ctx.checkpoint(`dns:release:${hostedZoneId}:${use.Key}`, () =>
            tagZoneUse(ctx, t, hostedZoneId, 'remove'),
          ),
        );
      }
      continue;
    }
    changes.push({
      layer: 'dns',
      accountId: t.fileSystem.accountId,
      action: 'delete',
      resource: 'route53-private-hosted-zone',
      summary: `Zone ${zoneName}`,
    });
    work.push(() =>
      ctx.checkpoint(`dns:delete:${hostedZoneId}`, () =>
        deleteZone(ctx, t, hostedZoneId, zoneName),
      ),
    );
  }
  return {
    changes,
    blockers: [],
    apply: async () => {
      for (const step of work) await step();
    },
  };
}
