import {
  AssociateVPCWithHostedZoneCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  DeleteHostedZoneCommand,
  DeleteVPCAssociationAuthorizationCommand,
  DisassociateVPCFromHostedZoneCommand,
} from '@aws-sdk/client-route-53';
import {
  managedTagList,
  TAG_CLUSTER,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../../aws/errors';
import type { EngineContext, Topology } from '../../engine/types';
import { deleteApexRecord } from './records';
import { Tags, zoneIdOf, zonesOnVpc, zoneUsageTag } from './read';

/** The zone work of the DNS layer: zones, their tags, and their VPCs. */

/** Unique per create (AWS never accepts a caller reference twice); an SDK retry reuses it. */
const callerReference = (zoneName: string) =>
  `xaefs:${zoneName}:${Date.now()}`.slice(0, 128);

/** The zone is the file system's, not one cluster's: no cluster tag. */
function zoneTagList(t: Topology): Tags {
  return managedTagList(t.spec).filter(tag => tag.Key !== TAG_CLUSTER);
}

/** A new private zone in the file system's account, anchored on its VPC, tagged for this connection. */
export async function createZone(
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
export async function associateClusterVpc(
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

/** The cluster's VPC leaves the zone. */
export async function disassociateClusterVpc(
  ctx: EngineContext,
  t: Topology,
  hostedZoneId: string,
) {
  await ctx.aws.route53(t.cluster).send(
    new DisassociateVPCFromHostedZoneCommand({
      HostedZoneId: hostedZoneId,
      VPC: { VPCId: t.cluster.vpcId, VPCRegion: t.cluster.region as any },
    }),
  );
}

/** Adds (or takes off) this connection's use tag on a zone we made. */
export async function tagZoneUse(
  ctx: EngineContext,
  t: Topology,
  hostedZoneId: string,
  use: 'add' | 'remove',
  /** Where the zone lives: ours in the file system's account; an adopted one in the cluster's. */
  owner: { accountId: string; region: string } = t.fileSystem,
) {
  const tag = zoneUsageTag(t);
  await ctx.aws.route53(owner).send(
    new ChangeTagsForResourceCommand({
      ResourceType: 'hostedzone',
      ResourceId: hostedZoneId,
      ...(use === 'add' ? { AddTags: [tag] } : { RemoveTagKeys: [tag.Key] }),
    }),
  );
}

/** Deletes a zone we made: its apex record first (Route 53 refuses a zone with records). */
export async function deleteZone(
  ctx: EngineContext,
  t: Topology,
  hostedZoneId: string,
  zoneName: string,
) {
  await deleteApexRecord(ctx, t, hostedZoneId, zoneName);
  await ctx.aws
    .route53(t.fileSystem)
    .send(new DeleteHostedZoneCommand({ Id: hostedZoneId }));
}
