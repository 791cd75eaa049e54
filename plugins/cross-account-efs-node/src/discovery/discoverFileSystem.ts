import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
} from '@aws-sdk/client-efs';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  FileSystemNetwork,
  FileSystemRef,
  MountTarget,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import type { EngineContext } from '../engine/types';
import { routeTablesForSubnets, vpcCidrs, vpcRouteTables } from './vpcFacts';
import { awsPartitionOf } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/** A missing file system reads as `fallback`; any other error stands. */
const ifNotFound =
  <T>(fallback: T) =>
  (e: unknown): T => {
    if (isAwsError(e, 'FileSystemNotFound')) return fallback;
    throw e;
  };

/**
 * Seed steps 1-2: the file system, its mount targets per AZ id (IP, subnet,
 * security groups, state), its VPC's CIDRs and the mount targets' route
 * tables. Read-only.
 *
 * @public
 */
export async function discoverFileSystem(
  ctx: EngineContext,
  ref: FileSystemRef,
): Promise<FileSystemNetwork> {
  const efs = ctx.aws.efs(ref);
  const ec2 = ctx.aws.ec2(ref);

  // The file system and its mount targets side by side; a missing file
  // system is reported by the first read, whichever answers first.
  const [fileSystem, MountTargets = []] = await Promise.all([
    efs
      .send(new DescribeFileSystemsCommand({ FileSystemId: ref.fileSystemId }))
      .then(r => r.FileSystems?.[0], ifNotFound(undefined)),
    efs
      .send(new DescribeMountTargetsCommand({ FileSystemId: ref.fileSystemId }))
      .then(r => r.MountTargets, ifNotFound(undefined)),
  ]);
  if (!fileSystem) {
    throw new NotFoundError(
      `fileSystem.fileSystemId: no EFS file system ${ref.fileSystemId} in account ${ref.accountId}, region ${ref.region}. Check the id and region on the file system's catalog entity.`,
    );
  }
  if (MountTargets.length === 0) {
    throw new InputError(
      `fileSystem.fileSystemId: ${ref.fileSystemId} has no mount targets. Create one in every availability zone where cluster nodes run (EFS console, Network tab).`,
    );
  }
  const vpcId = MountTargets[0].VpcId!;

  const [{ NetworkInterfaces = [] }, cidrs, tables] = await Promise.all([
    // One call for every mount target's security groups.
    ec2.send(
      new DescribeNetworkInterfacesCommand({
        NetworkInterfaceIds: MountTargets.map(
          m => m.NetworkInterfaceId!,
        ).filter(Boolean),
      }),
    ),
    vpcCidrs(ec2, vpcId),
    vpcRouteTables(ec2, vpcId),
  ]);
  const groupsByEni = new Map(
    NetworkInterfaces.map(eni => [
      eni.NetworkInterfaceId!,
      (eni.Groups ?? []).map(g => g.GroupId!),
    ]),
  );

  const mountTargets: MountTarget[] = MountTargets.map(m => ({
    mountTargetId: m.MountTargetId!,
    azId: m.AvailabilityZoneId!,
    azName: m.AvailabilityZoneName!,
    ipAddress: m.IpAddress!,
    subnetId: m.SubnetId!,
    securityGroupIds: groupsByEni.get(m.NetworkInterfaceId!) ?? [],
    state: m.LifeCycleState!,
  })).sort((a, b) => a.azId.localeCompare(b.azId));

  return {
    accountId: ref.accountId,
    region: ref.region,
    fileSystemId: ref.fileSystemId,
    fileSystemArn:
      fileSystem.FileSystemArn ??
      `arn:${awsPartitionOf(ref.region)}:elasticfilesystem:${ref.region}:${
        ref.accountId
      }:file-system/${ref.fileSystemId}`,
    lifeCycleState: fileSystem.LifeCycleState!,
    vpcId,
    vpcCidrs: cidrs,
    mountTargets,
    routeTableIds: routeTablesForSubnets(
      tables,
      mountTargets.map(m => m.subnetId),
    ),
  };
}
