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
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isIamAlreadyExists, isIamNotFound } from '../aws/errors';
import type { EngineContext, PlannedChange } from '../engine/types';
import {
  emptyPolicy,
  mergeStatements,
  parsePolicy,
  PolicyDocument,
  Statement,
  withoutStatements,
} from './policyDocument';
import { nothingToChange } from '../engine/runPlan';

const documentKey = (accountId: string, roleName: string, policy: string) =>
  `iam-role-policy:${accountId}:${roleName}:${policy}`;

export interface RoleState {
  exists: boolean;
  /** Made by us (tagged): removed once nothing of ours is left on it. */
  managed: boolean;
  trust: PolicyDocument;
  inlinePolicy?: PolicyDocument;
}

export interface WantedRole {
  accountId: string;
  roleName: string;
  description: string;
  trust: Statement;
  inlinePolicyName: string;
  /** Our statements in the inline policy, merged in by Sid: other file systems' stay. */
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
  // Both at once: the policy read fails the same way when the role is missing.
  const [role, policy] = await Promise.all([
    iam.send(new GetRoleCommand({ RoleName: roleName })).catch(orNotFound),
    iam
      .send(
        new GetRolePolicyCommand({
          RoleName: roleName,
          PolicyName: inlinePolicyName,
        }),
      )
      .catch(orNotFound),
  ]);
  if (!role?.Role) {
    return {
      exists: false,
      managed: false,
      trust: { Version: '2012-10-17', Statement: [] },
    };
  }
  return {
    exists: true,
    managed: hasManagedTag(role.Role.Tags),
    trust: parsePolicy(role.Role.AssumeRolePolicyDocument),
    inlinePolicy: policy ? parsePolicy(policy.PolicyDocument) : undefined,
  };
}

function orNotFound(e: unknown): undefined {
  if (!isIamNotFound(e)) throw e;
  return undefined;
}

/**
 * Create the role, or bring an existing one to what is wanted: our trust
 * statement and our inline policy statements merged in by Sid (other
 * statements kept).
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
  const policy = mergeStatements(
    current.inlinePolicy ?? emptyPolicy(),
    wanted.inlinePolicy,
  );
  const policyDiffers = policy.changedSids.length > 0;
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
        }: set ${policy.changedSids.join(', ')}${
          current.inlinePolicy
            ? `; keep the ${
                current.inlinePolicy.Statement.filter(
                  s => !wanted.inlinePolicy.some(w => w.Sid === s.Sid),
                ).length
              } other statement(s)`
            : ''
        }`,
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
          if (!isIamAlreadyExists(e)) throw e;
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
        `${key}:policy:${wanted.inlinePolicyName}:${policy.changedSids.join(
          ',',
        )}`,
        () =>
          ctx.documentLock.run(
            documentKey(
              wanted.accountId,
              wanted.roleName,
              wanted.inlinePolicyName,
            ),
            async () => {
              // Merge again into what is there now: another connection of
              // this role may have written its statements since we looked.
              const now = await readRole(
                ctx,
                target,
                wanted.roleName,
                wanted.inlinePolicyName,
              );
              const { document } = mergeStatements(
                now.inlinePolicy ?? emptyPolicy(),
                wanted.inlinePolicy,
              );
              await iam.send(
                new PutRolePolicyCommand({
                  RoleName: wanted.roleName,
                  PolicyName: wanted.inlinePolicyName,
                  PolicyDocument: JSON.stringify(document),
                }),
              );
            },
          ),
      );
    }
  };
  return { changes, apply };
}

/**
 * Takes this file system's statements out of the role's inline policy, and
 * the shared ones with the last file system; the policy goes when nothing is
 * left in it, and the role once no inline policy is left on it and we
 * created it (tagged).
 */
export async function planRoleStatementRemoval(
  ctx: EngineContext,
  layer: LayerId,
  spec: ConnectionSpec,
  role: {
    accountId: string;
    roleName: string;
    policyName: string;
    /** This file system's Sids, and the Sids shared by all of the role's. */
    sids: { own: string[]; shared: string[] };
    /** Whether a statement left in the policy is another file system's. */
    isFileSystemSid: (sid: string | undefined) => boolean;
  },
  current: RoleState,
): Promise<{ changes: PlannedChange[]; apply: () => Promise<void> }> {
  const { accountId, roleName, policyName } = role;
  const target = { accountId, region: spec.cluster.region };
  const iam = ctx.aws.iam(target);
  if (!current.exists) return nothingToChange();
  const without = (policy: PolicyDocument) => {
    let next = withoutStatements(policy, role.sids.own);
    if (!next.Statement.some(s => role.isFileSystemSid(s.Sid)))
      next = withoutStatements(next, role.sids.shared);
    return next;
  };
  const next = current.inlinePolicy && without(current.inlinePolicy);
  const taken = current.inlinePolicy
    ? current.inlinePolicy.Statement.length - next!.Statement.length
    : 0;
  const policyLeft = !!next && next.Statement.length > 0;
  const { PolicyNames = [] } = await iam.send(
    new ListRolePoliciesCommand({ RoleName: roleName }),
  );
  const deleteRole =
    current.managed && !policyLeft && PolicyNames.every(n => n === policyName);
  const changes: PlannedChange[] = [];
  if (taken > 0) {
    changes.push({
      layer,
      accountId,
      action: policyLeft ? 'update' : 'delete',
      resource: 'iam-role-policy',
      summary: policyLeft
        ? `${policyName} on ${roleName}: take out ${taken} statement(s), keep ${
            next!.Statement.length
          }`
        : `${policyName} on ${roleName}`,
    });
  }
  if (deleteRole) {
    changes.push({
      layer,
      accountId,
      action: 'delete',
      resource: 'iam-role',
      summary: roleName,
    });
  }
  const key = `${layer}:remove:${accountId}:${roleName}`;
  return {
    changes,
    apply: async () => {
      if (taken > 0) {
        await ctx.checkpoint(
          `${key}:${policyName}:${role.sids.own.join(',')}`,
          () =>
            ctx.documentLock.run(
              documentKey(accountId, roleName, policyName),
              async () => {
                // Take ours out of what is there now: another connection of
                // this role may have written its statements since we looked.
                const now = await readRole(ctx, target, roleName, policyName);
                if (!now.inlinePolicy) return;
                const left = without(now.inlinePolicy);
                const names = { RoleName: roleName, PolicyName: policyName };
                if (left.Statement.length) {
                  await iam.send(
                    new PutRolePolicyCommand({
                      ...names,
                      PolicyDocument: JSON.stringify(left),
                    }),
                  );
                } else {
                  await iam.send(new DeleteRolePolicyCommand(names));
                }
              },
            ),
        );
      }
      if (deleteRole) {
        await ctx.checkpoint(key, async () => {
          try {
            await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
          } catch (e) {
            if (!isIamNotFound(e)) throw e;
          }
        });
      }
    },
  };
}
