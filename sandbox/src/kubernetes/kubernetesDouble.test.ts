import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  StorageV1Api,
} from '@kubernetes/client-node';
import { httpsGet } from '../__testUtils__/httpsGet';
import { KubernetesDouble, startKubernetesDouble } from './kubernetesDouble';

function clients(double: { url: string; token: string; caData: string }) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sandbox', server: double.url, caData: double.caData }],
    users: [{ name: 'u', token: double.token }],
    contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'u' }],
    currentContext: 'sandbox',
  });
  return {
    core: kc.makeApiClient(CoreV1Api),
    storage: kc.makeApiClient(StorageV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}

/** The error a client-node call rejects with: HTTP code and Status body. */
async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (e: any) {
    return {
      code: e.code,
      status: typeof e.body === 'string' ? JSON.parse(e.body) : e.body,
    };
  }
  throw new Error('expected the call to fail');
}

const efsClass = (name: string, params: Record<string, string> = {}) => ({
  metadata: { name },
  provisioner: 'efs.csi.aws.com',
  mountOptions: ['iam'],
  parameters: {
    provisioningMode: 'efs-ap',
    fileSystemId: 'fs-66b4be25',
    directoryPerms: '700',
    'csi.storage.k8s.io/provisioner-secret-name': 'x-account',
    'csi.storage.k8s.io/provisioner-secret-namespace': 'kube-system',
    ...params,
  },
});

const claim = (name: string, storageClassName: string) => ({
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteMany'],
    storageClassName,
    resources: { requests: { storage: '1Mi' } },
  },
});

const secret = {
  metadata: { name: 'x-account' },
  data: {
    awsRoleArn: Buffer.from('arn:aws:iam::111111111111:role/r').toString(
      'base64',
    ),
    crossaccount: Buffer.from('true').toString('base64'),
  },
};

describe('Kubernetes API double', () => {
  let double: KubernetesDouble;
  let k8s: ReturnType<typeof clients>;

  beforeAll(async () => {
    double = await startKubernetesDouble();
    k8s = clients(double);
  });
  beforeEach(() => double.reset());
  afterAll(() => double.close());

  it('refuses requests without the bearer token with 401 and a Status body', async () => {
    const res = await httpsGet(`${double.url}/api/v1/namespaces`, double);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
    const wrong = clients({ ...double, token: 'not-the-token' });
    expect((await failure(wrong.core.listNamespace())).code).toBe(401);
  });

  it('creates (201), reads (200), refuses a duplicate (409 AlreadyExists) and a missing object (404)', async () => {
    const created = await k8s.core.createNamespace({
      body: { metadata: { name: 'team-a' } },
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toBeTruthy();
    expect(
      (await k8s.core.readNamespace({ name: 'team-a' })).status?.phase,
    ).toBe('Active');
    const duplicate = await failure(
      k8s.core.createNamespace({ body: { metadata: { name: 'team-a' } } }),
    );
    expect(duplicate).toMatchObject({
      code: 409,
      status: {
        reason: 'AlreadyExists',
        message: 'namespaces "team-a" already exists',
      },
    });
    const missing = await failure(
      k8s.core.readNamespacedSecret({ name: 'nope', namespace: 'team-a' }),
    );
    expect(missing).toMatchObject({
      code: 404,
      status: {
        kind: 'Status',
        reason: 'NotFound',
        message: 'secrets "nope" not found',
      },
    });
  });

  it('refuses namespaced objects in a namespace that does not exist, and invalid names (422)', async () => {
    expect(
      await failure(
        k8s.core.createNamespacedSecret({ namespace: 'ghost', body: secret }),
      ),
    ).toMatchObject({
      code: 404,
      status: { message: 'namespaces "ghost" not found' },
    });
    expect(
      (
        await failure(
          k8s.core.createNamespace({ body: { metadata: { name: 'Team_A' } } }),
        )
      ).code,
    ).toBe(422);
  });

  it('applies optimistic concurrency: a stale resourceVersion gets 409 Conflict', async () => {
    const first = await k8s.core.createNamespacedSecret({
      namespace: 'kube-system',
      body: secret,
    });
    await k8s.core.replaceNamespacedSecret({
      name: 'x-account',
      namespace: 'kube-system',
      body: { ...first, data: { ...first.data, externalId: 'YQ==' } },
    });
    const stale = await failure(
      k8s.core.replaceNamespacedSecret({
        name: 'x-account',
        namespace: 'kube-system',
        body: { ...first, data: {} },
      }),
    );
    expect(stale).toMatchObject({ code: 409, status: { reason: 'Conflict' } });
  });

  it('refuses changes to StorageClass parameters with 422, as the API server does', async () => {
    const sc = await k8s.storage.createStorageClass({
      body: efsClass('efs-sc'),
    });
    const changed = await failure(
      k8s.storage.replaceStorageClass({
        name: 'efs-sc',
        body: {
          ...sc,
          parameters: { ...sc.parameters, directoryPerms: '777' },
        },
      }),
    );
    expect(changed).toMatchObject({ code: 422, status: { reason: 'Invalid' } });
    expect(changed.status.message).toContain(
      'parameters: Forbidden: updates to parameters are forbidden',
    );
    // Labels may change.
    await k8s.storage.replaceStorageClass({
      name: 'efs-sc',
      body: { ...sc, metadata: { ...sc.metadata, labels: { a: 'b' } } },
    });
  });

  it('filters lists by label selector (equality, set and existence)', async () => {
    for (const [name, labels] of [
      ['a', { team: 'a', tier: 'gold' }],
      ['b', { team: 'b' }],
      ['c', {}],
    ] as const) {
      await k8s.core.createNamespace({ body: { metadata: { name, labels } } });
    }
    const names = async (labelSelector: string) =>
      (await k8s.core.listNamespace({ labelSelector })).items
        .map(n => n.metadata?.name)
        .sort();
    expect(await names('team=a')).toEqual(['a']);
    expect(await names('team in (a,b)')).toEqual(['a', 'b']);
    expect(await names('team,!tier')).toEqual(['b']);
    expect(await names('team!=a')).toEqual(expect.arrayContaining(['b', 'c']));
  });

  it('simulated driver: a claim stays Pending until the driver runs, then binds when class and secret are right', async () => {
    await k8s.storage.createStorageClass({ body: efsClass('efs-sc') });
    await k8s.core.createNamespacedPersistentVolumeClaim({
      namespace: 'default',
      body: claim('data', 'efs-sc'),
    });
    expect(
      (
        await k8s.core.readNamespacedPersistentVolumeClaim({
          name: 'data',
          namespace: 'default',
        })
      ).status?.phase,
    ).toBe('Pending');

    double.driver.install({
      version: 'v2.1.4-eksbuild.1',
      roleArn: 'arn:aws:iam::222222222222:role/efs-csi',
    });
    const events = await k8s.core.listNamespacedEvent({ namespace: 'default' });
    expect(events.items.map(e => e.message)).toContain(
      'failed to provision volume with StorageClass "efs-sc": error getting secret x-account in namespace kube-system: secrets "x-account" not found',
    );
    expect(
      (
        await k8s.apps.readNamespacedDeployment({
          name: 'efs-csi-controller',
          namespace: 'kube-system',
        })
      ).spec?.template.spec?.containers[0].image,
    ).toMatch(/:v2\.1\.4$/);

    await k8s.core.createNamespacedSecret({
      namespace: 'kube-system',
      body: secret,
    });
    const bound = await k8s.core.readNamespacedPersistentVolumeClaim({
      name: 'data',
      namespace: 'default',
    });
    expect(bound.status?.phase).toBe('Bound');
    const pv = await k8s.core.readPersistentVolume({
      name: bound.spec!.volumeName!,
    });
    expect(pv.spec?.csi?.volumeHandle).toMatch(/^fs-66b4be25::fsap-/);
  });

  it("simulated driver v3: a class with the seed's crossaccount mount option leaves the claim Pending with the driver's message", async () => {
    double.driver.install({ version: 'v3.0.1-eksbuild.1' });
    await k8s.core.createNamespacedSecret({
      namespace: 'kube-system',
      body: secret,
    });
    await k8s.storage.createStorageClass({
      body: {
        ...efsClass('seed-sc'),
        mountOptions: ['tls', 'iam', 'crossaccount'],
      },
    });
    await k8s.core.createNamespacedPersistentVolumeClaim({
      namespace: 'default',
      body: claim('data', 'seed-sc'),
    });
    expect(
      (
        await k8s.core.readNamespacedPersistentVolumeClaim({
          name: 'data',
          namespace: 'default',
        })
      ).status?.phase,
    ).toBe('Pending');
    const events = await k8s.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'reason=ProvisioningFailed',
    });
    expect(events.items[0].message).toContain(
      "mount option 'crossaccount' cannot be set manually",
    );
  });
});
