import { EksTokenSource, eksTokenUrl, mintEksToken } from './eksToken';

const credentials = async () => ({
  accessKeyId: 'ASIAEXAMPLEEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'session',
});

describe('EKS tokens', () => {
  it('are a presigned STS GetCallerIdentity URL that signs the cluster name, as aws eks get-token makes them', async () => {
    const token = await mintEksToken({
      credentials,
      clusterName: 'apps',
      region: 'us-west-2',
    });
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = eksTokenUrl(token)!;
    expect(url.host).toBe('sts.us-west-2.amazonaws.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': expect.stringMatching(
        /^ASIAEXAMPLEEXAMPLE\/\d{8}\/us-west-2\/sts\/aws4_request$/,
      ),
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Security-Token': 'session',
      'X-Amz-Expires': '60',
    });
    // The secret never leaves: only its signature does.
    expect(url.toString()).not.toContain('secret');
  });

  it('are signed for the partition of the region', async () => {
    const token = await mintEksToken({
      credentials,
      clusterName: 'apps',
      region: 'cn-north-1',
    });
    expect(eksTokenUrl(token)!.host).toBe('sts.cn-north-1.amazonaws.com.cn');
  });

  it('are reused for ten minutes, then minted again before EKS would refuse them', async () => {
    let now = Date.parse('2026-12-02T00:00:00Z');
    const source = new EksTokenSource({
      credentials,
      clusterName: 'apps',
      region: 'us-west-2',
      now: () => now,
    });
    const first = await source.token();
    now += 10 * 60_000;
    expect(await source.token()).toBe(first);
    now += 1000;
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(eksTokenUrl(second)!.searchParams.get('X-Amz-Date')).toBe(
      '20261202T001001Z',
    );
  });

  it('are not EKS tokens without their prefix', () => {
    expect(eksTokenUrl('eyJhbGciOi.jwt')).toBeUndefined();
  });
});
