import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  ConnectionSpec,
  LayerId,
  hasManagedTag,
  managedTagList,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import type { EngineContext, PlannedChange } from '../engine/types';
import {
  mergeStatements,
  parsePolicy,
  PolicyDocument,
  samePolicy,
  Statement,
} from './policyDocument';

export interface RoleState {
  exists: boolean;
  trust: PolicyDocument;
  inlinePolicy?: PolicyDocument;
}

export interface WantedRole {
  accountId: string;
  roleName: string;
  description: string;
  trust: Statement;
  inlinePolicyName: string;
  inlinePolicy: Statement[];
}

/** A role's trust and one of its inline policies, as IAM has them now. */
export async function readRole(
  ctx: EngineContext,
  target: { accountId: string; region: string },
  roleName: string,
  inlinePolicyName: string,
): Promise<RoleState> {
  const iam = ctx.aws.iam(target);
  try {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    let inlinePolicy: PolicyDocument | undefined;
    try {
      const { PolicyDocument: doc } = await iam.send(
        new GetRolePolicyCommand({
          RoleName: roleName,
          PolicyName: inlinePolicyName,
        }),
      );
      inlinePolicy = parsePolicy(doc);
    } catch (e) {
      if (!isAwsError(e, 'NoSuchEntity', 'NoSuchEntityException')) throw e;
    }
    return {
      exists: true,
      trust: parsePolicy(Role?.AssumeRolePolicyDocument),
      inlinePolicy,
    };
  } catch (e) {
    if (!isAwsError(e, 'NoSuchEntity', 'NoSuchEntityException')) throw e;
    return { exists: false, trust: { Version: '2012-10-17', Statement: [] } };
  }
}

/**
 * Create the role, or bring an existing one to what is wanted: our trust
 * statement merged in (other statements kept), our inline policy as given.
 */
export function planRole(
  ctx: EngineContext,
  layer: LayerId,
  spec: ConnectionSpec,
  wanted: WantedRole,
  current: RoleState,
): { changes: PlannedChange[]; apply: () => Promise<void> } {
  const target = { accountId: wanted.accountId, region: spec.cluster.region };
  const iam = ctx.aws.iam(target);
  const trust = mergeStatements(current.trust, [wanted.trust]);
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: wanted.inlinePolicy,
  };
  const policyDiffers =
    !current.inlinePolicy || !samePolicy(current.inlinePolicy, policy);
  const change = (
    action: PlannedChange['action'],
    resource: string,
    summary: string,
  ): PlannedChange => ({
    layer,
    accountId: wanted.accountId,
    action,
    resource,
    summary,
  });
  const changes: PlannedChange[] = [];
  if (!current.exists) {
    changes.push(
      change(
        'create',
        'iam-role',
        `Role ${wanted.roleName}: ${wanted.description}`,
      ),
    );
  } else if (trust.changedSids.length) {
    changes.push(
      change(
        'update',
        'iam-role-trust',
        `Trust of ${wanted.roleName}: set statement ${trust.changedSids.join(
          ', ',
        )}, keep the others`,
      ),
    );
  }
  if (policyDiffers) {
    changes.push(
      change(
        current.inlinePolicy ? 'update' : 'create',
        'iam-role-policy',
        `Inline policy ${wanted.inlinePolicyName} on ${
          wanted.roleName
        }: ${wanted.inlinePolicy.map(s => s.Sid).join(', ')}`,
      ),
    );
  }
  const apply = async () => {
    const key = `${layer}:${wanted.accountId}:${wanted.roleName}`;
    if (!current.exists) {
      await ctx.checkpoint(`${key}:create`, async () => {
        try {
          await iam.send(
            new CreateRoleCommand({
              RoleName: wanted.roleName,
              Description: wanted.description,
              AssumeRolePolicyDocument: JSON.stringify(trust.document),
              Tags: managedTagList(spec),
            }),
          );
        } catch (e) {
          // Created since we looked (a lost response): bring its trust to ours.
          if (
            !isAwsError(
              e,
              'EntityAlreadyExists',
              'EntityAlreadyExistsException',
            )
          )
            throw e;
          const now = await readRole(
            ctx,
            target,
            wanted.roleName,
            wanted.inlinePolicyName,
          );
          await iam.send(
            new UpdateAssumeRolePolicyCommand({
              RoleName: wanted.roleName,
              PolicyDocument: JSON.stringify(
                mergeStatements(now.trust, [wanted.trust]).document,
              ),
            }),
          );
        }
      });
    } else if (trust.changedSids.length) {
      await ctx.checkpoint(`${key}:trust`, async () => {
        await iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: wanted.roleName,
            PolicyDocument: JSON.stringify(trust.document),
          }),
        );
      });
    }
    if (policyDiffers) {
      await ctx.checkpoint(
        `${key}:policy:${wanted.inlinePolicyName}`,
        async () => {
          await iam.send(
            new PutRolePolicyCommand({
              RoleName: wanted.roleName,
              PolicyName: wanted.inlinePolicyName,
              PolicyDocument: JSON.stringify(policy),
            }),
          );
        },
      );
    }
  };
  return { changes, apply };
}

/**
 * Removes our inline policy, and the role itself once no inline policy is
 * left on it and we created it (tagged). Returns what it removed.
 */
export async function removeRolePolicy(
  ctx: EngineContext,
  layer: LayerId,
  spec: ConnectionSpec,
  accountId: string,
  roleName: string,
  policyName: string,
): Promise<PlannedChange[]> {
  const target = { accountId, region: spec.cluster.region };
  const iam = ctx.aws.iam(target);
  const removed: PlannedChange[] = [];
  let role;
  try {
    ({ Role: role } = await iam.send(
      new GetRoleCommand({ RoleName: roleName }),
    ));
  } catch (e) {
    if (isAwsError(e, 'NoSuchEntity', 'NoSuchEntityException')) return removed;
    throw e;
  }
  const { PolicyNames = [] } = await iam.send(
    new ListRolePoliciesCommand({ RoleName: roleName }),
  );
  if (PolicyNames.includes(policyName)) {
    await ctx.checkpoint(
      `${layer}:remove:${accountId}:${roleName}:${policyName}`,
      async () => {
        await iam.send(
          new DeleteRolePolicyCommand({
            RoleName: roleName,
            PolicyName: policyName,
          }),
        );
      },
    );
    removed.push({
      layer,
      accountId,
      action: 'delete',
      resource: 'iam-role-policy',
      summary: `${policyName} on ${roleName}`,
    });
  }
  const ours = hasManagedTag(role?.Tags);
  const others = PolicyNames.filter(n => n !== policyName);
  if (ours && others.length === 0) {
    await ctx.checkpoint(
      `${layer}:remove:${accountId}:${roleName}`,
      async () => {
        try {
          await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
        } catch (e) {
          if (!isAwsError(e, 'NoSuchEntity', 'NoSuchEntityException')) throw e;
        }
      },
    );
    removed.push({
      layer,
      accountId,
      action: 'delete',
      resource: 'iam-role',
      summary: roleName,
    });
  }
  return removed;
}
