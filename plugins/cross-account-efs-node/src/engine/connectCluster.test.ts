import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeAccessPointsCommand,
  DescribeFileSystemPolicyCommand,
  PutFileSystemPolicyCommand,
} from '@aws-sdk/client-efs';
import { DescribeAddonCommand } from '@aws-sdk/client-eks';
import { independent, independentKubernetes, SANDBOX } from '@internal/sandbox';
import {
  connectCluster,
  disconnectCluster,
  EmulatorEngine,
  sandboxClusterOptions,
  sandboxRoles,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { driverVolume } from '../__testUtils__/fixtures';
import {
  parsePolicy,
  awsPrincipals,
  isAccountRoot,
} from '../iam/policyDocument';
import { csiDriver } from '../layers/csi-driver';
import { iam } from '../layers/iam';
import { kubernetes, TEST_CLAIM } from '../layers/kubernetes';
import { prepareConnection } from './prepareConnection';

jest.setTimeout(180_000);

const eksAccount = SANDBOX.eks.accountId;
const efsAccount = SANDBOX.efs.accountId;
const { csiDriverRoleArn: csiRoleArn, efsRoleName, efsRoleArn } = sandboxRoles;
const fsArn = `arn:aws:elasticfilesystem:${SANDBOX.region}:${efsAccount}:file-system/${SANDBOX.efs.fileSystemId}`;
const fsSid = SANDBOX.efs.fileSystemId.replace('-', '');
const options = sandboxClusterOptions;

const decode = (s?: string) => Buffer.from(s ?? '', 'base64').toString('utf8');

describe('IAM, CSI driver and Kubernetes layers (AWS emulator; EKS add-ons: sandbox gateway; cluster: Kubernetes API double)', () => {
  let sandbox: EmulatorEngine;
  const eks = () => independent(eksAccount);
  const efs = () => independent(efsAccount);
  const kube = () => independentKubernetes(sandbox.emulator.kubernetes);

  async function efsRoleTrust() {
    const { Role } = await efs().iam.send(
      new GetRoleCommand({ RoleName: efsRoleName }),
    );
    return parsePolicy(Role!.AssumeRolePolicyDocument);
  }

  /** A statement someone else wrote in the file system policy. */
  const theirs = {
    Sid: 'BackupVaultReadOnly',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${efsAccount}:role/backup` },
    Action: 'elasticfilesystem:ClientMount',
    Resource: fsArn,
  };
  const putForeignStatement = () =>
    efs().efs.send(
      new PutFileSystemPolicyCommand({
        FileSystemId: SANDBOX.efs.fileSystemId,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [theirs] }),
      }),
    );

  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  beforeEach(() => sandbox.reset());
  afterAll(() => sandbox?.stop());

  it('creates both roles, the OIDC provider, the file system policy, the add-on and the cluster objects (read back independently)', async () => {
    const result = await connectCluster(
      sandbox.context(),
      sandboxSpec,
      options,
    );
    expect(result.results.kubernetes).toBeDefined();

    // EKS account: OIDC provider and the driver's role (IRSA for both service accounts).
    const cluster = await prepareConnection(sandbox.context(), sandboxSpec);
    const issuer = cluster.cluster.oidcIssuer!.replace('https://', '');
    const { OpenIDConnectProviderList = [] } = await eks().iam.send(
      new ListOpenIDConnectProvidersCommand({}),
    );
    expect(OpenIDConnectProviderList.map(p => p.Arn)).toContain(
      `arn:aws:iam::${eksAccount}:oidc-provider/${issuer}`,
    );
    const { Role: csiRole } = await eks().iam.send(
      new GetRoleCommand({
        RoleName: `efs-csi-driver-${SANDBOX.eks.clusterName}`,
      }),
    );
    expect(parsePolicy(csiRole!.AssumeRolePolicyDocument).Statement).toEqual([
      {
        Sid: 'EfsCsiDriverIrsa',
        Effect: 'Allow',
        Principal: {
          Federated: `arn:aws:iam::${eksAccount}:oidc-provider/${issuer}`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:aud`]: 'sts.amazonaws.com',
            [`${issuer}:sub`]: [
              'system:serviceaccount:kube-system:efs-csi-controller-sa',
              'system:serviceaccount:kube-system:efs-csi-node-sa',
            ],
          },
        },
      },
    ]);
    const { PolicyDocument: csiPolicy } = await eks().iam.send(
      new GetRolePolicyCommand({
        RoleName: `efs-csi-driver-${SANDBOX.eks.clusterName}`,
        PolicyName: 'cross-account-efs',
      }),
    );
    expect(parsePolicy(csiPolicy).Statement).toEqual([
      {
        Sid: 'AssumeEfsAccountRole',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: efsRoleArn,
      },
      {
        Sid: `MountFileSystem${fsSid}`,
        Effect: 'Allow',
        Action: [
          'elasticfilesystem:ClientMount',
          'elasticfilesystem:ClientWrite',
        ],
        Resource: fsArn,
      },
    ]);

    // EFS account: the role trusts the driver's role only, with an external id.
    const trust = await efsRoleTrust();
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: csiRoleArn },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: {
          'sts:ExternalId': expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      },
    });
    const { PolicyDocument: efsPolicy } = await efs().iam.send(
      new GetRolePolicyCommand({
        RoleName: efsRoleName,
        PolicyName: 'cross-account-efs',
      }),
    );
    const statements = parsePolicy(efsPolicy).Statement;
    expect(statements.map(s => [s.Sid, s.Action])).toEqual([
      [
        `DescribeFileSystem${fsSid}`,
        [
          'elasticfilesystem:DescribeFileSystems',
          'elasticfilesystem:DescribeMountTargets',
          'elasticfilesystem:DescribeAccessPoints',
        ],
      ],
      [`CreateAccessPoint${fsSid}`, 'elasticfilesystem:CreateAccessPoint'],
      ['TagAccessPointOnCreate', 'elasticfilesystem:TagResource'],
      ['DeleteDriverAccessPoint', 'elasticfilesystem:DeleteAccessPoint'],
    ]);
    // Scoped to this file system and the account's access points, never '*'.
    expect(statements.flatMap(s => [s.Resource].flat())).not.toContain('*');
    expect(statements[1].Condition).toEqual({
      StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' },
    });
    expect(statements[3].Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' },
    });

    // The file system policy: the driver's role mounts through mount targets; no plain NFS.
    const { Policy } = await efs().efs.send(
      new DescribeFileSystemPolicyCommand({
        FileSystemId: SANDBOX.efs.fileSystemId,
      }),
    );
    expect(parsePolicy(Policy).Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { AWS: csiRoleArn },
        Action: [
          'elasticfilesystem:ClientMount',
          'elasticfilesystem:ClientWrite',
        ],
        Resource: fsArn,
      }),
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);

    // The add-on, running as the driver's role.
    const { addon } = await eks().eks.send(
      new DescribeAddonCommand({
        clusterName: SANDBOX.eks.clusterName,
        addonName: 'aws-efs-csi-driver',
      }),
    );
    expect(addon).toMatchObject({
      status: 'ACTIVE',
      addonVersion: 'v3.0.1-eksbuild.1',
      serviceAccountRoleArn: csiRoleArn,
    });

    // The cluster: the secret, a v3 StorageClass, the namespace, a bound test claim, no pod left.
    const k8s = kube();
    const secret = await k8s.core.readNamespacedSecret({
      name: 'x-account',
      namespace: 'kube-system',
    });
    expect({ ...secret.data, externalId: undefined }).toEqual({
      awsRoleArn: Buffer.from(efsRoleArn).toString('base64'),
      crossaccount: Buffer.from('true').toString('base64'),
      externalId: undefined,
    });
    expect(decode(secret.data?.externalId)).toBe(
      trust.Statement[0].Condition!.StringEquals['sts:ExternalId'],
    );
    const sc = await k8s.storage.readStorageClass({ name: 'efs-shared' });
    expect(sc).toMatchObject({
      provisioner: 'efs.csi.aws.com',
      mountOptions: ['iam'],
      parameters: {
        provisioningMode: 'efs-ap',
        fileSystemId: SANDBOX.efs.fileSystemId,
        directoryPerms: '700',
        'csi.storage.k8s.io/provisioner-secret-name': 'x-account',
        'csi.storage.k8s.io/provisioner-secret-namespace': 'kube-system',
      },
    });
    expect(sc.parameters).not.toHaveProperty('az');
    await k8s.core.readNamespace({ name: 'team-a' });
    const claim = await k8s.core.readNamespacedPersistentVolumeClaim({
      name: TEST_CLAIM,
      namespace: 'team-a',
    });
    expect(claim.status?.phase).toBe('Bound');
    const pods = await k8s.core.listNamespacedPod({ namespace: 'team-a' });
    expect(pods.items).toEqual([]);
  });

  it('a second run makes zero mutating AWS calls and writes nothing to the cluster', async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    const before = sandbox.emulator.kubernetes.store.snapshot();
    sandbox.counter.reset();
    const again = await connectCluster(sandbox.context(), sandboxSpec, options);
    expect(sandbox.counter.mutating).toEqual([]);
    expect(sandbox.emulator.kubernetes.store.snapshot()).toEqual(before);
    expect(again.changes).toEqual([]);
  });

  it('keeps a file system policy statement it did not write (merged, never replaced)', async () => {
    await putForeignStatement();
    await connectCluster(sandbox.context(), sandboxSpec, options);
    const { Policy } = await efs().efs.send(
      new DescribeFileSystemPolicyCommand({
        FileSystemId: SANDBOX.efs.fileSystemId,
      }),
    );
    const statements = parsePolicy(Policy).Statement;
    expect(statements[0]).toEqual(theirs);
    expect(statements.map(s => s.Sid)).toEqual([
      'BackupVaultReadOnly',
      `CrossAccountEfsMount${eksAccount}appscluster`,
      'CrossAccountEfsSecureTransport',
    ]);
  });

  it('never trusts an account root, and never lets the external id out (logs, results, plans)', async () => {
    sandbox.logs.length = 0;
    const result = await connectCluster(
      sandbox.context(),
      sandboxSpec,
      options,
    );
    const trust = await efsRoleTrust();
    const externalId = trust.Statement[0].Condition!.StringEquals[
      'sts:ExternalId'
    ] as string;
    expect(
      trust.Statement.flatMap(awsPrincipals).filter(isAccountRoot),
    ).toEqual([]);
    expect(sandbox.logs.length).toBeGreaterThan(5);
    expect(sandbox.logs.join('\n')).not.toContain(externalId);
    expect(JSON.stringify(result)).not.toContain(externalId);
  });

  it('refuses a differing StorageClass while volumes use it, naming each difference and the way out', async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    const ctx = sandbox.context();
    const t = await prepareConnection(ctx, sandboxSpec);
    const plan = await kubernetes.plan(ctx, t, {
      ...options,
      directoryPerms: '770',
      replaceStorageClass: true,
    });
    expect(plan.blockers).toHaveLength(1);
    expect(plan.blockers[0].summary).toContain(
      'parameters.directoryPerms: "700" -> "770"',
    );
    expect(plan.blockers[0].summary).toContain('1 PersistentVolume(s) use it');
    expect(plan.blockers[0].remedy).toContain('another storageClassName');
  });

  it('replaces a differing StorageClass when asked and no volume uses it', async () => {
    await connectCluster(sandbox.context(), sandboxSpec, {
      ...options,
      verify: false,
    });
    const ctx = sandbox.context();
    const t = await prepareConnection(ctx, sandboxSpec);
    const refused = await kubernetes.plan(ctx, t, {
      ...options,
      verify: false,
      directoryPerms: '770',
    });
    expect(refused.blockers[0].remedy).toContain('replaceStorageClass: true');
    const plan = await kubernetes.plan(ctx, t, {
      ...options,
      verify: false,
      directoryPerms: '770',
      replaceStorageClass: true,
    });
    expect(plan.blockers).toEqual([]);
    await plan.apply();
    expect(
      (await kube().storage.readStorageClass({ name: 'efs-shared' })).parameters
        ?.directoryPerms,
    ).toBe('770');
  });

  it('checks: every layer ok after provisioning; a deleted secret turns the kubernetes layer to error with its remedy', async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    const ctx = sandbox.context();
    const t = await prepareConnection(ctx, sandboxSpec);
    const check = async () => [
      ...(await iam.check(ctx, t, {})),
      ...(await csiDriver.check(ctx, t, {})),
      ...(await kubernetes.check(ctx, t, {
        ...options,
      })),
    ];
    expect((await check()).map(r => `${r.layer} ${r.status}`)).toEqual([
      'iam ok',
      'csi-driver ok',
      'kubernetes ok',
      'kubernetes ok',
      'kubernetes ok',
      'kubernetes ok',
    ]);
    await kube().core.deleteNamespacedSecret({
      name: 'x-account',
      namespace: 'kube-system',
    });
    const broken = (await check()).filter(r => r.status !== 'ok');
    expect(broken).toEqual([
      expect.objectContaining({
        layer: 'kubernetes',
        status: 'error',
        summary: expect.stringContaining('x-account is missing'),
        remedy: expect.stringContaining('Re-run provisioning'),
      }),
      // The test claim's volume can no longer be deleted with its access point.
      expect.objectContaining({
        layer: 'kubernetes',
        status: 'warning',
        summary: expect.stringContaining('(kube-system/x-account)'),
      }),
    ]);
  });

  it("checks flag the seed's StorageClass (crossaccount mount option) on a v3 driver", async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    await kube().storage.createStorageClass({
      body: {
        metadata: { name: 'efs-seed' },
        provisioner: 'efs.csi.aws.com',
        mountOptions: ['tls', 'iam', 'crossaccount'],
        parameters: {
          provisioningMode: 'efs-ap',
          fileSystemId: SANDBOX.efs.fileSystemId,
          directoryPerms: '700',
          'csi.storage.k8s.io/provisioner-secret-name': 'x-account',
          'csi.storage.k8s.io/provisioner-secret-namespace': 'kube-system',
        },
      },
    });
    const ctx = sandbox.context();
    const t = await prepareConnection(ctx, sandboxSpec);
    const results = await kubernetes.check(ctx, t, {
      storageClassName: 'efs-seed',
    });
    expect(results.find(r => r.id.includes('storage-class'))).toMatchObject({
      status: 'error',
      summary: expect.stringContaining(
        "mountOptions has 'crossaccount', which driver v3.0.1 refuses",
      ),
    });
  });

  it('removal takes out what it made, keeps what others wrote, and a second removal changes nothing', async () => {
    await putForeignStatement();
    await connectCluster(sandbox.context(), sandboxSpec, options);
    const removed = await disconnectCluster(
      sandbox.context(),
      sandboxSpec,
      options,
    );
    expect(removed.map(r => `${r.resource} ${r.action}`)).toEqual([
      'persistent-volume-claim delete',
      'storage-class delete',
      'kubernetes-secret delete',
      'efs-file-system-policy update',
      'iam-role-policy delete',
      'iam-role delete',
      'iam-role-policy delete',
      'iam-role delete',
    ]);
    const { Policy } = await efs().efs.send(
      new DescribeFileSystemPolicyCommand({
        FileSystemId: SANDBOX.efs.fileSystemId,
      }),
    );
    expect(parsePolicy(Policy).Statement).toEqual([theirs]);
    await expect(
      efs().iam.send(new GetRoleCommand({ RoleName: efsRoleName })),
    ).rejects.toThrow();
    await expect(
      kube().storage.readStorageClass({ name: 'efs-shared' }),
    ).rejects.toMatchObject({ code: 404 });
    sandbox.counter.reset();
    expect(
      await disconnectCluster(sandbox.context(), sandboxSpec, options),
    ).toEqual([]);
    expect(sandbox.counter.mutating).toEqual([]);
  });

  it('refuses removal while a workload volume uses the StorageClass, removing nothing', async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    await kube().core.createNamespacedPersistentVolumeClaim({
      namespace: 'team-a',
      body: {
        metadata: { name: 'app-data' },
        spec: {
          accessModes: ['ReadWriteMany'],
          storageClassName: 'efs-shared',
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    // Pending or bound, the workload's claim needs the class.
    await expect(
      disconnectCluster(sandbox.context(), sandboxSpec, options),
    ).rejects.toThrow(/still has 1 PersistentVolume\(s\) or claim\(s\)/);
    // The driver binds it once its access point exists in the EFS account.
    for (let i = 0; i < 100; i++) {
      const claim = await kube().core.readNamespacedPersistentVolumeClaim({
        name: 'app-data',
        namespace: 'team-a',
      });
      if (claim.status?.phase === 'Bound') break;
      await new Promise(r => setTimeout(r, 100));
    }
    const before = sandbox.emulator.kubernetes.store.snapshot();
    sandbox.counter.reset();
    await expect(
      disconnectCluster(sandbox.context(), sandboxSpec, options),
    ).rejects.toThrow(
      /still has 1 PersistentVolume\(s\) or claim\(s\) \(pvc-.*nothing was removed/,
    );
    expect(sandbox.counter.mutating).toEqual([]);
    expect(sandbox.emulator.kubernetes.store.snapshot()).toEqual(before);
  });

  it("removal deletes the secret only once the test claim's volume is gone, so the driver deletes its access point", async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    const accessPoints = async () =>
      (
        await efs().efs.send(
          new DescribeAccessPointsCommand({
            FileSystemId: SANDBOX.efs.fileSystemId,
          }),
        )
      ).AccessPoints ?? [];
    expect(await accessPoints()).toHaveLength(1);
    await disconnectCluster(sandbox.context(), sandboxSpec, options);
    expect(await accessPoints()).toEqual([]);
    expect((await kube().core.listPersistentVolume()).items).toEqual([]);
  });

  it('refuses removal while a volume of a deleted class still names the secret for its deletion, removing nothing', async () => {
    await connectCluster(sandbox.context(), sandboxSpec, options);
    await kube().core.createPersistentVolume({
      body: driverVolume({
        name: 'pvc-from-an-old-class',
        storageClassName: 'efs-old',
        deletionSecretName: 'x-account',
        fileSystemId: SANDBOX.efs.fileSystemId,
      }),
    });
    sandbox.counter.reset();
    await expect(
      disconnectCluster(sandbox.context(), sandboxSpec, options),
    ).rejects.toThrow(
      /PersistentVolume\(s\) pvc-from-an-old-class still name kube-system\/x-account as their deletion secret.*Fix: Delete those volumes' claims first/s,
    );
    expect(sandbox.counter.mutating).toEqual([]);
    await expect(
      kube().core.readNamespacedSecret({
        name: 'x-account',
        namespace: 'kube-system',
      }),
    ).resolves.toBeDefined();
  });
});
