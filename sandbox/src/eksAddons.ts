import { IncomingHttpHeaders } from 'node:http';

/**
 * EKS add-ons, which the emulator does not implement, answered as the EKS
 * REST API does (restJson1: `x-amzn-errortype` + `{ message }` on errors).
 * One in-memory store per sandbox. A new add-on is CREATING and turns
 * ACTIVE shortly after, as EKS reports it; `onChange` lets the sandbox
 * install what the add-on installs in the cluster (the Kubernetes double).
 */
export interface SandboxAddon {
  addonName: string;
  clusterName: string;
  accountId: string;
  region: string;
  status: string;
  addonVersion: string;
  serviceAccountRoleArn?: string;
  podIdentityAssociations?: string[];
  /** The roles of those associations: what the driver's pods run as. */
  podIdentityRoles?: string[];
  health: { issues: unknown[] };
  addonArn: string;
  createdAt: number;
  modifiedAt: number;
  tags?: Record<string, string>;
  /** The add-on's configuration values (JSON or YAML), as given. */
  configurationValues?: string;
  /** When the pending status (CREATING, UPDATING, DELETING) settles. */
  settlesAt?: number;
}

export type AddonChangeListener = (
  addon: SandboxAddon,
  removed: boolean,
) => void;

/** The versions the sandbox offers; the default is the newest, as on EKS. */
export const SANDBOX_EFS_DRIVER_VERSIONS = [
  'v3.0.1-eksbuild.1',
  'v2.2.0-eksbuild.1',
  'v2.1.4-eksbuild.1',
  'v1.7.7-eksbuild.1',
];

export interface EksResponse {
  status: number;
  body: unknown;
  errorType?: string;
}

const error = (
  status: number,
  errorType: string,
  message: string,
): EksResponse => ({
  status,
  errorType,
  body: { message },
});

export class EksAddonStore {
  private readonly addons = new Map<string, SandboxAddon>();
  readonly listeners: AddonChangeListener[] = [];
  /**
   * How long a pending status lasts. EKS takes a minute; the sandbox settles
   * on the next read, so waiters return at once, unless a test holds the
   * add-on CREATING to stop a task there.
   */
  settleMs = 0;

  /** Every pending status settles now (a held add-on is let go). */
  settleAll() {
    for (const addon of this.addons.values()) {
      if (addon.settlesAt) addon.settlesAt = Date.now();
    }
  }

  clear() {
    this.addons.clear();
    this.settleMs = 0;
  }

  private key(
    accountId: string,
    region: string,
    cluster: string,
    name: string,
  ) {
    return `${accountId}/${region}/${cluster}/${name}`;
  }

  /** Pending states settle once their time has come, as EKS would report them. */
  private settle(key: string): SandboxAddon | undefined {
    const addon = this.addons.get(key);
    if (!addon?.settlesAt || Date.now() < addon.settlesAt) return addon;
    delete addon.settlesAt;
    if (addon.status === 'DELETING') {
      this.addons.delete(key);
      this.listeners.forEach(l => l(addon, true));
      return undefined;
    }
    addon.status = 'ACTIVE';
    addon.modifiedAt = Date.now() / 1000;
    this.listeners.forEach(l => l(addon, false));
    return addon;
  }

  private view(addon: SandboxAddon) {
    const { accountId, region, settlesAt, ...rest } = addon;
    return rest;
  }

  /** Handles an EKS add-on call; undefined when the request is not one. */
  handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: any,
    cluster:
      | { accountId: string; region: string; name: string; version: string }
      | undefined,
  ): EksResponse | undefined {
    if (method === 'GET' && path === '/addons/supported-versions') {
      const name = query.get('addonName');
      if (name && name !== 'aws-efs-csi-driver')
        return { status: 200, body: { addons: [] } };
      return {
        status: 200,
        body: {
          addons: [
            {
              addonName: 'aws-efs-csi-driver',
              type: 'storage',
              owner: 'aws',
              publisher: 'eks',
              addonVersions: SANDBOX_EFS_DRIVER_VERSIONS.map(
                (addonVersion, i) => ({
                  addonVersion,
                  architecture: ['amd64', 'arm64'],
                  compatibilities: [
                    {
                      clusterVersion: query.get('kubernetesVersion') ?? '1.33',
                      platformVersions: ['*'],
                      defaultVersion: i === 0,
                    },
                  ],
                  requiresConfiguration: false,
                }),
              ),
            },
          ],
        },
      };
    }
    const m = /^\/clusters\/([^/]+)\/addons(?:\/([^/]+))?(\/update)?$/.exec(
      path,
    );
    if (!m) return undefined;
    const [, clusterName, addonName, update] = m;
    if (!cluster)
      return error(
        404,
        'ResourceNotFoundException',
        `No cluster found for name: ${clusterName}.`,
      );
    const { accountId, region } = cluster;
    if (!addonName && method === 'GET') {
      const prefix = this.key(accountId, region, clusterName, '');
      const names = [...this.addons.keys()]
        .filter(k => k.startsWith(prefix) && this.settle(k))
        .map(k => k.slice(prefix.length));
      return { status: 200, body: { addons: names } };
    }
    if (!addonName && method === 'POST') {
      const name = body?.addonName;
      const key = this.key(accountId, region, clusterName, name);
      if (this.settle(key))
        return error(409, 'ResourceInUseException', `Addon already exists.`);
      if (name !== 'aws-efs-csi-driver')
        return error(
          400,
          'InvalidParameterException',
          `Addon ${name} specified is not supported`,
        );
      const version = body.addonVersion ?? SANDBOX_EFS_DRIVER_VERSIONS[0];
      if (!SANDBOX_EFS_DRIVER_VERSIONS.includes(version)) {
        return error(
          400,
          'InvalidParameterException',
          `Addon version specified is not supported`,
        );
      }
      const now = Date.now() / 1000;
      const addon: SandboxAddon = {
        addonName: name,
        clusterName,
        accountId,
        region,
        status: 'CREATING',
        addonVersion: version,
        serviceAccountRoleArn: body.serviceAccountRoleArn,
        podIdentityRoles: (body.podIdentityAssociations ?? []).map(
          (p: any) => p.roleArn,
        ),
        podIdentityAssociations: (body.podIdentityAssociations ?? []).map(
          (p: any, i: number) =>
            `arn:aws:eks:${region}:${accountId}:podidentityassociation/${clusterName}/a-sandbox${i}${p.serviceAccount}`,
        ),
        health: { issues: [] },
        addonArn: `arn:aws:eks:${region}:${accountId}:addon/${clusterName}/${name}/sandbox`,
        createdAt: now,
        modifiedAt: now,
        tags: body.tags,
        configurationValues: body.configurationValues,
        settlesAt: Date.now() + this.settleMs,
      };
      this.addons.set(key, addon);
      return { status: 200, body: { addon: this.view(addon) } };
    }
    const key = this.key(accountId, region, clusterName, addonName);
    const addon = this.settle(key);
    if (!addon) {
      return error(
        404,
        'ResourceNotFoundException',
        `No addon: ${addonName} found in cluster: ${clusterName}`,
      );
    }
    if (method === 'GET' && !update)
      return { status: 200, body: { addon: this.view(addon) } };
    if (method === 'POST' && update) {
      if (addon.settlesAt)
        return error(409, 'ResourceInUseException', 'Addon is being updated.');
      if (
        body.addonVersion &&
        !SANDBOX_EFS_DRIVER_VERSIONS.includes(body.addonVersion)
      ) {
        return error(
          400,
          'InvalidParameterException',
          `Addon version specified is not supported`,
        );
      }
      addon.addonVersion = body.addonVersion ?? addon.addonVersion;
      if (body.serviceAccountRoleArn !== undefined)
        addon.serviceAccountRoleArn = body.serviceAccountRoleArn;
      // As EKS: values not given are kept.
      if (body.configurationValues !== undefined)
        addon.configurationValues = body.configurationValues;
      addon.status = 'UPDATING';
      addon.settlesAt = Date.now() + this.settleMs;
      return {
        status: 200,
        body: {
          update: {
            id: `sandbox-${Date.now()}`,
            status: 'InProgress',
            type: 'AddonUpdate',
            params: [{ type: 'AddonVersion', value: addon.addonVersion }],
            createdAt: Date.now() / 1000,
            errors: [],
          },
        },
      };
    }
    if (method === 'DELETE' && !update) {
      addon.status = 'DELETING';
      addon.settlesAt = Date.now() + this.settleMs;
      return { status: 200, body: { addon: this.view(addon) } };
    }
    return error(
      405,
      'InvalidRequestException',
      `${method} ${path} is not supported`,
    );
  }
}

/** The EKS cluster a request names, as the emulator knows it (account from its ARN). */
export function clusterFromDescribe(
  json: any,
):
  | { accountId: string; region: string; name: string; version: string }
  | undefined {
  const c = json?.cluster;
  const arn = /^arn:[^:]+:eks:([^:]+):(\d{12}):cluster\/(.+)$/.exec(
    c?.arn ?? '',
  );
  if (!arn) return undefined;
  return {
    region: arn[1],
    accountId: arn[2],
    name: arn[3],
    version: c.version,
  };
}

export type { IncomingHttpHeaders };
