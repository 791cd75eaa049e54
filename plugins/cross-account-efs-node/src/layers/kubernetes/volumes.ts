import type { V1PersistentVolume } from '@kubernetes/client-node';
import {
  CheckResult,
  CSI_DRIVER,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import { readOptional } from '../../kubernetes/kubeErrors';
import { TEST_CLAIM, type KubernetesState } from './read';

/** Where external-provisioner records the secret DeleteVolume will use. */
const DELETION_SECRET_NAME =
  'volume.kubernetes.io/provisioner-deletion-secret-name';
const DELETION_SECRET_NAMESPACE =
  'volume.kubernetes.io/provisioner-deletion-secret-namespace';

/** The secret a volume's deletion needs (namespace/name), if it names one. */
export function deletionSecretOf(pv: V1PersistentVolume): string | undefined {
  const a = pv.metadata?.annotations ?? {};
  return a[DELETION_SECRET_NAME]
    ? `${a[DELETION_SECRET_NAMESPACE] ?? 'default'}/${a[DELETION_SECRET_NAME]}`
    : undefined;
}

export const X_ACCOUNT_SECRET = `${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName}`;

/** Whether a volume is the connection's own test claim's. */
export const isTestVolume = (pv: V1PersistentVolume, claimNamespace: string) =>
  pv.spec?.claimRef?.name === TEST_CLAIM &&
  pv.spec?.claimRef?.namespace === claimNamespace;

/**
 * The class's volumes whose deletion secret is gone: with reclaimPolicy
 * Delete the driver then cannot delete their access points, which stay in
 * the EFS account (and the volume stays Released).
 */
export async function checkVolumes(s: KubernetesState): Promise<CheckResult> {
  const id = `kubernetes:volumes:${s.storageClassName}`;
  const ofClass = s.volumes.filter(
    pv =>
      pv.spec?.storageClassName === s.storageClassName &&
      pv.spec?.csi?.driver === CSI_DRIVER.provisioner,
  );
  const deleting = ofClass
    .filter(pv => pv.spec?.persistentVolumeReclaimPolicy !== 'Retain')
    .map(pv => ({ pv, secret: deletionSecretOf(pv) }));
  const gone = new Set<string>();
  for (const secret of new Set(deleting.map(d => d.secret))) {
    if (!secret) continue;
    const [namespace, name] = secret.split('/');
    const exists =
      secret === X_ACCOUNT_SECRET
        ? s.secret !== undefined
        : !!(await readOptional(() =>
            s.k8s.core.readNamespacedSecret({ name, namespace }),
          ));
    if (!exists) gone.add(secret);
  }
  const orphaned = deleting.filter(d => d.secret && gone.has(d.secret));
  if (orphaned.length) {
    const names = orphaned.map(o => `${o.pv.metadata?.name} (${o.secret})`);
    return checkResult('kubernetes', id, 'warning', {
      summary: `${orphaned.length} PersistentVolume(s) of ${
        s.storageClassName
      } name a deletion secret that is gone: ${names.join(
        ', ',
      )}. When they are deleted the driver cannot delete their access points, which then stay in the EFS account.`,
      remedy: `Re-create each secret as it was (for ${X_ACCOUNT_SECRET}, re-run provisioning) before deleting those volumes, or delete their access points in the EFS account afterwards.`,
      evidence: { volumes: names },
    });
  }
  return checkResult('kubernetes', id, 'ok', {
    summary: `${ofClass.length} PersistentVolume(s) of ${s.storageClassName}; each can be deleted with its access point.`,
  });
}
