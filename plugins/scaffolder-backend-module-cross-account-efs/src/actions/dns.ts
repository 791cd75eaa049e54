import { z } from 'zod/v3';
import type { PrivateDnsResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import type { ActionDeps } from './engineForAction';
import { examples } from './dns.examples';
import { createLayerAction } from './layerAction';

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

/** Seed step 8, shared from the file system's account. */
export function createDnsAction(deps: ActionDeps) {
  return createLayerAction<PrivateDnsResult>(deps, {
    id: 'cross-account-efs:dns',
    layer: 'dns',
    description:
      "One Route 53 private hosted zone per mount target AZ id, named <az-id>.<fs-id>.efs.<region>.amazonaws.com, in the file system's account (apex A record = that mount target's IP), shared by every connected cluster: the file system's account authorizes the association with the cluster's VPC and the cluster's account makes it. Existing zones are reused; a zone of the same name made by hand on the cluster VPC is a blocker.",
    examples,
    output: { zones: () => zones().optional() },
    report(result, ctx) {
      ctx.output('zones', result.zones);
    },
  });
}
