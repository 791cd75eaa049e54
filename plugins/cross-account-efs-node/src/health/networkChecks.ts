import {
  CheckResult,
  mountTargetZoneName,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../engine/checkResult';
import type { Topology } from '../engine/types';

/**
 * Every AZ ID the cluster's nodes use needs an available mount target:
 * under crossaccount, efs-utils resolves `<az-id>.<fs-id>.efs...` and has no
 * fallback. Reads nothing: the discovered topology holds the facts.
 */
export function checkMountTargets(t: Topology): CheckResult[] {
  const clusterAzIds = [...new Set(t.cluster.subnets.map(s => s.azId))].sort();
  return clusterAzIds.map(azId => {
    const target = t.fileSystem.mountTargets.find(m => m.azId === azId);
    const id = `mount-targets:${azId}`;
    if (target?.state === 'available') {
      return checkResult('mount-targets', id, 'ok', {
        summary: `${azId}: mount target ${target.mountTargetId} (${target.ipAddress}) is available.`,
        evidence: {
          azId,
          mountTargetId: target.mountTargetId,
          ipAddress: target.ipAddress,
        },
      });
    }
    return checkResult('mount-targets', id, 'error', {
      summary: target
        ? `${azId}: mount target ${target.mountTargetId} is ${target.state}.`
        : `${azId}: the file system has no mount target in this AZ; pods there fail with Failed to resolve "${mountTargetZoneName(
            azId,
            t.spec,
          )}".`,
      remedy: `Create a mount target for ${t.spec.fileSystem.fileSystemId} in the subnet of AZ ID ${azId} (EFS account), then re-run provisioning to add its DNS zone. Re-running alone does not create mount targets.`,
      evidence: { azId, state: target?.state ?? 'missing' },
    });
  });
}

/** The cluster VPC must resolve private zones: DNS support and DNS hostnames on. */
export function checkVpcDns(t: Topology): CheckResult[] {
  const off = [
    !t.cluster.dnsSupport && 'enableDnsSupport',
    !t.cluster.dnsHostnames && 'enableDnsHostnames',
  ].filter(Boolean);
  const evidence = {
    vpcId: t.cluster.vpcId,
    dnsSupport: t.cluster.dnsSupport,
    dnsHostnames: t.cluster.dnsHostnames,
  };
  return [
    off.length
      ? checkResult('vpc-dns', `vpc-dns:${t.cluster.vpcId}`, 'error', {
          summary: `${t.cluster.vpcId} has ${off.join(
            ' and ',
          )} off: pods cannot resolve the mount targets' private zones.`,
          remedy: `Turn on ${off.join(' and ')} for ${
            t.cluster.vpcId
          } in the cluster's account (aws ec2 modify-vpc-attribute). Provisioning does not change VPC attributes.`,
          evidence,
        })
      : checkResult('vpc-dns', `vpc-dns:${t.cluster.vpcId}`, 'ok', {
          summary: `${t.cluster.vpcId} resolves private zones (DNS support and hostnames on).`,
          evidence,
        }),
  ];
}

/**
 * The cluster VPC's nodes must ask the VPC resolver (AmazonProvidedDNS),
 * which answers the private zones; DNS servers of their own answer them only
 * if they forward those names to it (#285). Unknown (an older topology):
 * nothing to say.
 */
export function checkVpcDhcpDns(t: Topology): CheckResult[] {
  const servers = t.cluster.dnsServers;
  if (!servers) return [];
  const id = `vpc-dns:dhcp:${t.cluster.vpcId}`;
  const evidence = { vpcId: t.cluster.vpcId, dnsServers: servers };
  if (servers.includes('AmazonProvidedDNS')) {
    return [
      checkResult('vpc-dns', id, 'ok', {
        summary: `${t.cluster.vpcId}'s DHCP options use the VPC resolver (AmazonProvidedDNS).`,
        evidence,
      }),
    ];
  }
  return [
    checkResult('vpc-dns', id, 'warning', {
      summary: `${t.cluster.vpcId}'s DHCP options give nodes ${
        servers.length
          ? `their own DNS servers (${servers.join(', ')})`
          : 'no DNS server'
      }, not AmazonProvidedDNS: mounts fail to resolve "${mountTargetZoneName(
        '<az-id>',
        t.spec,
      )}" unless those servers forward the zone names to the VPC resolver.`,
      remedy: `Forward ${mountTargetZoneName('<az-id>', t.spec)
        .split('.')
        .slice(1)
        .join(
          '.',
        )} to the VPC resolver (the VPC CIDR base + 2) on those servers, or add AmazonProvidedDNS to the VPC's DHCP options (cluster account). Provisioning does not change DHCP options.`,
      evidence,
    }),
  ];
}
