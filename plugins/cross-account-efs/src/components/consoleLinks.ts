import type {
  CheckResult,
  ConnectionSpec,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

export interface ConsoleLink {
  label: string;
  href: string;
}

/** The AWS console's host for a region's partition. */
function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

const regional = (region: string, path: string) =>
  `https://${region}.${consoleHost(region)}/${path}`;

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Where to look at a check's resources in the AWS console (in the account
 * the row names; the console asks you to sign in there): the peering, the
 * zone, the roles, the file system, the cluster.
 */
export function consoleLinks(
  result: CheckResult,
  spec?: ConnectionSpec,
): ConsoleLink[] {
  const evidence = (result.evidence ?? {}) as Record<string, unknown>;
  const fs = spec?.fileSystem;
  const cluster = spec?.cluster;
  switch (result.layer) {
    case 'peering': {
      const id = text(evidence.peeringConnectionId);
      return id && cluster
        ? [
            {
              label: id,
              href: regional(
                cluster.region,
                `vpcconsole/home?region=${cluster.region}#PeeringConnectionDetails:VpcPeeringConnectionId=${id}`,
              ),
            },
          ]
        : [];
    }
    case 'dns': {
      const zoneId = text(evidence.hostedZoneId);
      return zoneId && fs
        ? [
            {
              label: text(evidence.zoneName) ?? zoneId,
              href: `https://${consoleHost(
                fs.region,
              )}/route53/v2/hostedzones#ListRecordSets/${zoneId}`,
            },
          ]
        : [];
    }
    case 'iam':
      return [evidence.efsAccessRoleArn, evidence.csiDriverRoleArn]
        .map(text)
        .filter((arn): arn is string => !!arn)
        .map(arn => {
          const name = arn.split('/').pop()!;
          return {
            label: name,
            href: `https://${consoleHost(
              fs?.region ?? '',
            )}/iam/home#/roles/details/${encodeURIComponent(name)}`,
          };
        });
    case 'mount-targets':
    case 'nfs-ingress':
      return fs
        ? [
            {
              label: fs.fileSystemId,
              href: regional(
                fs.region,
                `efs/home?region=${fs.region}#/file-systems/${fs.fileSystemId}`,
              ),
            },
          ]
        : [];
    case 'csi-driver':
    case 'kubernetes':
      return cluster
        ? [
            {
              label: cluster.clusterName,
              href: regional(
                cluster.region,
                `eks/home?region=${cluster.region}#/clusters/${cluster.clusterName}`,
              ),
            },
          ]
        : [];
    default:
      return [];
  }
}
