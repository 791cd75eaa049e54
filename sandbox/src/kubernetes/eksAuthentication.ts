import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AccessEntry,
  ClusterIdentity,
  EksAccessEntryStore,
} from '../eksAccessEntries';
import { StatusError } from './apiServer';

/** Who a request is from, and what the cluster lets them do. */
export interface Caller {
  username: string;
  policies: AccessEntry['policies'];
}

const TOKEN_PREFIX = 'k8s-aws-v1.';
const LIFETIME_MS = 15 * 60_000;
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

const unauthorized = () => new StatusError(401, 'Unauthorized', 'Unauthorized');

/** The caller of a presigned GetCallerIdentity, asked of the emulator's STS. */
async function callerArn(upstream: string, url: URL): Promise<string> {
  const q = url.searchParams;
  // The emulator reads the credential from a header, not from a presigned query.
  const res = await fetch(
    `${upstream}/?Action=GetCallerIdentity&Version=2011-06-15`,
    {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${q.get(
          'X-Amz-Credential',
        )}, SignedHeaders=${q.get('X-Amz-SignedHeaders')}, Signature=${q.get(
          'X-Amz-Signature',
        )}`,
        'x-amz-date': q.get('X-Amz-Date') ?? '',
        ...(q.get('X-Amz-Security-Token')
          ? { 'x-amz-security-token': q.get('X-Amz-Security-Token')! }
          : {}),
      },
    },
  );
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(await res.text())?.[1];
  if (!res.ok || !arn) throw unauthorized();
  return arn;
}

/** An assumed-role session is known to EKS by its role. */
function principalOf(arn: string): string {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

function parseAmzDate(value: string | null): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/**
 * Authenticates EKS bearer tokens as EKS does: the token is a presigned
 * STS GetCallerIdentity URL for this cluster (`x-k8s-aws-id` signed), at
 * most 15 minutes old, whose signature STS accepts (checked here with the
 * secret STS issued for its access key, since the emulator does not check
 * signatures; long-lived keys are not accepted, as only role sessions sign
 * tokens in the sandbox); the caller it names must have an access entry on
 * the cluster, looked up on every request. Anything else is 401
 * Unauthorized, as from EKS. A verified token is remembered until it
 * lapses, as EKS's authenticator caches them.
 */
export function eksAuthenticator(options: {
  upstream: string;
  /** The secrets of the access keys STS issued. */
  issuedSecrets: Map<string, string>;
  cluster: ClusterIdentity;
  accessEntries: EksAccessEntryStore;
  now?: () => number;
}): (token: string) => Promise<Caller> {
  const verified = new Map<string, { arn: Promise<string>; until: number }>();
  // Who an access key is never changes.
  const callers = new Map<string, string>();
  return async token => {
    const now = (options.now ?? Date.now)();
    let known = verified.get(token);
    if (!known || known.until < now) {
      const arn = verify(token, options, now, callers);
      known = { arn, until: now + LIFETIME_MS };
      verified.set(token, known);
      arn.catch(() => verified.delete(token));
    }
    const arn = await known.arn;
    const entry = options.accessEntries.find(options.cluster, principalOf(arn));
    if (!entry) throw unauthorized();
    return { username: arn, policies: entry.policies };
  };
}

/** Who a token speaks for, or 401. */
async function verify(
  token: string,
  options: {
    upstream: string;
    issuedSecrets: Map<string, string>;
    cluster: ClusterIdentity;
  },
  now: number,
  callers: Map<string, string>,
): Promise<string> {
  if (!token.startsWith(TOKEN_PREFIX)) throw unauthorized();
  let url: URL;
  try {
    url = new URL(
      Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString(),
    );
  } catch {
    throw unauthorized();
  }
  const q = url.searchParams;
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  const scope = /^([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request$/.exec(
    q.get('X-Amz-Credential') ?? '',
  );
  const signedAt = parseAmzDate(q.get('X-Amz-Date'));
  if (
    url.protocol !== 'https:' ||
    !STS_HOST.test(url.hostname) ||
    url.pathname !== '/' ||
    q.get('Action') !== 'GetCallerIdentity' ||
    q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' ||
    !signedHeaders.includes('x-k8s-aws-id') ||
    !scope ||
    !(now - signedAt <= LIFETIME_MS && signedAt - now <= 5 * 60_000)
  ) {
    throw unauthorized();
  }
  // Only temporary credentials: EKS tokens are minted from role sessions here.
  const secret = options.issuedSecrets.get(scope[1]);
  if (!secret) throw unauthorized();
  const expected = await new SignatureV4({
    credentials: {
      accessKeyId: scope[1],
      secretAccessKey: secret,
      sessionToken: q.get('X-Amz-Security-Token') ?? undefined,
    },
    region: scope[3],
    service: 'sts',
    sha256: Sha256,
  }).presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: url.hostname,
      path: '/',
      // EKS signs in with its own name: a token for another cluster does not verify.
      headers: { host: url.hostname, 'x-k8s-aws-id': options.cluster.name },
      query: { Action: 'GetCallerIdentity', Version: q.get('Version') ?? '' },
    },
    {
      signingDate: new Date(signedAt),
      expiresIn: Number(q.get('X-Amz-Expires') ?? 900),
    },
  );
  if (expected.query?.['X-Amz-Signature'] !== q.get('X-Amz-Signature')) {
    throw unauthorized();
  }
  let arn = callers.get(scope[1]);
  if (!arn) {
    arn = await callerArn(options.upstream, url);
    callers.set(scope[1], arn);
  }
  return arn;
}
