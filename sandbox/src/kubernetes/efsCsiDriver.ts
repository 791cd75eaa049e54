import { randomUUID } from 'node:crypto';
import { ObjectStore } from './apiServer';
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
 * Not modelled: the AWS side of provisioning (assuming the EFS-account
 * role, creating the access point) and mounting on nodes; a claim binds
 * when what the cluster holds is right.
 */
export class EfsCsiDriverSimulation {
  private reconciling = false;

  constructor(private readonly store: ObjectStore) {
    store.afterWrite = () => this.reconcile();
  }

  /** What the managed add-on (or the Helm chart) creates. */
  install(options: { version: string; roleArn?: string }) {
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
            containers: [{ name: 'efs-plugin', image }],
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
    claim: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) {
    const ns = claim.metadata.namespace!;
    const same = this.store
      .list(k('Event'), ns, {
        field: `involvedObject.uid=${claim.metadata.uid}`,
      })
      .find(e => e.reason === reason && e.message === message);
    if (same) return;
    this.store.create(k('Event'), ns, {
      metadata: {
        name: `${claim.metadata.name}.${randomUUID().slice(0, 8)}`,
        namespace: ns,
      },
      involvedObject: {
        kind: 'PersistentVolumeClaim',
        namespace: ns,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
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
      const roleArn = Buffer.from(
        secret.data?.awsRoleArn ?? '',
        'base64',
      ).toString();
      if (!roleArn) {
        return `${prefix}: rpc error: code = Unauthenticated desc = Access Denied. Please ensure you have the right AWS permissions: Access denied`;
      }
    }
    return undefined;
  }

  private provision(claim: KubeObject, sc: KubeObject) {
    const pvName = `pvc-${claim.metadata.uid}`;
    this.store.create(k('PersistentVolume'), undefined, {
      metadata: {
        name: pvName,
        annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER },
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
          volumeHandle: `${sc.parameters.fileSystemId}::fsap-${randomUUID()
            .replace(/-/g, '')
            .slice(0, 17)}`,
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
      if (!ref || pv.status?.phase === 'Released') continue;
      const claim = this.store.find(
        k('PersistentVolumeClaim'),
        ref.namespace,
        ref.name,
      );
      if (claim && claim.metadata.uid === ref.uid) continue;
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
