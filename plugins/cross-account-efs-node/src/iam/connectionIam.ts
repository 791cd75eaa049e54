import {
  ConnectionSpec,
  CSI_DRIVER,
  WorkloadIdentity,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { PolicyDocument, Statement } from './policyDocument';
import { awsPartitionOf } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/**
 * Every IAM name, ARN and statement a connection needs, in one place, so
 * provisioning, health and removal agree on them. Why each permission is
 * there is said next to it.
 */

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
const upTo64 = (s: string) => s.slice(0, 64);

/** EFS account: the role the driver's controller assumes (one per cluster). */
export function defaultEfsAccessRoleName(spec: ConnectionSpec): string {
  return upTo64(
    `efs-csi-x-account-${spec.cluster.accountId}-${spec.cluster.clusterName}`,
  );
}

/** EKS account: the role of the driver's service accounts (one per cluster). */
export function defaultCsiDriverRoleName(spec: ConnectionSpec): string {
  return upTo64(`efs-csi-driver-${spec.cluster.clusterName}`);
}

/**
 * One inline policy per role, whichever file systems it serves: a file
 * system's statements carry its id in their Sid (merged in and taken out by
 * Sid), so a health sweep reads each role's permissions with one call.
 */
export const INLINE_POLICY_NAME = 'cross-account-efs';

/** The Sid of a statement about one file system: `<base><fs id without dashes>`. */
const forFileSystem = (base: string, spec: ConnectionSpec) =>
  `${base}${alnum(spec.fileSystem.fileSystemId)}`;

/** Whether a Sid is one of our per-file-system statements (any file system). */
export const isFileSystemSid = (sid: string | undefined) =>
  /^(DescribeFileSystem|CreateAccessPoint|MountFileSystem)fs[0-9a-f]+$/.test(
    sid ?? '',
  );

/**
 * The Sids of a role's inline policy that belong to one file system, and
 * those every file system of the role shares (taken out with the last one).
 */
export const roleStatementSids = (spec: ConnectionSpec) => ({
  efsAccessRole: {
    own: [
      forFileSystem('DescribeFileSystem', spec),
      forFileSystem('CreateAccessPoint', spec),
    ],
    shared: ['TagAccessPointOnCreate', 'DeleteDriverAccessPoint'],
  },
  csiDriverRole: {
    own: [forFileSystem('MountFileSystem', spec)],
    shared: ['AssumeEfsAccountRole'],
  },
});

/** A role's ARN in the partition of the account's region. */
export function roleArn(
  account: { accountId: string; region: string },
  roleName: string,
): string {
  return `arn:${awsPartitionOf(account.region)}:iam::${
    account.accountId
  }:role/${roleName}`;
}

export function fileSystemArn(spec: ConnectionSpec): string {
  const { region, accountId, fileSystemId } = spec.fileSystem;
  return `arn:${awsPartitionOf(
    region,
  )}:elasticfilesystem:${region}:${accountId}:file-system/${fileSystemId}`;
}

function accessPointsArn(spec: ConnectionSpec): string {
  const { region, accountId } = spec.fileSystem;
  return `arn:${awsPartitionOf(
    region,
  )}:elasticfilesystem:${region}:${accountId}:access-point/*`;
}

/** Sids are alphanumeric; these name the cluster so connections do not collide. */
export const sids = (spec: ConnectionSpec) => {
  const cluster = `${spec.cluster.accountId}${alnum(spec.cluster.clusterName)}`;
  return {
    trust: `CsiController${cluster}`,
    mount: `CrossAccountEfsMount${cluster}`,
    secureTransport: 'CrossAccountEfsSecureTransport',
    irsa: 'EfsCsiDriverIrsa',
    podIdentity: 'EfsCsiDriverPodIdentity',
  };
};

/** The external id the EFS-account role's trust asks of this cluster's driver, if any. */
export function trustedExternalId(
  trust: PolicyDocument,
  spec: ConnectionSpec,
): string | undefined {
  const value = trust.Statement.find(s => s.Sid === sids(spec).trust)?.Condition
    ?.StringEquals?.['sts:ExternalId'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Trust of the EFS-account role: only the driver's role in the EKS account
 * (never the account root), and only with the external id the cluster's
 * `x-account` secret carries.
 */
export function efsAccessRoleTrust(
  spec: ConnectionSpec,
  csiDriverRoleArn: string,
  externalId: string,
): Statement {
  return {
    Sid: sids(spec).trust,
    Effect: 'Allow',
    Principal: { AWS: csiDriverRoleArn },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': externalId } },
  };
}

/**
 * What the driver's controller does in the EFS account when it provisions
 * and deletes volumes (efs-ap mode), scoped to this file system and its
 * access points, with the tag conditions of AmazonEFSCSIDriverPolicy.
 */
export function efsAccessRolePolicy(spec: ConnectionSpec): Statement[] {
  const fs = fileSystemArn(spec);
  const accessPoints = accessPointsArn(spec);
  const tag = CSI_DRIVER.accessPointTag;
  const [describeSid, createSid] = roleStatementSids(spec).efsAccessRole.own;
  return [
    {
      // CreateVolume looks up the file system, its mount targets and the
      // access points already there (to pick a free gid).
      Sid: describeSid,
      Effect: 'Allow',
      Action: [
        'elasticfilesystem:DescribeFileSystems',
        'elasticfilesystem:DescribeMountTargets',
        'elasticfilesystem:DescribeAccessPoints',
      ],
      Resource: [fs, accessPoints],
    },
    {
      // One access point per volume, created tagged as the driver's.
      Sid: createSid,
      Effect: 'Allow',
      Action: 'elasticfilesystem:CreateAccessPoint',
      Resource: fs,
      Condition: { StringLike: { [`aws:RequestTag/${tag}`]: 'true' } },
    },
    // The account's access points: shared by every file system of the role.
    {
      // Tags given at creation need TagResource on the new access point.
      Sid: 'TagAccessPointOnCreate',
      Effect: 'Allow',
      Action: 'elasticfilesystem:TagResource',
      Resource: accessPoints,
      Condition: { StringLike: { [`aws:RequestTag/${tag}`]: 'true' } },
    },
    {
      // DeleteVolume removes only access points the driver made.
      Sid: 'DeleteDriverAccessPoint',
      Effect: 'Allow',
      Action: 'elasticfilesystem:DeleteAccessPoint',
      Resource: accessPoints,
      Condition: { StringEquals: { [`aws:ResourceTag/${tag}`]: 'true' } },
    },
  ];
}

/**
 * Trust of the driver's role: the controller and node service accounts of
 * this cluster, through its OIDC provider (IRSA) or through EKS Pod Identity.
 */
export function csiDriverRoleTrust(
  spec: ConnectionSpec,
  identity: WorkloadIdentity,
  oidc?: { providerArn: string; issuerHostPath: string },
): Statement {
  if (identity === 'pod-identity') {
    return {
      Sid: sids(spec).podIdentity,
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': spec.cluster.accountId,
        },
      },
    };
  }
  const issuer = oidc!.issuerHostPath;
  const sa = (name: string) =>
    `system:serviceaccount:${CSI_DRIVER.namespace}:${name}`;
  return {
    Sid: sids(spec).irsa,
    Effect: 'Allow',
    Principal: { Federated: oidc!.providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${issuer}:aud`]: 'sts.amazonaws.com',
        [`${issuer}:sub`]: [
          sa(CSI_DRIVER.controllerServiceAccount),
          sa(CSI_DRIVER.nodeServiceAccount),
        ],
      },
    },
  };
}

/**
 * The driver's role: assume the EFS-account role (controller; one per
 * cluster, shared by its file systems), and mount and write this file
 * system (node: cross-account access needs the caller's own policy as well
 * as the file system policy).
 */
export function csiDriverRolePolicy(
  spec: ConnectionSpec,
  efsAccessRoleArn: string,
  rootAccess: boolean,
): Statement[] {
  return [
    {
      Sid: 'AssumeEfsAccountRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: efsAccessRoleArn,
    },
    {
      Sid: roleStatementSids(spec).csiDriverRole.own[0],
      Effect: 'Allow',
      Action: clientActions(rootAccess),
      Resource: fileSystemArn(spec),
    },
  ];
}

function clientActions(rootAccess: boolean): string[] {
  return [
    'elasticfilesystem:ClientMount',
    'elasticfilesystem:ClientWrite',
    ...(rootAccess ? ['elasticfilesystem:ClientRootAccess'] : []),
  ];
}

/**
 * Our statements in the file system policy: the driver's role may mount and
 * write through a mount target (the node's identity at mount time), and
 * nobody may use it without TLS.
 */
export function fileSystemPolicyStatements(
  spec: ConnectionSpec,
  csiDriverRoleArn: string,
  rootAccess: boolean,
): Statement[] {
  const fs = fileSystemArn(spec);
  return [
    {
      Sid: sids(spec).mount,
      Effect: 'Allow',
      Principal: { AWS: csiDriverRoleArn },
      Action: clientActions(rootAccess),
      Resource: fs,
      Condition: {
        Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
      },
    },
    {
      Sid: sids(spec).secureTransport,
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: '*',
      Resource: fs,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
}
