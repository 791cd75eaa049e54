import { randomUUID } from 'node:crypto';
import { DescribeAddonCommand } from '@aws-sdk/client-eks';
import {
  CheckResult,
  ClusterRef,
  ConnectionSpec,
  CSI_DRIVER,
  WorkloadIdentity,
} from '@internal/plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import { checkResult } from '../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerPlan,
  PlannedChange,
  Topology,
} from '../engine/types';
import {
  csiDriverRolePolicy,
  csiDriverRoleTrust,
  defaultCsiDriverRoleName,
  defaultEfsAccessRoleName,
  efsAccessRolePolicy,
  efsAccessRoleTrust,
  fileSystemPolicyStatements,
  INLINE_POLICY_NAME,
  isFileSystemSid,
  roleArn,
  roleStatementSids,
  sids,
} from '../iam/connectionIam';
import {
  planFileSystemPolicy,
  readFileSystemPolicy,
  removeFileSystemPolicyStatements,
} from '../iam/fileSystemPolicy';
import { findOidcProvider, planOidcProvider } from '../iam/oidcProvider';
import {
  awsPrincipals,
  isAccountRoot,
  PolicyDocument,
} from '../iam/policyDocument';
import { planRole, readRole, removeRoleStatements } from '../iam/roles';

export interface IamOptions {
  /** How the driver's pods get their identity: IRSA (default) or EKS Pod Identity. */
  workloadIdentity?: WorkloadIdentity;
  /** The driver's role in the EKS account; default: the add-on's, else efs-csi-driver-<cluster>. */
  csiDriverRoleName?: string;
  /** The role in the EFS account; default efs-csi-x-account-<eks account>-<cluster>. */
  efsAccessRoleName?: string;
  /** Also grant ClientRootAccess (root in pods acts as root on the file system). */
  rootAccess?: boolean;
}

export interface IamResult {
  csiDriverRoleArn: string;
  efsAccessRoleArn: string;
  oidcProviderArn?: string;
  workloadIdentity: WorkloadIdentity;
}

/** The role the installed add-on already runs as, if it is in the cluster's account. */
function addonRoleName(
  ctx: EngineContext,
  cluster: ClusterRef,
): Promise<string | undefined> {
  return ctx.aws.shared(
    `addon-role:${cluster.accountId}:${cluster.region}:${cluster.clusterName}`,
    () => addonRoleNameNow(ctx, cluster),
  );
}

async function addonRoleNameNow(
  ctx: EngineContext,
  cluster: ClusterRef,
): Promise<string | undefined> {
  try {
    const { addon } = await ctx.aws.eks(cluster).send(
      new DescribeAddonCommand({
        clusterName: cluster.clusterName,
        addonName: CSI_DRIVER.addonName,
      }),
    );
    const arn = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
      addon?.serviceAccountRoleArn ?? '',
    );
    return arn && arn[1] === cluster.accountId ? arn[2] : undefined;
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFoundException')) return undefined;
    throw e;
  }
}

/** The external id the EFS-account role's trust already asks for, if any. */
function externalIdIn(trust: PolicyDocument, sid: string): string | undefined {
  const value = trust.Statement.find(s => s.Sid === sid)?.Condition
    ?.StringEquals?.['sts:ExternalId'];
  return typeof value === 'string' ? value : undefined;
}

interface IamState {
  names: { csiDriverRole: string; efsAccessRole: string; policy: string };
  arns: { csiDriverRole: string; efsAccessRole: string };
  identity: WorkloadIdentity;
  oidc?: Awaited<ReturnType<typeof findOidcProvider>>;
  csiRole: Awaited<ReturnType<typeof readRole>>;
  efsRole: Awaited<ReturnType<typeof readRole>>;
  fileSystemPolicy?: PolicyDocument;
}

function efsAccessRoleName(spec: ConnectionSpec, options: IamOptions) {
  return options.efsAccessRoleName ?? defaultEfsAccessRoleName(spec);
}

/** The connection's role in the EFS account, as IAM has it now. */
export function readEfsAccessRole(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: IamOptions,
) {
  return readRole(
    ctx,
    spec.fileSystem,
    efsAccessRoleName(spec, options),
    INLINE_POLICY_NAME,
  );
}

/**
 * The reads of a connection's IAM that need only its spec: the driver's role
 * (named by the add-on, if installed), the EFS-account role and the file
 * system policy. A health sweep starts them before discovery.
 */
export async function readConnectionRoles(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: IamOptions,
) {
  const efsAccessRole = efsAccessRoleName(spec, options);
  // Only the driver role waits for a read first: its name (the add-on's role).
  const readCsiDriverRole = async () => {
    const name =
      options.csiDriverRoleName ??
      (await addonRoleName(ctx, spec.cluster)) ??
      defaultCsiDriverRoleName(spec);
    return {
      name,
      role: await readRole(ctx, spec.cluster, name, INLINE_POLICY_NAME),
    };
  };
  const [csiDriver, efsRole, fileSystemPolicy] = await Promise.all([
    readCsiDriverRole(),
    readEfsAccessRole(ctx, spec, options),
    readFileSystemPolicy(ctx, spec),
  ]);
  return { csiDriver, efsAccessRole, efsRole, fileSystemPolicy };
}

async function readIamState(
  ctx: EngineContext,
  t: Topology,
  options: IamOptions,
): Promise<IamState> {
  const identity = options.workloadIdentity ?? 'irsa';
  const [oidc, roles] = await Promise.all([
    identity === 'irsa' && t.cluster.oidcIssuer
      ? findOidcProvider(ctx, t.spec, t.cluster.oidcIssuer)
      : undefined,
    readConnectionRoles(ctx, t.spec, options),
  ]);
  const csiDriverRole = roles.csiDriver.name;
  const { efsAccessRole } = roles;
  return {
    names: { csiDriverRole, efsAccessRole, policy: INLINE_POLICY_NAME },
    arns: {
      csiDriverRole: roleArn(t.cluster.accountId, csiDriverRole),
      efsAccessRole: roleArn(t.fileSystem.accountId, efsAccessRole),
    },
    identity,
    oidc,
    csiRole: roles.csiDriver.role,
    efsRole: roles.efsRole,
    fileSystemPolicy: roles.fileSystemPolicy,
  };
}

function planFromState(
  ctx: EngineContext,
  t: Topology,
  options: IamOptions,
  s: IamState,
) {
  const blockers: Blocker[] = [];
  if (s.identity === 'irsa' && !s.oidc) {
    blockers.push({
      layer: 'iam',
      summary: `Cluster ${t.cluster.clusterName} has no OIDC issuer, which IRSA needs.`,
      remedy:
        "Choose workloadIdentity 'pod-identity', or enable the cluster's OIDC issuer.",
    });
  }
  const rootAccess = options.rootAccess ?? false;
  const externalId =
    externalIdIn(s.efsRole.trust, sids(t.spec).trust) ?? randomUUID();
  const parts = [
    s.oidc
      ? planOidcProvider(ctx, t.spec, t.cluster.oidcIssuer!, s.oidc)
      : undefined,
    s.identity === 'pod-identity' || s.oidc
      ? planRole(
          ctx,
          'iam',
          t.spec,
          {
            accountId: t.cluster.accountId,
            roleName: s.names.csiDriverRole,
            description: `EFS CSI driver of ${t.cluster.clusterName}`,
            trust: csiDriverRoleTrust(t.spec, s.identity, s.oidc),
            inlinePolicyName: s.names.policy,
            inlinePolicy: csiDriverRolePolicy(
              t.spec,
              s.arns.efsAccessRole,
              rootAccess,
            ),
          },
          s.csiRole,
        )
      : undefined,
    planRole(
      ctx,
      'iam',
      t.spec,
      {
        accountId: t.fileSystem.accountId,
        roleName: s.names.efsAccessRole,
        description: `Assumed by the EFS CSI driver of ${t.cluster.accountId}/${t.cluster.clusterName}`,
        trust: efsAccessRoleTrust(t.spec, s.arns.csiDriverRole, externalId),
        inlinePolicyName: s.names.policy,
        inlinePolicy: efsAccessRolePolicy(t.spec),
      },
      s.efsRole,
    ),
    planFileSystemPolicy(
      ctx,
      t.spec,
      s.fileSystemPolicy,
      fileSystemPolicyStatements(t.spec, s.arns.csiDriverRole, rootAccess),
    ),
  ].filter(<T>(p: T | undefined): p is T => !!p);
  return { blockers, changes: parts.flatMap(p => p.changes), parts };
}

/**
 * Seed steps 9 and 10.3-10.5, least privilege: the cluster's OIDC provider,
 * the driver's role in the EKS account, the role it assumes in the EFS
 * account (trusting that role only, with an external id), and the file
 * system policy statements, merged into whatever policy is there.
 */
export async function planIam(
  ctx: EngineContext,
  t: Topology,
  options: IamOptions = {},
): Promise<LayerPlan<IamResult> & { outcome: IamResult }> {
  const state = await readIamState(ctx, t, options);
  const { blockers, changes, parts } = planFromState(ctx, t, options, state);
  // Every name and ARN is known before anything is created.
  const outcome = outcomeOf(state);
  return {
    changes,
    blockers,
    outcome,
    apply: async () => {
      // In order: IAM checks that a trusted principal exists when a trust names it.
      for (const part of parts) await part.apply();
      return outcome;
    },
  };
}

function outcomeOf(state: IamState): IamResult {
  return {
    csiDriverRoleArn: state.arns.csiDriverRole,
    efsAccessRoleArn: state.arns.efsAccessRole,
    oidcProviderArn: state.oidc?.providerArn,
    workloadIdentity: state.identity,
  };
}

/** Drift from the wanted IAM state, one result per resource, never the external id. */
export async function checkIam(
  ctx: EngineContext,
  t: Topology,
  options: IamOptions = {},
): Promise<CheckResult[]> {
  return (await inspectIam(ctx, t, options)).results;
}

/**
 * The connection's IAM as it is, from one read: the roles it uses (what
 * the other layers' checks need) and its check results.
 */
export async function inspectIam(
  ctx: EngineContext,
  t: Topology,
  options: IamOptions = {},
): Promise<{ outcome: IamResult; results: CheckResult[] }> {
  const state = await readIamState(ctx, t, options);
  const { changes, blockers } = planFromState(ctx, t, options, state);
  const results: CheckResult[] = blockers.map((b, i) =>
    checkResult('iam', `iam:blocker:${i}`, 'error', {
      summary: b.summary,
      remedy: b.remedy,
    }),
  );
  const roots = state.efsRole.trust.Statement.filter(
    s => s.Effect === 'Allow' && awsPrincipals(s).some(isAccountRoot),
  );
  if (roots.length) {
    results.push(
      checkResult(
        'iam',
        `iam:account-root:${state.names.efsAccessRole}`,
        'warning',
        {
          summary: `${
            state.names.efsAccessRole
          } also trusts a whole account (${roots
            .flatMap(awsPrincipals)
            .join(', ')}).`,
          remedy:
            'Remove that trust statement: only the CSI driver role needs to assume this role. Re-running provisioning does not remove statements it did not write.',
        },
      ),
    );
  }
  const byResource = (c: PlannedChange) =>
    checkResult('iam', `iam:${c.resource}:${c.accountId}`, 'error', {
      summary: `${c.resource} in ${c.accountId} is not as provisioned: ${c.action} needed (${c.summary}).`,
      remedy:
        'Re-run provisioning: it restores the IAM statements of this connection and keeps the others.',
    });
  results.push(...changes.map(byResource));
  if (results.length === 0) {
    results.push(
      checkResult('iam', 'iam:roles', 'ok', {
        summary: `${state.names.efsAccessRole} (EFS account) trusts only ${state.names.csiDriverRole}, with an external id; the file system policy allows it to mount.`,
        evidence: {
          efsAccessRoleArn: state.arns.efsAccessRole,
          csiDriverRoleArn: state.arns.csiDriverRole,
        },
      }),
    );
  }
  return { outcome: outcomeOf(state), results };
}

export async function removeIam(
  ctx: EngineContext,
  t: Topology,
  options: IamOptions = {},
): Promise<PlannedChange[]> {
  const state = await readIamState(ctx, t, options);
  const roleSids = roleStatementSids(t.spec);
  return [
    ...(await removeFileSystemPolicyStatements(ctx, t.spec)),
    ...(await removeRoleStatements(ctx, 'iam', t.spec, {
      accountId: t.fileSystem.accountId,
      roleName: state.names.efsAccessRole,
      policyName: state.names.policy,
      sids: roleSids.efsAccessRole,
      isFileSystemSid,
    })),
    ...(await removeRoleStatements(ctx, 'iam', t.spec, {
      accountId: t.cluster.accountId,
      roleName: state.names.csiDriverRole,
      policyName: state.names.policy,
      sids: roleSids.csiDriverRole,
      isFileSystemSid,
    })),
  ];
}
