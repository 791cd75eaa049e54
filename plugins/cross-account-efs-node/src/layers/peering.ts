import {
  AcceptVpcPeeringConnectionCommand,
  CreateVpcPeeringConnectionCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import {
  CheckResult,
  hasManagedTag,
  managedTagList,
  otherUsers,
  usageTag,
} from '@internal/plugin-cross-account-efs-common';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { checkResult } from '../engine/checkResult';
import type {
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';

/** States in which a peering connection is, or will become, usable. */
const LIVE_STATES = [
  'initiating-request',
  'pending-acceptance',
  'provisioning',
  'active',
];

export interface PeeringResult {
  peeringConnectionId: string;
  status: string;
}

export interface WaitOptions {
  /** Upper bound for each wait, in seconds. */
  maxWaitSeconds?: number;
}

/**
 * Every peering connection between the two VPCs, either direction. One call:
 * both VPC ids on both sides matches a->b and b->a (a VPC cannot peer itself).
 */
async function peeringsBetween(
  ec2: EC2Client,
  t: Topology,
): Promise<VpcPeeringConnection[]> {
  const vpcs = [t.cluster.vpcId, t.fileSystem.vpcId];
  const { VpcPeeringConnections = [] } = await ec2.send(
    new DescribeVpcPeeringConnectionsCommand({
      Filters: [
        { Name: 'requester-vpc-info.vpc-id', Values: vpcs },
        { Name: 'accepter-vpc-info.vpc-id', Values: vpcs },
      ],
    }),
  );
  return VpcPeeringConnections;
}

/** The usable peering between the two VPCs, if there is one. */
export async function findPeering(
  ctx: EngineContext,
  t: Topology,
): Promise<VpcPeeringConnection | undefined> {
  const all = await peeringsBetween(ctx.aws.ec2(t.cluster), t);
  return all.find(p => LIVE_STATES.includes(p.Status?.Code ?? ''));
}

async function waitForStatus(
  ec2: EC2Client,
  peeringConnectionId: string,
  wanted: string[],
  options: WaitOptions,
): Promise<string> {
  let status = '';
  const result = await createWaiter(
    {
      client: ec2,
      maxWaitTime: options.maxWaitSeconds ?? 300,
      minDelay: 1,
      maxDelay: 10,
    },
    { VpcPeeringConnectionIds: [peeringConnectionId] },
    async (client: EC2Client, input) => {
      const { VpcPeeringConnections = [] } = await client.send(
        new DescribeVpcPeeringConnectionsCommand(input),
      );
      const pcx = VpcPeeringConnections[0];
      status = pcx?.Status?.Code ?? 'missing';
      if (wanted.includes(status))
        return { state: WaiterState.SUCCESS, reason: status };
      if (
        ['failed', 'rejected', 'expired', 'deleted', 'deleting'].includes(
          status,
        )
      ) {
        return {
          state: WaiterState.FAILURE,
          reason: `${status}: ${pcx?.Status?.Message ?? 'no message'}`,
        };
      }
      return { state: WaiterState.RETRY, reason: status };
    },
  );
  if (result.state !== WaiterState.SUCCESS) {
    throw new Error(
      result.state === WaiterState.TIMEOUT
        ? `Peering ${peeringConnectionId} is still ${status} after ${
            options.maxWaitSeconds ?? 300
          } s; re-run to keep waiting.`
        : `Peering ${peeringConnectionId} is ${result.reason}. Delete it, check both VPCs, and re-run to request a new one.`,
    );
  }
  return status;
}

/** Seed steps 4-5: request from the cluster's account, accept from the file system's. */
export async function planPeering(
  ctx: EngineContext,
  t: Topology,
  options: WaitOptions = {},
): Promise<LayerPlan<PeeringResult>> {
  const requester = ctx.aws.ec2(t.cluster);
  const accepter = ctx.aws.ec2(t.fileSystem);
  const all = await peeringsBetween(requester, t);
  const existing = all.find(p => LIVE_STATES.includes(p.Status?.Code ?? ''));
  const dead = all.filter(p => !LIVE_STATES.includes(p.Status?.Code ?? ''));
  for (const p of dead) {
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
      accountId: t.fileSystem.accountId,
      action: 'update',
      resource: 'vpc-peering-connection',
      summary: `Accept the peering request in account ${t.fileSystem.accountId}`,
    });
  }

  // A peering we made for another connection between the same VPCs: record
  // that this one uses it too, so removing either leaves it for the other.
  const markUse =
    !!existing &&
    hasManagedTag(existing.Tags) &&
    !existing.Tags?.some(tag => tag.Key === usageTag(t.spec).Key);
  if (markUse) {
    changes.push({
      layer: 'peering',
      accountId: t.cluster.accountId,
      action: 'update',
      resource: 'vpc-peering-connection',
      summary: `Record that this connection also uses ${
        existing!.VpcPeeringConnectionId
      }`,
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
                Tags: [usageTag(t.spec)],
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
                      [usageTag(t.spec).Key]: usageTag(t.spec).Value,
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
              `accepted peering ${peeringConnectionId} in ${t.fileSystem.accountId}`,
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

/** Peering active, or why not; a pending request shows when it expires. */
export async function checkPeering(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const all = await peeringsBetween(ctx.aws.ec2(t.cluster), t);
  const live = all.find(p => LIVE_STATES.includes(p.Status?.Code ?? ''));
  if (!live) {
    const last = all[0];
    return [
      checkResult('peering', 'peering', 'error', {
        summary: last
          ? `No usable peering: the last one (${last.VpcPeeringConnectionId}) is ${last.Status?.Code}.`
          : `No peering between ${t.cluster.vpcId} and ${t.fileSystem.vpcId}.`,
        remedy:
          'Re-run provisioning: it requests and accepts a new peering connection.',
        evidence: {
          peerings: all.map(p => ({
            id: p.VpcPeeringConnectionId,
            status: p.Status?.Code,
          })),
        },
      }),
    ];
  }
  const status = live.Status!.Code!;
  const evidence = {
    peeringConnectionId: live.VpcPeeringConnectionId,
    status,
    expirationTime: live.ExpirationTime?.toISOString(),
  };
  if (status === 'active') {
    return [
      checkResult('peering', 'peering', 'ok', {
        summary: `Peering ${live.VpcPeeringConnectionId} is active.`,
        evidence,
      }),
    ];
  }
  return [
    checkResult(
      'peering',
      'peering',
      status === 'pending-acceptance' ? 'error' : 'warning',
      {
        summary: `Peering ${live.VpcPeeringConnectionId} is ${status}${
          live.ExpirationTime
            ? `; the request expires ${live.ExpirationTime.toISOString()}`
            : ''
        }.`,
        remedy:
          'Re-run provisioning: it accepts the request from the file system account.',
        evidence,
      },
    ),
  ];
}

/**
 * Lets go of the peering: when another connection still uses it, takes only
 * this connection's use tag off and reports it shared (its routes stay too);
 * otherwise the caller removes the routes, then the peering.
 */
export async function releasePeering(
  ctx: EngineContext,
  t: Topology,
): Promise<{ shared: boolean; changes: PlannedChange[] }> {
  const live = await findPeering(ctx, t);
  if (!live || !hasManagedTag(live.Tags)) return { shared: false, changes: [] };
  const others = otherUsers(live.Tags ?? [], t.spec);
  if (others.length === 0) return { shared: false, changes: [] };
  const id = live.VpcPeeringConnectionId!;
  const ours = usageTag(t.spec);
  if (live.Tags?.some(tag => tag.Key === ours.Key)) {
    await ctx.checkpoint(`peering:release:${id}`, async () => {
      await ctx.aws
        .ec2(t.cluster)
        .send(
          new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: ours.Key }] }),
        );
    });
  }
  return {
    shared: true,
    changes: [
      {
        layer: 'peering',
        accountId: t.cluster.accountId,
        action: 'update',
        resource: 'vpc-peering-connection',
        summary: `Keep ${id} and its routes: still used by ${others.join(
          ', ',
        )}`,
      },
    ],
  };
}

/**
 * Deletes the peering if we created it (by its tag); one made by someone
 * else is left alone. Callers decide whether another connection still uses it.
 */
export async function removePeering(
  ctx: EngineContext,
  t: Topology,
): Promise<PlannedChange[]> {
  const live = await findPeering(ctx, t);
  if (!live || !hasManagedTag(live.Tags)) return [];
  const id = live.VpcPeeringConnectionId!;
  await ctx.checkpoint(`peering:delete:${id}`, async () => {
    await ctx.aws
      .ec2(t.cluster)
      .send(
        new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }),
      );
  });
  return [
    {
      layer: 'peering',
      accountId: t.cluster.accountId,
      action: 'delete',
      resource: 'vpc-peering-connection',
      summary: `Delete peering ${id}`,
    },
  ];
}
