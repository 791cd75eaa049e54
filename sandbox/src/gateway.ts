import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EksAccessEntryStore } from './eksAccessEntries';
import { clusterFromDescribe, EksAddonStore } from './eksAddons';
import { withCallersPeeringTags } from './peeringTags';
import { Route53Sharing } from './route53Sharing';

/**
 * A thin HTTP front for moto_server that answers the few EKS calls moto
 * leaves incomplete the way EKS itself answers them, so that production code
 * needs no emulator special cases. Everything else passes through unchanged.
 *
 * Filled in:
 * - DescribeCluster: `resourcesVpcConfig.vpcId` (the VPC of the cluster's
 *   subnets) and `clusterSecurityGroupId` (the group tagged
 *   `aws:eks:cluster-name`, as EKS tags the one it creates).
 * - EKS add-ons (Create/Describe/Update/Delete/ListAddons,
 *   DescribeAddonVersions), which the emulator lacks: see eksAddons.ts.
 * - EKS access entries and access policies, which it lacks too: see
 *   eksAccessEntries.ts; and in DescribeCluster, the endpoint and CA of a
 *   sandbox cluster's API server (registered in `clusterEndpoints`) and
 *   `accessConfig.authenticationMode` API_AND_CONFIG_MAP.
 * - EFS DeleteFileSystemPolicy, which the emulator lacks: stored as an
 *   empty policy, which DescribeFileSystemPolicy then answers as
 *   PolicyNotFound, as EFS does for a file system without a policy.
 * - Route 53 private zones shared with other accounts' VPCs (VPC
 *   association authorizations), which the emulator keeps per account: see
 *   route53Sharing.ts.
 * - The tags of a cross-account VPC peering, which EC2 keeps per side and
 *   the emulator answers with the requester's to both: see peeringTags.ts.
 */
export interface Gateway {
  endpoint: string;
  addons: EksAddonStore;
  accessEntries: EksAccessEntryStore;
  /** The API server of each sandbox cluster, by `account/region/name`: what DescribeCluster answers. */
  clusterEndpoints: Map<string, { endpoint: string; caData: string }>;
  /**
   * The secret of each temporary access key STS issued through the gateway
   * (AssumeRole answers): what STS itself knows to check a signature.
   */
  issuedSecrets: Map<string, string>;
  close(): Promise<void>;
}

const EFS_POLICY_PATH = /^\/2015-02-01\/file-systems\/([^/]+)\/policy$/;
const EMPTY_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [] });

/** DeleteFileSystemPolicy, and Describe after it, as EFS answers them. */
async function handleFileSystemPolicy(
  upstream: string,
  method: string,
  url: string,
  headers: Record<string, string>,
) {
  const m = EFS_POLICY_PATH.exec(new URL(url, 'http://gateway').pathname);
  if (!m || !['GET', 'DELETE'].includes(method)) return undefined;
  if (method === 'DELETE') {
    const res = await fetch(`${upstream}${url}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ Policy: EMPTY_POLICY }),
    });
    return res.ok
      ? { status: 200, body: {} }
      : { status: res.status, body: await res.json().catch(() => ({})) };
  }
  const res = await fetch(`${upstream}${url}`, { headers });
  const body = await res.json().catch(() => ({}));
  if (res.ok && JSON.parse(body.Policy ?? '{}').Statement?.length === 0) {
    return {
      status: 404,
      errorType: 'PolicyNotFound',
      body: {
        ErrorCode: 'PolicyNotFound',
        Message: `File System: ${m[1]} does not have a policy`,
      },
    };
  }
  return { status: res.status, body };
}

const ADDON_PATH =
  /^\/(clusters\/([^/]+)\/addons(\/.*)?|addons\/supported-versions)$/;

/** Answers an EKS add-on call, or undefined when the request is not one. */
async function handleAddonCall(
  upstream: string,
  addons: EksAddonStore,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
) {
  const { pathname, searchParams } = new URL(url, 'http://gateway');
  const m = ADDON_PATH.exec(pathname);
  if (!m) return undefined;
  let cluster;
  if (m[2]) {
    // The cluster, and the caller's account, as the emulator knows them.
    const res = await fetch(`${upstream}/clusters/${m[2]}`, { headers });
    cluster = res.ok ? clusterFromDescribe(await res.json()) : undefined;
  }
  return addons.handle(
    method,
    pathname,
    searchParams,
    body.length ? JSON.parse(body.toString('utf8')) : undefined,
    cluster,
  );
}

/** Answers an EKS access-entry call, or undefined when the request is not one. */
async function handleAccessEntryCall(
  upstream: string,
  accessEntries: EksAccessEntryStore,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
) {
  const { pathname } = new URL(url, 'http://gateway');
  const clusterName = EksAccessEntryStore.clusterOf(pathname);
  let cluster;
  if (clusterName) {
    const res = await fetch(`${upstream}/clusters/${clusterName}`, { headers });
    cluster = res.ok ? clusterFromDescribe(await res.json()) : undefined;
  }
  return accessEntries.handle(
    method,
    pathname,
    body.length ? JSON.parse(body.toString('utf8')) : undefined,
    cluster,
  );
}

const AUTH_HEADERS = ['authorization', 'x-amz-security-token', 'x-amz-date'];

/** The AWS service a signed request is for, from its credential scope. */
function signedService(headers: IncomingHttpHeaders): string | undefined {
  const auth = String(headers.authorization ?? '');
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1];
}

/**
 * Calls a query API (EC2, STS) on the emulator as the caller of `headers`:
 * their credentials, re-scoped to the service called.
 */
async function queryAs(
  upstream: string,
  headers: IncomingHttpHeaders,
  service: string,
  params: Record<string, string>,
): Promise<string> {
  const auth = String(headers.authorization ?? '').replace(
    /\/[^/]+\/aws4_request/,
    `/${service}/aws4_request`,
  );
  const forwarded: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    authorization: auth,
  };
  for (const h of AUTH_HEADERS.slice(1)) {
    if (headers[h]) forwarded[h] = String(headers[h]);
  }
  const res = await fetch(upstream, {
    method: 'POST',
    headers: forwarded,
    body: new URLSearchParams(params).toString(),
  });
  return res.text();
}

const ec2Query = (
  upstream: string,
  headers: IncomingHttpHeaders,
  params: Record<string, string>,
) => queryAs(upstream, headers, 'ec2', { Version: '2016-11-15', ...params });

async function completeCluster(
  upstream: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  clusterEndpoints: Gateway['clusterEndpoints'],
): Promise<Buffer> {
  const parsed = JSON.parse(body.toString('utf8'));
  const cluster = parsed.cluster;
  const identity = clusterFromDescribe(parsed);
  const served =
    identity &&
    clusterEndpoints.get(
      `${identity.accountId}/${identity.region}/${identity.name}`,
    );
  if (served) {
    cluster.endpoint = served.endpoint;
    cluster.certificateAuthority = { data: served.caData };
  }
  cluster.accessConfig ??= { authenticationMode: 'API_AND_CONFIG_MAP' };
  const vpcConfig = cluster?.resourcesVpcConfig;
  if (!vpcConfig) return Buffer.from(JSON.stringify(parsed));
  if (!vpcConfig.vpcId && vpcConfig.subnetIds?.length) {
    const xml = await ec2Query(upstream, headers, {
      Action: 'DescribeSubnets',
      'SubnetId.1': vpcConfig.subnetIds[0],
    });
    vpcConfig.vpcId = /<vpcId>([^<]+)<\/vpcId>/.exec(xml)?.[1];
  }
  if (!vpcConfig.clusterSecurityGroupId && vpcConfig.vpcId) {
    const xml = await ec2Query(upstream, headers, {
      Action: 'DescribeSecurityGroups',
      'Filter.1.Name': 'tag:aws:eks:cluster-name',
      'Filter.1.Value.1': cluster.name,
      'Filter.2.Name': 'vpc-id',
      'Filter.2.Value.1': vpcConfig.vpcId,
    });
    vpcConfig.clusterSecurityGroupId = /<groupId>([^<]+)<\/groupId>/.exec(
      xml,
    )?.[1];
  }
  return Buffer.from(JSON.stringify(parsed));
}

/** The account of the credentials that signed a request, as the emulator sees it. */
function accountResolver(upstream: string) {
  const byAccessKey = new Map<string, Promise<string>>();
  return (headers: Record<string, string>) => {
    const accessKey =
      /Credential=([^/]+)\//.exec(headers.authorization ?? '')?.[1] ?? '';
    let account = byAccessKey.get(accessKey);
    if (!account) {
      account = queryAs(upstream, headers, 'sts', {
        Action: 'GetCallerIdentity',
        Version: '2011-06-15',
      }).then(xml => /<Account>(\d+)<\/Account>/.exec(xml)?.[1] ?? '');
      byAccessKey.set(accessKey, account);
    }
    return account;
  };
}

export async function startGateway(upstream: string): Promise<Gateway> {
  const addons = new EksAddonStore();
  const accessEntries = new EksAccessEntryStore();
  const clusterEndpoints: Gateway['clusterEndpoints'] = new Map();
  const issuedSecrets = new Map<string, string>();
  const route53 = new Route53Sharing(async (method, path, headers, body) => {
    const res = await fetch(`${upstream}${path}`, {
      method,
      headers,
      body: method === 'GET' ? undefined : body,
    });
    return { status: res.status, text: await res.text() };
  }, accountResolver(upstream));
  const server: Server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const requestBody = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (
          v !== undefined &&
          !['host', 'connection', 'content-length'].includes(k)
        )
          headers[k] = String(v);
      }
      if (req.method === 'POST' && req.url === '/moto-api/reset') {
        // The gateway's own state goes with the emulator's.
        addons.clear();
        accessEntries.clear();
        route53.clear();
      }
      const service = signedService(req.headers);
      if (service === 'route53') {
        const answer = await route53.handle(
          req.method ?? 'GET',
          req.url ?? '/',
          headers,
          requestBody,
        );
        if (answer) {
          res.writeHead(answer.status, {
            'content-type': 'text/xml',
            'content-length': String(Buffer.byteLength(answer.xml)),
          });
          res.end(answer.xml);
          return;
        }
      }
      if (service === 'eks' || service === 'elasticfilesystem') {
        const answer =
          service === 'eks'
            ? (await handleAddonCall(
                upstream,
                addons,
                req.method ?? 'GET',
                req.url ?? '/',
                headers,
                requestBody,
              )) ??
              (await handleAccessEntryCall(
                upstream,
                accessEntries,
                req.method ?? 'GET',
                req.url ?? '/',
                headers,
                requestBody,
              ))
            : await handleFileSystemPolicy(
                upstream,
                req.method ?? 'GET',
                req.url ?? '/',
                headers,
              );
        if (answer) {
          const text = JSON.stringify(answer.body);
          res.writeHead(answer.status, {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(text)),
            ...(answer.errorType
              ? { 'x-amzn-errortype': answer.errorType }
              : {}),
          });
          res.end(text);
          return;
        }
      }
      const upstreamRes = await fetch(`${upstream}${req.url}`, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? 'GET')
          ? undefined
          : requestBody,
      });
      let body: Buffer = Buffer.from(await upstreamRes.arrayBuffer());
      const isDescribeCluster =
        signedService(req.headers) === 'eks' &&
        req.method === 'GET' &&
        /^\/clusters\/[^/?]+$/.test((req.url ?? '').split('?')[0]) &&
        upstreamRes.ok;
      if (signedService(req.headers) === 'sts' && upstreamRes.ok) {
        const xml = body.toString('utf8');
        const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
        const secret = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(
          xml,
        )?.[1];
        if (key && secret) issuedSecrets.set(key, secret);
      }
      if (
        signedService(req.headers) === 'ec2' &&
        upstreamRes.ok &&
        /(^|&)Action=DescribeVpcPeeringConnections(&|$)/.test(
          requestBody.toString('utf8'),
        )
      ) {
        body = Buffer.from(
          await withCallersPeeringTags(body.toString('utf8'), params =>
            ec2Query(upstream, req.headers, params),
          ),
        );
      }
      if (isDescribeCluster) {
        body = await completeCluster(
          upstream,
          req.headers,
          body,
          clusterEndpoints,
        );
      }
      const outHeaders: Record<string, string> = {};
      upstreamRes.headers.forEach((value, key) => {
        if (
          ![
            'content-length',
            'content-encoding',
            'transfer-encoding',
            'connection',
          ].includes(key)
        ) {
          outHeaders[key] = value;
        }
      });
      outHeaders['content-length'] = String(body.length);
      res.writeHead(upstreamRes.status, outHeaders);
      res.end(body);
    } catch (e) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`sandbox gateway: ${(e as Error).message}`);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    addons,
    accessEntries,
    clusterEndpoints,
    issuedSecrets,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
