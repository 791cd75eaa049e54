import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { awsDnsSuffixOf } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/** EKS accepts a token for 15 minutes after it was signed. */
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Mint a new one this long before that, so no call carries a token about to lapse. */
const REFRESH_BEFORE_MS = 5 * 60_000;

const TOKEN_PREFIX = 'k8s-aws-v1.';

/** The STS host a token is signed for: the cluster's region, in its partition. */
export function stsHostname(region: string): string {
  return `sts.${region}.${awsDnsSuffixOf(region)}`;
}

/**
 * An EKS bearer token, as `aws eks get-token` makes it: a presigned STS
 * GetCallerIdentity URL that also signs the `x-k8s-aws-id` header (the
 * cluster's name), base64url-encoded behind `k8s-aws-v1.`. EKS calls STS
 * with it to learn who is calling; no secret leaves the portal.
 */
export async function mintEksToken(options: {
  credentials: AwsCredentialIdentityProvider;
  clusterName: string;
  region: string;
  signingDate?: Date;
}): Promise<string> {
  const hostname = stsHostname(options.region);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: 60, signingDate: options.signingDate },
  );
  const query = new URLSearchParams(
    signed.query as Record<string, string>,
  ).toString();
  return `${TOKEN_PREFIX}${Buffer.from(
    `https://${hostname}/?${query}`,
  ).toString('base64url')}`;
}

/** The presigned URL inside a token, or undefined when it is not an EKS token. */
export function eksTokenUrl(token: string): URL | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    return new URL(
      Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString(),
    );
  } catch {
    return undefined;
  }
}

/** One cluster's token, minted when first needed and again before it lapses. */
export class EksTokenSource {
  private current?: { token: Promise<string>; mintedAt: number };

  constructor(
    private readonly options: {
      credentials: AwsCredentialIdentityProvider;
      clusterName: string;
      region: string;
      now?: () => number;
    },
  ) {}

  token(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (
      !this.current ||
      now - this.current.mintedAt > EKS_TOKEN_LIFETIME_MS - REFRESH_BEFORE_MS
    ) {
      const token = mintEksToken({
        ...this.options,
        signingDate: new Date(now),
      });
      // A failed mint is not kept: the next call tries again.
      token.catch(() => {
        if (this.current?.token === token) this.current = undefined;
      });
      this.current = { token, mintedAt: now };
    }
    return this.current.token;
  }
}
