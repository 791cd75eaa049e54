import { DriverSettings, driverSettingsOf } from '../csi-driver/settings';
import {
  ClusterRef,
  ConnectionSpec,
  WorkloadIdentity,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { EngineContext, LayerOptions, Topology } from '../../engine/types';
import {
  defaultCsiDriverRoleName,
  defaultEfsAccessRoleName,
  INLINE_POLICY_NAME,
  roleArn,
} from '../../iam/connectionIam';
import { readFileSystemPolicy } from '../../iam/fileSystemPolicy';
import { findOidcProvider, OidcProvider } from '../../iam/oidcProvider';
import type { PolicyDocument } from '../../iam/policyDocument';
import { readRole, RoleState } from '../../iam/roles';
import { describeAddon } from '../csi-driver/read';

/** @public */
export interface IamResult {
  csiDriverRoleArn: string;
  efsAccessRoleArn: string;
  oidcProviderArn?: string;
  workloadIdentity: WorkloadIdentity;
}

/** The role the installed add-on already runs as, if it is in the cluster's account. */
async function addonRoleName(
  ctx: EngineContext,
  cluster: ClusterRef,
): Promise<string | undefined> {
  const addon = await describeAddon(ctx, cluster);
  const arn = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
    addon?.serviceAccountRoleArn ?? '',
  );
  return arn && arn[1] === cluster.accountId ? arn[2] : undefined;
}

/** The connection's role in the EFS account: a name from the options, no read. */
export function efsAccessRoleArn(spec: ConnectionSpec, options: LayerOptions) {
  return roleArn(
    spec.fileSystem,
    options.efsAccessRoleName ?? defaultEfsAccessRoleName(spec),
  );
}

/**
 * The names of both roles of a connection: the driver's is the one the
 * installed add-on runs as (when it is in the cluster's account), else the
 * default. The csi-driver and kubernetes layers use these too.
 */
export async function connectionRoles(
  ctx: EngineContext,
  spec: ConnectionSpec,
  options: LayerOptions,
) {
  const csiDriverRole =
    options.csiDriverRoleName ??
    (await addonRoleName(ctx, spec.cluster)) ??
    defaultCsiDriverRoleName(spec);
  const efsAccessRole =
    options.efsAccessRoleName ?? defaultEfsAccessRoleName(spec);
  return {
    names: { csiDriverRole, efsAccessRole, policy: INLINE_POLICY_NAME },
    arns: {
      csiDriverRole: roleArn(spec.cluster, csiDriverRole),
      efsAccessRole: roleArn(spec.fileSystem, efsAccessRole),
    },
  };
}

export interface IamState {
  names: { csiDriverRole: string; efsAccessRole: string; policy: string };
  arns: { csiDriverRole: string; efsAccessRole: string };
  identity: WorkloadIdentity;
  oidc?: OidcProvider;
  csiRole: RoleState;
  efsRole: RoleState;
  fileSystemPolicy?: PolicyDocument;
  /** The installed driver's settings that the statements follow. */
  driver: DriverSettings;
}

/** Everything of a connection's IAM as it is now, read once for plan, check and removal alike. */
export async function readIamState(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
): Promise<IamState> {
  const identity = options.workloadIdentity ?? 'irsa';
  const { names, arns } = await connectionRoles(ctx, t.spec, options);
  const [oidc, csiRole, efsRole, fileSystemPolicy, addon] = await Promise.all([
    identity === 'irsa' && t.cluster.oidcIssuer
      ? findOidcProvider(ctx, t.spec, t.cluster.oidcIssuer)
      : undefined,
    readRole(ctx, t.cluster, names.csiDriverRole, names.policy),
    readRole(ctx, t.fileSystem, names.efsAccessRole, names.policy),
    readFileSystemPolicy(ctx, t.spec),
    describeAddon(ctx, t.cluster),
  ]);
  return {
    names,
    arns,
    identity,
    oidc,
    csiRole,
    efsRole,
    fileSystemPolicy,
    driver: driverSettingsOf(addon),
  };
}

export function outcomeOf(state: IamState): IamResult {
  return {
    csiDriverRoleArn: state.arns.csiDriverRole,
    efsAccessRoleArn: state.arns.efsAccessRole,
    oidcProviderArn: state.oidc?.providerArn,
    workloadIdentity: state.identity,
  };
}
