import {
  AcceptVpcPeeringConnectionCommand,
  CreateTagsCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  hasManagedTag,
  managedTagList,
  usageTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  EngineContext,
  LayerOptions,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { waitUntil } from '../../engine/waitUntil';
import { isLive, peeringsBetween } from './read';

/** @public */
export interface PeeringResult {
  peeringConnectionId: string;
  status: string;
}

const DEAD = ['failed', 'rejected', 'expired', 'deleted', 'deleting'];

function waitForStatus(
  ec2: EC2Client,
  peeringConnectionId: string,
  wanted: string[],
  options: LayerOptions,
): Promise<string> {
  const maxWaitSeconds = options.maxWaitSeconds ?? 300;
  return waitUntil(
    { maxWaitSeconds, minDelaySeconds: options.minPollSeconds ?? 1 },
    async () => {
      const { VpcPeeringConnections = [] } = await ec2.send(
        new DescribeVpcPeeringConnectionsCommand({
          VpcPeeringConnectionIds: [peeringConnectionId],
        }),
      );
      const pcx = VpcPeeringConnections[0];
      const status = pcx?.Status?.Code ?? 'missing';
      if (wanted.includes(status)) return { state: 'done', value: status };
      if (DEAD.includes(status))
        return {
          state: 'failed',
          reason: `${status}: ${pcx?.Status?.Message ?? 'no message'}`,
        };
      return { state: 'pending', reason: status };
    },
    (outcome, last) =>
      outcome === 'timeout'
        ? `Peering ${peeringConnectionId} is still ${last} after ${maxWaitSeconds} s; re-run to keep waiting.`
        : `Peering ${peeringConnectionId} is ${last}. Delete it, check both VPCs, and re-run to request a new one.`,
  );
}

/**
 * Seed steps 4-5: request from the cluster's account, accept from the file
 * system's. A peering made by hand, in either direction, is adopted: this
 * connection's use tag records it, removal leaves it, and a pending request
 * is accepted by whichever account is its accepter.
 */
export async function planPeering(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<LayerPlan<PeeringResult>> {
  const requester = ctx.aws.ec2(t.cluster);
  const all = await peeringsBetween(ctx, t);
  const existing = all.find(isLive);
  const accepterSide =
    existing?.AccepterVpcInfo?.OwnerId === t.cluster.accountId
      ? t.cluster
      : t.fileSystem;
  const accepter = ctx.aws.ec2(accepterSide);
  for (const p of all.filter(x => !isLive(x))) {
    ctx.logger.info(
      `ignoring peering ${p.VpcPeeringConnectionId} in state ${p.Status?.Code}${
        p.Status?.Message ? ` (${p.Status.Message})` : ''
      }`,
    );
  }

  const changes: PlannedChange[] = [];
  const status = existing?.Status?.Code;
  if (!existing) {
    changes.push({
      layer: 'peering',
      accountId: t.cluster.accountId,
      action: 'create',
      resource: 'vpc-peering-connection',
      summary: `Request peering ${t.cluster.vpcId} -> ${t.fileSystem.vpcId} (account ${t.fileSystem.accountId})`,
    });
  }
  if (
    !existing ||
    status === 'pending-acceptance' ||
    status === 'initiating-request'
  ) {
    changes.push({
      layer: 'peering',
      accountId: accepterSide.accountId,
      action: 'update',
      resource: 'vpc-peering-connection',
      summary: `Accept the peering request in account ${accepterSide.accountId}`,
    });
  }

  // A peering we made for another connection between the same VPCs, or one
  // made by hand: record that this connection uses it, so removing it leaves
  // the peering to the other connection, or to whoever made it.
  const use = usageTag(t.spec);
  const markUse =
    !!existing && !existing.Tags?.some(tag => tag.Key === use.Key);
  if (markUse) {
    changes.push({
      layer: 'peering',
      accountId: t.cluster.accountId,
      action: 'update',
      resource: 'vpc-peering-connection',
      summary: hasManagedTag(existing!.Tags)
        ? `Record that this connection also uses ${
            existing!.VpcPeeringConnectionId
          }`
        : `Adopt ${
            existing!.VpcPeeringConnectionId
          } (${status}), made outside the portal: this connection uses it, and removal leaves it`,
    });
  }

  return {
    changes,
    blockers: [],
    apply: async () => {
      if (markUse) {
        await ctx.checkpoint(
          `peering:use:${existing!.VpcPeeringConnectionId}`,
          async () => {
            await requester.send(
              new CreateTagsCommand({
                Resources: [existing!.VpcPeeringConnectionId!],
                Tags: [use],
              }),
            );
          },
        );
      }
      const peeringConnectionId =
        existing?.VpcPeeringConnectionId ??
        (await ctx.checkpoint(
          `peering:create:${t.cluster.vpcId}:${t.fileSystem.vpcId}`,
          async () => {
            const created = await requester.send(
              new CreateVpcPeeringConnectionCommand({
                VpcId: t.cluster.vpcId,
                PeerVpcId: t.fileSystem.vpcId,
                PeerOwnerId: t.fileSystem.accountId,
                PeerRegion: t.fileSystem.region,
                TagSpecifications: [
                  {
                    ResourceType: 'vpc-peering-connection',
                    Tags: managedTagList(t.spec, {
                      Name: `efs-${t.fileSystem.fileSystemId}-${t.cluster.clusterName}`,
                      [use.Key]: use.Value,
                    }),
                  },
                ],
              }),
            );
            const id = created.VpcPeeringConnection!.VpcPeeringConnectionId!;
            ctx.logger.info(`requested peering ${id}`);
            return id;
          },
        ));

      let current: string = status ?? 'initiating-request';
      if (current === 'initiating-request') {
        // Only the accepter account can accept, and only once it sees the request.
        current = await waitForStatus(
          accepter,
          peeringConnectionId,
          ['pending-acceptance', 'provisioning', 'active'],
          options,
        );
      }
      if (current === 'pending-acceptance') {
        await ctx.checkpoint(
          `peering:accept:${peeringConnectionId}`,
          async () => {
            await accepter.send(
              new AcceptVpcPeeringConnectionCommand({
                VpcPeeringConnectionId: peeringConnectionId,
              }),
            );
            ctx.logger.info(
              `accepted peering ${peeringConnectionId} in ${accepterSide.accountId}`,
            );
          },
        );
      }
      const final = await waitForStatus(
        requester,
        peeringConnectionId,
        ['active'],
        options,
      );
      return { peeringConnectionId, status: final };
    },
  };
}
