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

/** Other connections that still use a peering, made by us or adopted (by their use tags). */
export const stillUsedBy = (
  peering: VpcPeeringConnection | undefined,
  spec: ConnectionSpec,
) => (peering ? otherUsers(peering.Tags ?? [], spec) : []);

/**
 * Deletes the peering if we made it (by its tag) and no other connection
 * uses it; while another does, only this connection's use tag comes off.
 * One made by someone else (adopted) is left as it was: only our use tag
 * comes off.
 */
export async function planPeeringRemoval(
  ctx: EngineContext,
  t: Topology,
): Promise<LayerPlan<void>> {
  const live = await findPeering(ctx, t);
  if (!live) return nothingToChange();
  const id = live.VpcPeeringConnectionId!;
  const ec2 = ctx.aws.ec2(t.cluster);
  const others = stillUsedBy(live, t.spec);
  const ours = usageTag(t.spec).Key;
  const tagged = live.Tags?.some(tag => tag.Key === ours);
  const base = {
    layer: 'peering' as const,
    accountId: t.cluster.accountId,
    resource: 'vpc-peering-connection',
  };
  if (!hasManagedTag(live.Tags)) {
    if (!tagged) return nothingToChange();
    return {
      changes: [
        {
          ...base,
          action: 'update',
          summary: `Leave ${id} (made outside the portal) as it was: take off this connection's use tag`,
        },
      ],
      blockers: [],
      apply: async () => {
        await ctx.checkpoint(`peering:release:${id}`, async () => {
          await ec2.send(
            new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: ours }] }),
          );
        });
      },
    };
  }
  if (others.length) {
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
