import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { httpsGet } from '../__testUtils__/httpsGet';
import { eksGetToken } from '../eksGetToken';
import { independent } from '../independentClients';
import { SANDBOX } from '../layout';
import { SANDBOX_PLATFORM_CREDENTIALS } from '../seed';
import { SeededEmulator, startSeededEmulator } from '../seededEmulator';

jest.setTimeout(120_000);

const roleArn = (name: string) =>
  `arn:aws:iam::${SANDBOX.eks.accountId}:role/${name}`;
const as = (role: string) =>
  fromTemporaryCredentials({
    masterCredentials: SANDBOX_PLATFORM_CREDENTIALS,
    params: { RoleArn: roleArn(role), RoleSessionName: 'kubectl' },
    clientConfig: { region: SANDBOX.region },
  });

describe('the sandbox cluster authenticates EKS tokens as EKS does (emulator STS, access entries)', () => {
  let sandbox: SeededEmulator;
  const get = async (path: string, token: string) =>
    httpsGet(`${sandbox.kubernetes.url}${path}`, sandbox.kubernetes, {
      authorization: `Bearer ${token}`,
    });
  const tokenFor = (
    role: string,
    options: { cluster?: string; at?: Date } = {},
  ) =>
    eksGetToken({
      credentials: as(role),
      clusterName: options.cluster ?? SANDBOX.eks.clusterName,
      region: SANDBOX.region,
      signingDate: options.at,
    });

  beforeAll(async () => {
    sandbox = await startSeededEmulator();
    // A role the portal's identity may assume, to be given access or not by each test.
    const { iam } = independent(SANDBOX.eks.accountId);
    for (const name of ['no-cluster-access', 'viewer']) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: {
                  AWS: `arn:aws:iam::${SANDBOX.platformAccountId}:root`,
                },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
    }
  });
  afterAll(() => sandbox?.stop());

  it('accepts a token of a role with an access entry, and serves the discovery kubectl reads', async () => {
    const token = await tokenFor(SANDBOX.portalRoleName);
    expect((await get('/api/v1/namespaces', token)).status).toBe(200);
    const groups = await get('/apis', token);
    expect(groups.body.groups.map((g: any) => g.name)).toContain(
      'storage.k8s.io',
    );
    const storage = await get('/apis/storage.k8s.io/v1', token);
    expect(
      storage.body.resources.find((r: any) => r.name === 'storageclasses'),
    ).toMatchObject({ namespaced: false, shortNames: ['sc'] });
  });

  it('refuses with 401 a token older than 15 minutes, one signed for another cluster, and a tampered one', async () => {
    const old = await tokenFor(SANDBOX.portalRoleName, {
      at: new Date(Date.now() - 16 * 60_000),
    });
    expect((await get('/api/v1/namespaces', old)).status).toBe(401);
    const elsewhere = await tokenFor(SANDBOX.portalRoleName, {
      cluster: SANDBOX.eks.legacy.clusterName,
    });
    expect((await get('/api/v1/namespaces', elsewhere)).status).toBe(401);
    const good = await tokenFor(SANDBOX.portalRoleName);
    const url = new URL(
      Buffer.from(good.slice('k8s-aws-v1.'.length), 'base64url').toString(),
    );
    url.searchParams.set(
      'X-Amz-Credential',
      url.searchParams
        .get('X-Amz-Credential')!
        .replace(/^[^/]+/, 'ASIAFORGEDFORGED'),
    );
    const forged = `k8s-aws-v1.${Buffer.from(url.toString()).toString(
      'base64url',
    )}`;
    expect((await get('/api/v1/namespaces', forged)).status).toBe(401);
    expect(
      (await get('/api/v1/namespaces', 'k8s-aws-v1.bm90LWEtdXJs')).status,
    ).toBe(401);
  });

  it('refuses with 401 a valid token of an identity without an access entry, as EKS does', async () => {
    const token = await tokenFor('no-cluster-access');
    const res = await get('/api/v1/namespaces', token);
    expect(res).toMatchObject({
      status: 401,
      body: { reason: 'Unauthorized' },
    });
  });

  it('lets an access policy allow only what it grants: 403 with the reason beyond it', async () => {
    const { eks } = independent(SANDBOX.eks.accountId);
    await eks.send(
      new CreateAccessEntryCommand({
        clusterName: SANDBOX.eks.clusterName,
        principalArn: roleArn('viewer'),
      }),
    );
    await eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: SANDBOX.eks.clusterName,
        principalArn: roleArn('viewer'),
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
        accessScope: { type: 'namespace', namespaces: ['default'] },
      }),
    );
    const token = await tokenFor('viewer');
    expect((await get('/api/v1/namespaces/default/pods', token)).status).toBe(
      200,
    );
    const refused = await get('/apis/storage.k8s.io/v1/storageclasses', token);
    expect(refused).toMatchObject({
      status: 403,
      body: {
        reason: 'Forbidden',
        message: expect.stringMatching(
          /storageclasses.storage.k8s.io is forbidden: User "arn:aws:sts::222222222222:assumed-role\/viewer\/kubectl" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope/,
        ),
      },
    });
  });
});
