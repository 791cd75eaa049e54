import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/**
 * What `aws eks get-token` prints for kubectl (the AWS CLI is not on these
 * machines): a bearer token, made the way the CLI makes it, independently
 * of the engine's own, so each checks the other against the sandbox cluster.
 */
export async function eksGetToken(options: {
  credentials: AwsCredentialIdentityProvider;
  clusterName: string;
  region: string;
  signingDate?: Date;
}): Promise<string> {
  const host = `sts.${options.region}.amazonaws.com`;
  const signed = await new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 'sts',
    sha256: Sha256,
  }).presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      headers: { host, 'x-k8s-aws-id': options.clusterName },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: 60, signingDate: options.signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    )
    .join('&');
  return `k8s-aws-v1.${Buffer.from(`https://${host}/?${query}`).toString(
    'base64url',
  )}`;
}

/** The ExecCredential kubectl's exec plugin reads from a token command. */
export function execCredential(token: string, now = Date.now()) {
  return {
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    spec: {},
    status: {
      // EKS takes a token for 15 minutes; kubectl asks again after this.
      expirationTimestamp: new Date(now + 14 * 60_000).toISOString(),
      token,
    },
  };
}
