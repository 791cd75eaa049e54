import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { MountTarget } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { EngineContext, Topology } from '../../engine/types';
import { apexRecord } from './read';

/** The record work of the DNS layer: each zone's apex A record, the mount target's IP. */

const TTL_SECONDS = 60;

export async function upsertApexRecord(
  ctx: EngineContext,
  t: Topology,
  hostedZoneId: string,
  zoneName: string,
  mountTarget: MountTarget,
) {
  await ctx.aws.route53(t.fileSystem).send(
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
}

/** Deletes the apex record as it is now (a DELETE must name its values). */
export async function deleteApexRecord(
  ctx: EngineContext,
  t: Topology,
  hostedZoneId: string,
  zoneName: string,
) {
  const r53 = ctx.aws.route53(t.fileSystem);
  const values = await apexRecord(r53, hostedZoneId, zoneName);
  if (!values.length) return;
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
