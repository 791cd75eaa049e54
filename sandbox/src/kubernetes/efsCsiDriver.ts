import { parse as parseYaml } from 'yaml';
import { randomUUID } from 'node:crypto';
import { ObjectStore } from './apiServer';
import type { DriverAws } from './driverAws';
import { kindByName, KubeObject } from './resources';

const NS = 'kube-system';
const PROVISIONER = 'efs.csi.aws.com';
const IMAGE =
  '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-efs-csi-driver';

const k = (name: string) => kindByName(name)!;

function major(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

/**
 * What the EFS CSI driver does in a cluster, as far as the API server can
 * see it: the add-on installs its objects, and the controller provisions
 * PersistentVolumeClaims of its StorageClasses, or leaves them Pending with
 * the driver's (and external-provisioner's) real messages.
 *
 * Volumes follow their claims: deleted with them (reclaimPolicy Delete) or
 * Released (Retain).
 *
 * With `aws` (the sandbox cluster), provisioning is the controller's real
 * AWS side, under policy evaluation (driverAws.ts): the access point exists
 * in the EFS account, a denial leaves the claim Pending with the driver's
 * error, and deleting the volume deletes the access point. Without it (unit
 * tests of the double) a claim binds when what the cluster holds is right,
 * with an invented access point id. Not modelled: mounting on nodes.
 */
const RETRY_MS = 1000;

export class EfsCsiDriverSimulation {
  private reconciling = false;
  /** The role the controller runs as (IRSA or Pod Identity). */
  private driverRoleArn?: string;
  /** The controller deletes a volume's directory by mounting the root (add-on `controller.deleteAccessPointRootDir`). */
  private deleteAccessPointRootDir = false;
  /** Tags the controller adds to every access point (add-on `controller.tags`, `--tags`). */
  private extraTags: Record<string, string> = {};
  /** Claims (by uid) and volumes (by name) with an AWS call under way. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly aws?: DriverAws,
  ) {
    store.afterWrite = () => this.reconcile();
  }

  /** What the managed add-on (or the Helm chart) creates. */
  install(options: {
    version: string;
    roleArn?: string;
    podIdentityRoleArn?: string;
    /** The add-on's configuration values (JSON or YAML), as EKS passes them to the chart. */
    configurationValues?: string;
  }) {
    this.driverRoleArn = options.roleArn ?? options.podIdentityRoleArn;
    const values = options.configurationValues
      ? parseYaml(options.configurationValues)
      : undefined;
    this.deleteAccessPointRootDir =
      values?.controller?.deleteAccessPointRootDir === true;
    this.extraTags = Object.fromEntries(
      Object.entries(values?.controller?.tags ?? {}).map(([key, value]) => [
        key,
        String(value),
      ]),
    );
    const annotations = options.roleArn
      ? { 'eks.amazonaws.com/role-arn': options.roleArn }
      : undefined;
    const labels = { 'app.kubernetes.io/name': 'aws-efs-csi-driver' };
    const upsert = (kind: string, object: KubeObject) => {
      const existing = this.store.find(
        k(kind),
        object.metadata.namespace,
        object.metadata.name,
      );
      if (existing)
        this.store.replace(
          k(kind),
          object.metadata.namespace,
          object.metadata.name,
          object,
        );
      else this.store.create(k(kind), object.metadata.namespace, object);
    };
    const image = `${IMAGE}:${options.version.replace(/-eksbuild\.\d+$/, '')}`;
    upsert('CSIDriver', {
      metadata: { name: PROVISIONER, labels },
      spec: { attachRequired: false },
    });
    for (const sa of ['efs-csi-controller-sa', 'efs-csi-node-sa']) {
      upsert('ServiceAccount', {
        metadata: { name: sa, namespace: NS, labels, annotations },
      });
    }
    upsert('Deployment', {
      metadata: { name: 'efs-csi-controller', namespace: NS, labels },
      spec: {
        replicas: 2,
        template: {
          spec: {
            serviceAccountName: 'efs-csi-controller-sa',
            containers: [
              {
                name: 'efs-plugin',
                image,
                // As the chart renders controller.deleteAccessPointRootDir.
                args: [
                  'controller',
                  ...(this.deleteAccessPointRootDir
                    ? ['--delete-access-point-root-dir=true']
                    : []),
                  ...(Object.keys(this.extraTags).length
                    ? [
                        `--tags=${Object.entries(this.extraTags)
                          .map(([key, value]) => `${key}:${value}`)
                          .join(' ')}`,
                      ]
                    : []),
                ],
              },
            ],
          },
        },
      },
      status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
    });
    upsert('DaemonSet', {
      metadata: { name: 'efs-csi-node', namespace: NS, labels },
      spec: {
        template: {
          spec: {
            serviceAccountName: 'efs-csi-node-sa',
            containers: [{ name: 'efs-plugin', image }],
          },
        },
      },
      status: { desiredNumberScheduled: 3, numberReady: 3 },
    });
  }

  uninstall() {
    for (const [kind, ns, name] of [
      ['CSIDriver', undefined, PROVISIONER],
      ['Deployment', NS, 'efs-csi-controller'],
      ['DaemonSet', NS, 'efs-csi-node'],
      ['ServiceAccount', NS, 'efs-csi-controller-sa'],
      ['ServiceAccount', NS, 'efs-csi-node-sa'],
    ] as const) {
      if (this.store.find(k(kind), ns, name))
        this.store.delete(k(kind), ns, name);
    }
  }

  private installedVersion(): string | undefined {
    const controller = this.store.find(
      k('Deployment'),
      NS,
      'efs-csi-controller',
    );
    const image: string | undefined =
      controller?.spec?.template?.spec?.containers?.[0]?.image;
    return image?.split(':')[1];
  }

  private event(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) {
    // Events of cluster-scoped objects (volumes) live in default, as Kubernetes puts them.
    const ns = object.metadata.namespace ?? 'default';
    const same = this.store
      .list(k('Event'), ns, {
        field: `involvedObject.uid=${object.metadata.uid}`,
      })
      .find(e => e.reason === reason && e.message === message);
    if (same) return;
    this.store.create(k('Event'), ns, {
      metadata: {
        name: `${object.metadata.name}.${randomUUID().slice(0, 8)}`,
        namespace: ns,
      },
      involvedObject: {
        kind: object.metadata.namespace
          ? 'PersistentVolumeClaim'
          : 'PersistentVolume',
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
      },
      reason,
      message,
      type,
      source: { component: `${PROVISIONER}_efs-csi-controller` },
      count: 1,
      lastTimestamp: new Date().toISOString(),
    });
  }

  /** Why the controller cannot provision with this class, in its own words. */
  private refusal(sc: KubeObject): string | undefined {
    const version = this.installedVersion();
    const prefix = `failed to provision volume with StorageClass "${sc.metadata.name}"`;
    const params: Record<string, string> = sc.parameters ?? {};
    if (!params.fileSystemId) {
      return `${prefix}: rpc error: code = InvalidArgument desc = Missing "fileSystemId" parameter`;
    }
    if (
      version &&
      major(version) >= 3 &&
      (sc.mountOptions ?? []).includes('crossaccount')
    ) {
      return `${prefix}: rpc error: code = InvalidArgument desc = mount option 'crossaccount' cannot be set manually`;
    }
    const secretName = params['csi.storage.k8s.io/provisioner-secret-name'];
    const secretNamespace =
      params['csi.storage.k8s.io/provisioner-secret-namespace'];
    if (secretName) {
      const secret = this.store.find(k('Secret'), secretNamespace, secretName);
      if (!secret) {
        return `${prefix}: error getting secret ${secretName} in namespace ${secretNamespace}: secrets "${secretName}" not found`;
      }
      if (!this.secretOf(secretName, secretNamespace).awsRoleArn) {
        return `${prefix}: rpc error: code = Unauthenticated desc = Access Denied. Please ensure you have the right AWS permissions: Access denied`;
      }
    }
    return undefined;
  }

  private provision(claim: KubeObject, sc: KubeObject, accessPointId?: string) {
    const pvName = `pvc-${claim.metadata.uid}`;
    const params: Record<string, string> = sc.parameters ?? {};
    this.store.create(k('PersistentVolume'), undefined, {
      metadata: {
        name: pvName,
        annotations: {
          'pv.kubernetes.io/provisioned-by': PROVISIONER,
          // Where DeleteVolume finds its credentials, as external-provisioner records it.
          'volume.kubernetes.io/provisioner-deletion-secret-name':
            params['csi.storage.k8s.io/provisioner-secret-name'] ?? '',
          'volume.kubernetes.io/provisioner-deletion-secret-namespace':
            params['csi.storage.k8s.io/provisioner-secret-namespace'] ?? '',
        },
      },
      spec: {
        accessModes: claim.spec?.accessModes,
        capacity: {
          storage: claim.spec?.resources?.requests?.storage ?? '5Gi',
        },
        storageClassName: sc.metadata.name,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        mountOptions: sc.mountOptions,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid: claim.metadata.uid,
        },
        csi: {
          driver: PROVISIONER,
          volumeHandle: `${sc.parameters.fileSystemId}::${
            accessPointId ??
            `fsap-${randomUUID().replace(/-/g, '').slice(0, 17)}`
          }`,
        },
      },
      status: { phase: 'Bound' },
    });
    this.store.replace(
      k('PersistentVolumeClaim'),
      claim.metadata.namespace,
      claim.metadata.name,
      {
        ...claim,
        spec: { ...claim.spec, volumeName: pvName },
        status: {
          phase: 'Bound',
          accessModes: claim.spec?.accessModes,
          capacity: { storage: claim.spec?.resources?.requests?.storage },
        },
      },
    );
    this.event(
      claim,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${pvName}`,
    );
  }

  private reconcileClaims() {
    for (const claim of this.store.list(k('PersistentVolumeClaim'))) {
      if (claim.status?.phase === 'Bound') continue;
      const sc = claim.spec?.storageClassName
        ? this.store.find(
            k('StorageClass'),
            undefined,
            claim.spec.storageClassName,
          )
        : undefined;
      if (!sc || sc.provisioner !== PROVISIONER) continue;
      if (!claim.status?.phase) {
        this.store.replace(
          k('PersistentVolumeClaim'),
          claim.metadata.namespace,
          claim.metadata.name,
          { ...claim, status: { phase: 'Pending' } },
        );
      }
      if (!this.installedVersion()) {
        this.event(
          claim,
          'Normal',
          'ExternalProvisioning',
          `Waiting for a volume to be created either by the external provisioner '${PROVISIONER}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
        );
        continue;
      }
      const refusal = this.refusal(sc);
      if (refusal) this.event(claim, 'Warning', 'ProvisioningFailed', refusal);
      else if (this.aws) this.createVolume(claim, sc);
      else
        this.provision(
          this.store.get(
            k('PersistentVolumeClaim'),
            claim.metadata.namespace,
            claim.metadata.name,
          ),
          sc,
        );
    }
  }

  private secretOf(name?: string, namespace?: string) {
    const secret = name
      ? this.store.find(k('Secret'), namespace, name)
      : undefined;
    const read = (key: string) =>
      secret?.data?.[key]
        ? Buffer.from(secret.data[key], 'base64').toString()
        : undefined;
    return { awsRoleArn: read('awsRoleArn')!, externalId: read('externalId') };
  }

  /** CreateVolume through AWS; the claim binds when it succeeds, and is retried when it fails. */
  private createVolume(claim: KubeObject, sc: KubeObject) {
    const uid = claim.metadata.uid!;
    if (this.busy.has(uid)) return;
    this.busy.add(uid);
    const params: Record<string, string> = sc.parameters ?? {};
    const prefix = `failed to provision volume with StorageClass "${sc.metadata.name}"`;
    const start = Number(params.gidRangeStart ?? 50000);
    const volumeName = `pvc-${uid}`;
    const created = this.driverRoleArn
      ? this.aws!.createAccessPoint({
          driverRoleArn: this.driverRoleArn,
          ...this.secretOf(
            params['csi.storage.k8s.io/provisioner-secret-name'],
            params['csi.storage.k8s.io/provisioner-secret-namespace'],
          ),
          fileSystemId: params.fileSystemId,
          volumeName,
          basePath: params.basePath,
          directoryPerms: params.directoryPerms ?? '700',
          gid: start + this.store.list(k('PersistentVolume')).length,
          extraTags: this.extraTags,
        })
      : Promise.reject(
          new Error(
            'NoCredentialProviders: no valid providers in chain (the controller has no role)',
          ),
        );
    created.then(
      accessPointId => {
        const current = this.store.find(
          k('PersistentVolumeClaim'),
          claim.metadata.namespace,
          claim.metadata.name,
        );
        // Still busy while binding: provisioning writes, and each write reconciles.
        if (current?.metadata.uid === uid && current.status?.phase !== 'Bound')
          this.provision(current, sc, accessPointId);
        this.busy.delete(uid);
      },
      e => {
        const current = this.store.find(
          k('PersistentVolumeClaim'),
          claim.metadata.namespace,
          claim.metadata.name,
        );
        if (current?.metadata.uid !== uid) {
          // The claim went (or the cluster was reset) while AWS answered.
          this.busy.delete(uid);
          return;
        }
        this.event(
          claim,
          'Warning',
          'ProvisioningFailed',
          `${prefix}: rpc error: code = Unauthenticated desc = Access Denied. Please ensure you have the right AWS permissions: ${e.message}`,
        );
        // external-provisioner retries a failed CreateVolume.
        setTimeout(() => {
          this.busy.delete(uid);
          this.reconcile();
        }, RETRY_MS).unref();
      },
    );
  }

  /** DeleteVolume through AWS: the access point goes, then the volume. */
  private deleteVolume(pv: KubeObject) {
    const name = pv.metadata.name;
    if (this.busy.has(name)) return;
    this.busy.add(name);
    const accessPointId = String(pv.spec?.csi?.volumeHandle ?? '').split(
      '::',
    )[1];
    const annotations = pv.metadata.annotations ?? {};
    const secret = this.secretOf(
      annotations['volume.kubernetes.io/provisioner-deletion-secret-name'],
      annotations['volume.kubernetes.io/provisioner-deletion-secret-namespace'],
    );
    const fileSystemId = String(pv.spec?.csi?.volumeHandle ?? '').split(
      '::',
    )[0];
    const driverRoleArn = this.driverRoleArn;
    const deleted =
      driverRoleArn && secret.awsRoleArn && accessPointId
        ? (this.deleteAccessPointRootDir
            ? this.aws!.mountRootAsController({
                driverRoleArn,
                awsRoleArn: secret.awsRoleArn,
                fileSystemId,
              })
            : Promise.resolve()
          ).then(() =>
            this.aws!.deleteAccessPoint({
              driverRoleArn,
              ...secret,
              accessPointId,
            }),
          )
        : Promise.reject(
            new Error(
              `the deletion secret of ${name} is gone: the access point ${accessPointId} stays`,
            ),
          );
    deleted.then(
      () => {
        this.busy.delete(name);
        if (this.store.find(k('PersistentVolume'), undefined, name))
          this.store.delete(k('PersistentVolume'), undefined, name);
      },
      (e: Error) => {
        this.event(
          pv,
          'Warning',
          'VolumeFailedDelete',
          `rpc error: code = Internal desc = Failed to delete volume ${name}: ${e.message}`,
        );
        // The volume stays Released, as when DeleteVolume fails; retried.
        if (this.store.find(k('PersistentVolume'), undefined, name))
          this.store.replace(k('PersistentVolume'), undefined, name, {
            ...this.store.get(k('PersistentVolume'), undefined, name),
            status: { phase: 'Released' },
          });
        setTimeout(() => {
          this.busy.delete(name);
          this.reconcile();
        }, RETRY_MS).unref();
      },
    );
  }

  /** Pods run to completion once every claim they mount is bound. */
  private reconcilePods() {
    for (const pod of this.store.list(k('Pod'))) {
      if (pod.status?.phase && pod.status.phase !== 'Pending') continue;
      const claims: string[] = (pod.spec?.volumes ?? [])
        .map((v: any) => v.persistentVolumeClaim?.claimName)
        .filter(Boolean);
      const bound = claims.every(
        name =>
          this.store.find(
            k('PersistentVolumeClaim'),
            pod.metadata.namespace,
            name,
          )?.status?.phase === 'Bound',
      );
      let phase = 'Pending';
      if (bound)
        phase = pod.spec?.restartPolicy === 'Never' ? 'Succeeded' : 'Running';
      if (phase !== pod.status?.phase) {
        this.store.replace(
          k('Pod'),
          pod.metadata.namespace,
          pod.metadata.name,
          { ...pod, status: { phase } },
        );
      }
    }
  }

  /** A volume whose claim is gone is deleted (reclaimPolicy Delete) or Released. */
  private reconcileVolumes() {
    for (const pv of this.store.list(k('PersistentVolume'))) {
      const ref = pv.spec?.claimRef;
      const retried =
        this.aws && pv.spec?.persistentVolumeReclaimPolicy !== 'Retain';
      if (!ref || (pv.status?.phase === 'Released' && !retried)) continue;
      const claim = this.store.find(
        k('PersistentVolumeClaim'),
        ref.namespace,
        ref.name,
      );
      if (claim && claim.metadata.uid === ref.uid) continue;
      if (retried) {
        this.deleteVolume(pv);
        continue;
      }
      if (pv.spec?.persistentVolumeReclaimPolicy === 'Retain') {
        this.store.replace(k('PersistentVolume'), undefined, pv.metadata.name, {
          ...pv,
          status: { phase: 'Released' },
        });
      } else {
        this.store.delete(k('PersistentVolume'), undefined, pv.metadata.name);
      }
    }
  }

  reconcile() {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      this.reconcileVolumes();
      this.reconcileClaims();
      this.reconcilePods();
    } finally {
      this.reconciling = false;
    }
  }
}
