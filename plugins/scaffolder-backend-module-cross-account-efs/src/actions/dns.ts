import { z } from 'zod/v3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { planPrivateDns } from '@internal/plugin-cross-account-efs-node';
import { examples } from './dns.examples';
import { ActionDeps, ensureLayer, parseInput } from './engineForAction';
import { discoveredNetworks, requestId } from './inputProperties';
import { plan } from './outputProperties';

const zones = () =>
  z
    .array(
      z.object({
        azId: z.string(),
        zoneName: z.string(),
        hostedZoneId: z.string(),
        ipAddress: z.string(),
      }),
    )
    .describe('One private hosted zone per AZ id, with the A record it holds');

const inputShape = { ...discoveredNetworks, requestId };

/** Seed step 8, in the cluster's account. */
export function createDnsAction(deps: ActionDeps) {
  return createTemplateAction({
    id: 'cross-account-efs:dns',
    description:
      "One Route 53 private hosted zone per mount target AZ id, named <az-id>.<fs-id>.efs.<region>.amazonaws.com, in the file system's account (apex A record = that mount target's IP), shared by every connected cluster: the file system's account authorizes the association with the cluster's VPC and the cluster's account makes it. Existing zones are reused; a zone of the same name made by hand on the cluster VPC is a blocker.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: { zones: () => zones().optional(), plan },
    },
    async handler(ctx) {
      const input = parseInput(inputShape, ctx.input);
      const result = await ensureLayer(deps, ctx, input, (engine, t) =>
        planPrivateDns(engine, t),
      );
      if (result) ctx.output('zones', result.zones);
    },
  });
}
