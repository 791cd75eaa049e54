import {
  DeleteTagsCommand,
  DeleteVpcPeeringConnectionCommand,
  VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import {
  ConnectionSpec,
  hasManagedTag,
  otherUsers,
  usageTag,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { EngineContext, LayerPlan, Topology } from '../../engine/types';
import { findPeering } from './read';
import { nothingToChange } from '../../engine/runPlan';

/** Other connections that still use a peering we made (by their use tags). */
export const stillUsedBy = (
  peering: VpcPeeringConnection | undefined,
  spec: ConnectionSpec,
) =>
  peering && hasManagedTag(peering.Tags)
    ? otherUsers(peering.Tags ?? [], spec)
    : [];

/**
 * Deletes the peering if we made it (by its tag) and no other connection
 * uses it; while another does, only this connection's use tag comes off.
 * One made by someone else is left alone.
 */
export async function planPeeringRemoval(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<void>> {
  const live = await findPeering(ctx, t);
  if (!live || !hasManagedTag(live.Tags)) {
    return nothingToChange();
  }
  const id = live.VpcPeeringConnectionId!;
  const ec2 = ctx.aws.ec2(t.cluster);
  const others = stillUsedBy(live, t.spec);
  const base = {
    layer: 'peering' as const,
    accountId: t.cluster.accountId,
    resource: 'vpc-peering-connection',
  };
  if (others.length) {
    const ours = usageTag(t.spec).Key;
    const tagged = live.Tags?.some(tag => tag.Key === ours);
    return {
      changes: [
        {
          ...base,
          action: 'update',
          summary: `Keep ${id} and its routes: still used by ${others.join(
            ', ',
          )}`,
        },
      ],
      blockers: [],
      apply: async () => {
        if (!tagged) return;
        await ctx.checkpoint(`peering:release:${id}`, async () => {
          await ec2.send(
            new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: ours }] }),
          );
        });
      },
    };
  }
  return {
    changes: [{ ...base, action: 'delete', summary: `Delete peering ${id}` }],
    blockers: [],
    apply: async () => {
      await ctx.checkpoint(`peering:delete:${id}`, async () => {
        await ec2.send(
          new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }),
        );
      });
    },
  };
}
