import {
  CreateAccessPointCommand,
  DeleteAccessPointCommand,
  DescribeFileSystemPolicyCommand,
  EFSClient,
} from '@aws-sdk/client-efs';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { evaluateIam } from '../iamEvaluation';

/** What the driver reports when AWS (or the policy evaluator standing in for it) says no. */
export class DriverAwsError extends Error {}

const ACCESS_POINT_TAG = 'efs.csi.aws.com/cluster';

const arnParts = (arn: string) => {
  const [, partition, service, region, accountId, resource] =
    /^arn:([^:]+):([^:]+):([^:]*):(\d{12}):(.+)$/.exec(arn) ?? [];
  return { partition, service, region, accountId, resource };
};

/**
 * The AWS side of the EFS CSI controller (efs-ap mode, cross-account), as
 * the real controller does it: it runs as its service account's role,
 * assumes the secret's `awsRoleArn` with its `externalId`, and creates (or
 * deletes) the access point in the file system's account, tagged as the
 * driver's. The emulator checks no IAM, so before each call the request is
 * evaluated with an independent policy evaluator (@cloud-copilot/iam-simulate)
 * against the policies as they are in the emulator: the driver role's
 * identity policies and the EFS-account role's trust for AssumeRole, the
 * EFS-account role's identity policies for CreateAccessPoint, TagResource
 * and DeleteAccessPoint. A denial fails the call with the AccessDenied text
 * AWS would return. Not evaluated: the mount itself (ClientMount and the
 * file system policy, on the nodes).
 */
export class DriverAws {
  constructor(
    private readonly options: {
      /** The gateway (what AWS_ENDPOINT_URL points at). */
      endpoint: string;
      region: string;
      /** Credentials that can read IAM in an account, as the sandbox's admin role. */
      adminCredentials(accountId: string): () => Promise<AwsCredentialIdentity>;
    },
  ) {}

  private client<T>(
    Ctor: new (config: any) => T,
    credentials: any,
    region = this.options.region,
  ): T {
    return new Ctor({ region, endpoint: this.options.endpoint, credentials });
  }

  /** A role's identity policies, inline and attached, as the evaluator takes them. */
  private async identityPolicies(roleArn: string) {
    const { accountId, resource } = arnParts(roleArn);
    const roleName = resource.split('/').pop()!;
    const iam = this.client(
      IAMClient,
      this.options.adminCredentials(accountId),
      'us-east-1',
    );
    const policies: Array<{ name: string; policy: any }> = [];
    const inline = await iam.send(
      new ListRolePoliciesCommand({ RoleName: roleName }),
    );
    for (const name of inline.PolicyNames ?? []) {
      const { PolicyDocument } = await iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }),
      );
      policies.push({
        name,
        policy: JSON.parse(decodeURIComponent(PolicyDocument!)),
      });
    }
    const attached = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: roleName }),
    );
    for (const a of attached.AttachedPolicies ?? []) {
      const { Policy } = await iam.send(
        new GetPolicyCommand({ PolicyArn: a.PolicyArn }),
      );
      const { PolicyVersion } = await iam.send(
        new GetPolicyVersionCommand({
          PolicyArn: a.PolicyArn,
          VersionId: Policy!.DefaultVersionId,
        }),
      );
      policies.push({
        name: a.PolicyName!,
        policy: JSON.parse(decodeURIComponent(PolicyVersion!.Document!)),
      });
    }
    return policies;
  }

  private async trustPolicy(roleArn: string) {
    const { accountId, resource } = arnParts(roleArn);
    const { Role } = await this.client(
      IAMClient,
      this.options.adminCredentials(accountId),
      'us-east-1',
    ).send(new GetRoleCommand({ RoleName: resource.split('/').pop()! }));
    return JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
  }

  /** Throws AWS's AccessDenied unless the evaluator allows the request. */
  private async authorize(request: {
    principal: string;
    principalRoleArn: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
    resourcePolicy?: any;
  }) {
    const decision = await evaluateIam(request, {
      identity: await this.identityPolicies(request.principalRoleArn),
      resource: request.resourcePolicy,
    });
    if (decision !== 'Allowed') {
      const explicit = decision === 'ExplicitlyDenied';
      throw new DriverAwsError(
        `AccessDenied: User: ${
          request.principal
        } is not authorized to perform: ${request.action} on resource: ${
          request.resource
        } ${
          explicit
            ? 'with an explicit deny'
            : 'because no identity-based policy allows the action'
        }`,
      );
    }
  }

  /** The controller's session in the EFS account: its own role, then the secret's role. */
  private async efsAccountSession(input: {
    driverRoleArn: string;
    awsRoleArn: string;
    externalId?: string;
  }) {
    const { accountId } = arnParts(input.driverRoleArn);
    const roleName = arnParts(input.driverRoleArn).resource.split('/').pop();
    // What IRSA or Pod Identity gives the controller's pod.
    const own = await this.client(
      STSClient,
      this.options.adminCredentials(accountId),
    ).send(
      new AssumeRoleCommand({
        RoleArn: input.driverRoleArn,
        RoleSessionName: 'efs-csi-controller',
      }),
    );
    const principal = `arn:aws:sts::${accountId}:assumed-role/${roleName}/efs-csi-controller`;
    await this.authorize({
      principal,
      principalRoleArn: input.driverRoleArn,
      action: 'sts:AssumeRole',
      resource: input.awsRoleArn,
      context: input.externalId ? { 'sts:ExternalId': input.externalId } : {},
      resourcePolicy: await this.trustPolicy(input.awsRoleArn),
    });
    const c = own.Credentials!;
    const assumed = await this.client(STSClient, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
    }).send(
      new AssumeRoleCommand({
        RoleArn: input.awsRoleArn,
        RoleSessionName: 'efs-csi-driver',
        ExternalId: input.externalId,
      }),
    );
    const e = assumed.Credentials!;
    const efsRole = arnParts(input.awsRoleArn);
    return {
      principal: `arn:aws:sts::${
        efsRole.accountId
      }:assumed-role/${efsRole.resource.split('/').pop()}/efs-csi-driver`,
      efs: this.client(EFSClient, {
        accessKeyId: e.AccessKeyId!,
        secretAccessKey: e.SecretAccessKey!,
        sessionToken: e.SessionToken,
      }),
    };
  }

  /** CreateVolume: an access point for the volume, with its own root directory. */
  async createAccessPoint(input: {
    driverRoleArn: string;
    awsRoleArn: string;
    externalId?: string;
    fileSystemId: string;
    volumeName: string;
    basePath?: string;
    directoryPerms: string;
    gid: number;
    /** The controller's `--tags`, sent with its own. */
    extraTags?: Record<string, string>;
  }): Promise<string> {
    const session = await this.efsAccountSession(input);
    const { accountId } = arnParts(input.awsRoleArn);
    const fileSystemArn = `arn:aws:elasticfilesystem:${this.options.region}:${accountId}:file-system/${input.fileSystemId}`;
    const tags = { ...input.extraTags, [ACCESS_POINT_TAG]: 'true' };
    const tagged = {
      ...Object.fromEntries(
        Object.entries(tags).map(([key, value]) => [
          `aws:RequestTag/${key}`,
          value,
        ]),
      ),
      'aws:TagKeys': Object.keys(tags),
    };
    for (const [action, resource] of [
      ['elasticfilesystem:CreateAccessPoint', fileSystemArn],
      [
        'elasticfilesystem:TagResource',
        `arn:aws:elasticfilesystem:${this.options.region}:${accountId}:access-point/fsap-00000000000000000`,
      ],
    ]) {
      await this.authorize({
        principal: session.principal,
        principalRoleArn: input.awsRoleArn,
        action,
        resource,
        context: tagged,
      });
    }
    const created = await session.efs.send(
      new CreateAccessPointCommand({
        ClientToken: input.volumeName,
        FileSystemId: input.fileSystemId,
        PosixUser: { Uid: input.gid, Gid: input.gid },
        RootDirectory: {
          Path: `${input.basePath ?? ''}/${input.volumeName}`.replace(
            /^\/*/,
            '/',
          ),
          CreationInfo: {
            OwnerUid: input.gid,
            OwnerGid: input.gid,
            Permissions: input.directoryPerms,
          },
        },
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return created.AccessPointId!;
  }

  /**
   * DeleteVolume with `delete-access-point-root-dir`: before the access
   * point goes, the controller mounts the file system's root (as its own
   * role, over TLS, through a mount target) to delete the volume's
   * directory, which belongs to the access point's uid: ClientMount,
   * ClientWrite and ClientRootAccess, each allowed by the role's identity
   * policies and the file system policy.
   */
  async mountRootAsController(input: {
    driverRoleArn: string;
    awsRoleArn: string;
    fileSystemId: string;
  }): Promise<void> {
    const { accountId: eksAccountId, resource } = arnParts(input.driverRoleArn);
    const { accountId } = arnParts(input.awsRoleArn);
    const { Policy } = await this.client(
      EFSClient,
      this.options.adminCredentials(accountId),
    )
      .send(
        new DescribeFileSystemPolicyCommand({
          FileSystemId: input.fileSystemId,
        }),
      )
      .catch(() => ({ Policy: undefined }));
    for (const action of [
      'elasticfilesystem:ClientMount',
      'elasticfilesystem:ClientWrite',
      'elasticfilesystem:ClientRootAccess',
    ]) {
      await this.authorize({
        principal: `arn:aws:sts::${eksAccountId}:assumed-role/${resource
          .split('/')
          .pop()}/efs-csi-controller`,
        principalRoleArn: input.driverRoleArn,
        action,
        resource: `arn:aws:elasticfilesystem:${this.options.region}:${accountId}:file-system/${input.fileSystemId}`,
        context: {
          'elasticfilesystem:AccessedViaMountTarget': 'true',
          'aws:SecureTransport': 'true',
        },
        resourcePolicy: Policy ? JSON.parse(Policy) : undefined,
      });
    }
  }

  /** DeleteVolume: the volume's access point goes. */
  async deleteAccessPoint(input: {
    driverRoleArn: string;
    awsRoleArn: string;
    externalId?: string;
    accessPointId: string;
  }): Promise<void> {
    const session = await this.efsAccountSession(input);
    const { accountId } = arnParts(input.awsRoleArn);
    await this.authorize({
      principal: session.principal,
      principalRoleArn: input.awsRoleArn,
      action: 'elasticfilesystem:DeleteAccessPoint',
      resource: `arn:aws:elasticfilesystem:${this.options.region}:${accountId}:access-point/${input.accessPointId}`,
      context: { [`aws:ResourceTag/${ACCESS_POINT_TAG}`]: 'true' },
    });
    await session.efs.send(
      new DeleteAccessPointCommand({ AccessPointId: input.accessPointId }),
    );
  }
}
