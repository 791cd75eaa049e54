import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type { EngineContext, Topology } from '../../engine/types';
import { apexRecord, wantedZones, zonesOnVpc } from './read';

/**
 * Per AZ ID: a zone of the right name on the cluster's VPC, whose A record
 * is the mount target's IP. The record is read in the zone's own account.
 */
export async function checkPrivateDns(
  ctx: EngineContext,
  t: Topology,
): Promise<CheckResult[]> {
  const onCluster = await zonesOnVpc(ctx, t.cluster);
  const readers = new Map([
    [t.cluster.accountId, ctx.aws.route53(t.cluster)],
    [t.fileSystem.accountId, ctx.aws.route53(t.fileSystem)],
  ]);
  const results = await Promise.all(
    wantedZones(t).map(async ({ mountTarget, zoneName }) => {
      const id = `zone:${mountTarget.azId}`;
      const zone = onCluster.get(zoneName);
      if (!zone) {
        return checkResult('dns', id, 'error', {
          summary: `No private zone ${zoneName} on ${t.cluster.vpcId}: pods in ${mountTarget.azId} fail with 'Failed to resolve'.`,
          remedy:
            "Re-run provisioning: it associates the file system's zone with the cluster VPC (and creates the zone if it is missing).",
          evidence: { zoneName, vpcId: t.cluster.vpcId },
        });
      }
      const owner = zone.owningAccount ?? t.cluster.accountId;
      const reader = readers.get(owner);
      if (!reader) {
        return checkResult('dns', id, 'unknown', {
          summary: `${zoneName} on ${t.cluster.vpcId} belongs to account ${owner}, where the portal has no role: its record cannot be read.`,
          remedy:
            "Delete or disassociate that zone and re-run provisioning, which uses the zone in the file system's account.",
          evidence: { zoneName, hostedZoneId: zone.hostedZoneId, owner },
        });
      }
      const values = await apexRecord(reader, zone.hostedZoneId, zoneName);
      const evidence = {
        zoneName,
        hostedZoneId: zone.hostedZoneId,
        zoneAccount: owner,
        records: values,
        mountTargetIp: mountTarget.ipAddress,
      };
      return values.length === 1 && values[0] === mountTarget.ipAddress
        ? checkResult('dns', id, 'ok', {
            summary: `${zoneName} -> ${mountTarget.ipAddress}.`,
            evidence,
          })
        : checkResult('dns', id, 'error', {
            summary: `${zoneName} resolves to ${
              values.join(', ') || 'nothing'
            }, but the mount target's IP is ${mountTarget.ipAddress}.`,
            remedy:
              'Re-run provisioning: it sets the A record to the current mount target IP (for every cluster that uses the zone).',
            evidence,
          });
    }),
  );
  return results;
}
