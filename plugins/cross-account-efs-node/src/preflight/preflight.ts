import { ConnectionSpec } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type {
  ClusterNetwork,
  FileSystemNetwork,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { cidrsOverlap } from './cidr';

/**
 * One reason a connection cannot be made as asked, with the field and the fix.
 *
 * @public
 */
export interface PreflightProblem {
  field: string;
  summary: string;
  remedy: string;
}

/** @public */
export interface PreflightReport {
  ok: boolean;
  problems: PreflightProblem[];
}

/**
 * Seed step 4's checks, and the ones the seed leaves out, before anything is
 * changed: regions, file system state, CIDR overlap across every associated
 * block, a mount target in every AZ id the cluster uses, and DNS on the
 * cluster's VPC. Pure: it reads only what discovery found.
 *
 * @public
 */
export function preflight(
  spec: ConnectionSpec,
  fileSystem: FileSystemNetwork,
  cluster: ClusterNetwork,
): PreflightReport {
  const problems: PreflightProblem[] = [];

  if (spec.fileSystem.region !== spec.cluster.region) {
    problems.push({
      field: 'cluster.region',
      summary: `The cluster is in ${spec.cluster.region} but the file system is in ${spec.fileSystem.region}.`,
      remedy:
        "Use a file system in the cluster's region: the EFS CSI controller calls EFS in its own region, so cross-region mounts fail.",
    });
  }

  if (spec.fileSystem.accountId === spec.cluster.accountId) {
    problems.push({
      field: 'cluster.accountId',
      summary: 'The file system and the cluster are in the same account.',
      remedy:
        'This tool connects accounts; in one account, mount the file system directly with the EFS CSI driver.',
    });
  }

  if (fileSystem.lifeCycleState !== 'available') {
    problems.push({
      field: 'fileSystem.fileSystemId',
      summary: `File system ${fileSystem.fileSystemId} is ${fileSystem.lifeCycleState}, not available.`,
      remedy: 'Wait until it is available, or pick another file system.',
    });
  }

  for (const efsCidr of fileSystem.vpcCidrs) {
    for (const eksCidr of cluster.vpcCidrs) {
      if (cidrsOverlap(efsCidr, eksCidr)) {
        problems.push({
          field: 'cluster.clusterName',
          summary: `The cluster's VPC ${cluster.vpcId} (${eksCidr}) overlaps the file system's VPC ${fileSystem.vpcId} (${efsCidr}); VPC peering cannot route between overlapping ranges.`,
          remedy:
            'Use a cluster whose VPC CIDR blocks do not overlap the file system VPC, or connect through a Transit Gateway with NAT.',
        });
      }
    }
  }

  const availableAzIds = new Set(
    fileSystem.mountTargets
      .filter(m => m.state === 'available')
      .map(m => m.azId),
  );
  const clusterAzIds = [...new Set(cluster.subnets.map(s => s.azId))].sort();
  const uncovered = clusterAzIds.filter(az => !availableAzIds.has(az));
  if (uncovered.length > 0) {
    problems.push({
      field: 'fileSystem.fileSystemId',
      summary: `No available mount target in AZ id ${uncovered.join(
        ', ',
      )}, where the cluster's subnets are. Pods there would fail to resolve the file system.`,
      remedy: `Create a mount target for ${
        fileSystem.fileSystemId
      } in ${uncovered.join(
        ', ',
      )} (or run efs discovery with createMissingMountTargets).`,
    });
  }

  if (!cluster.dnsSupport || !cluster.dnsHostnames) {
    const missing = [
      !cluster.dnsSupport && 'enableDnsSupport',
      !cluster.dnsHostnames && 'enableDnsHostnames',
    ].filter(Boolean);
    problems.push({
      field: 'cluster.clusterName',
      summary: `The cluster's VPC ${cluster.vpcId} has ${missing.join(
        ' and ',
      )} off, so it cannot resolve the private zones for the mount targets.`,
      remedy: `Turn on ${missing.join(' and ')} for ${
        cluster.vpcId
      } (VPC settings, Edit DNS).`,
    });
  }

  if (!cluster.clusterSecurityGroupId) {
    problems.push({
      field: 'cluster.clusterName',
      summary: `EKS reports no cluster security group for ${cluster.clusterName}.`,
      remedy:
        'Use the CIDR mode for NFS ingress, or check the cluster in the EKS console.',
    });
  }

  return { ok: problems.length === 0, problems };
}
