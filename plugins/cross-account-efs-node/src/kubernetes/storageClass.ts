import type { V1StorageClass } from '@kubernetes/client-node';
import {
  CSI_DRIVER,
  GidRange,
  rejectsCrossAccountMountOption,
  TAG_MANAGED_BY_VALUE,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

export interface StorageClassOptions {
  name: string;
  fileSystemId: string;
  directoryPerms: string;
  gidRange?: GidRange;
  basePath?: string;
  reclaimPolicy?: 'Delete' | 'Retain';
}

export const MANAGED_LABEL = 'app.kubernetes.io/managed-by';

/**
 * The StorageClass for the installed driver. Cross-account goes in the
 * secret (role, `crossaccount`, external id), never in mountOptions: v3+
 * refuses it there. `iam` makes mounts authenticate as the node's role;
 * v3+ adds `tls` itself (encryptInTransit), older drivers are told. No `az`
 * parameter: it names AZs as the EFS account sees them, which differ.
 */
export function storageClassFor(
  driverVersion: string,
  o: StorageClassOptions,
): V1StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: o.name,
      labels: { [MANAGED_LABEL]: TAG_MANAGED_BY_VALUE },
    },
    provisioner: CSI_DRIVER.provisioner,
    mountOptions: rejectsCrossAccountMountOption(driverVersion)
      ? ['iam']
      : ['tls', 'iam'],
    parameters: {
      provisioningMode: 'efs-ap',
      fileSystemId: o.fileSystemId,
      directoryPerms: o.directoryPerms,
      ...(o.gidRange
        ? {
            gidRangeStart: String(o.gidRange.start),
            gidRangeEnd: String(o.gidRange.end),
          }
        : {}),
      ...(o.basePath ? { basePath: o.basePath } : {}),
      'csi.storage.k8s.io/provisioner-secret-name': CSI_DRIVER.secretName,
      'csi.storage.k8s.io/provisioner-secret-namespace': CSI_DRIVER.namespace,
    },
    reclaimPolicy: o.reclaimPolicy ?? 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

/** Field-by-field differences that matter (all immutable on the API server). */
export function diffStorageClass(
  existing: V1StorageClass,
  wanted: V1StorageClass,
): string[] {
  const diffs: string[] = [];
  const show = (v: unknown) =>
    v === undefined ? '(unset)' : JSON.stringify(v);
  if (existing.provisioner !== wanted.provisioner) {
    diffs.push(
      `provisioner: ${show(existing.provisioner)} -> ${show(
        wanted.provisioner,
      )}`,
    );
  }
  const keys = new Set([
    ...Object.keys(existing.parameters ?? {}),
    ...Object.keys(wanted.parameters ?? {}),
  ]);
  for (const key of [...keys].sort()) {
    const a = existing.parameters?.[key];
    const b = wanted.parameters?.[key];
    if (a !== b) diffs.push(`parameters.${key}: ${show(a)} -> ${show(b)}`);
  }
  const sorted = (l?: string[]) => [...(l ?? [])].sort();
  if (
    JSON.stringify(sorted(existing.mountOptions)) !==
    JSON.stringify(sorted(wanted.mountOptions))
  ) {
    diffs.push(
      `mountOptions: ${show(existing.mountOptions)} -> ${show(
        wanted.mountOptions,
      )}`,
    );
  }
  if ((existing.reclaimPolicy ?? 'Delete') !== wanted.reclaimPolicy) {
    diffs.push(
      `reclaimPolicy: ${show(existing.reclaimPolicy)} -> ${show(
        wanted.reclaimPolicy,
      )}`,
    );
  }
  if (
    (existing.volumeBindingMode ?? 'Immediate') !== wanted.volumeBindingMode
  ) {
    diffs.push(
      `volumeBindingMode: ${show(existing.volumeBindingMode)} -> ${show(
        wanted.volumeBindingMode,
      )}`,
    );
  }
  return diffs;
}

/** What is wrong with a class for this driver version, as DOMAIN.md lists it. */
export function storageClassProblems(
  driverVersion: string,
  sc: V1StorageClass,
): string[] {
  const problems: string[] = [];
  if (
    rejectsCrossAccountMountOption(driverVersion) &&
    sc.mountOptions?.includes('crossaccount')
  ) {
    problems.push(
      `mountOptions has 'crossaccount', which driver ${driverVersion} refuses ("mount option 'crossaccount' cannot be set manually"): PVCs stay Pending`,
    );
  }
  if (!sc.mountOptions?.includes('iam')) {
    problems.push(
      "mountOptions lacks 'iam': mounts would not authenticate as the node's role, which the file system policy allows",
    );
  }
  if (
    sc.parameters?.['csi.storage.k8s.io/provisioner-secret-name'] !==
    CSI_DRIVER.secretName
  ) {
    problems.push(
      `parameters.csi.storage.k8s.io/provisioner-secret-name is not ${CSI_DRIVER.secretName}: the controller would not assume the EFS-account role`,
    );
  }
  if (sc.parameters?.az) {
    problems.push(
      'parameters.az is set: AZ names differ between accounts, so it can pick a mount target in another physical AZ',
    );
  }
  if (sc.parameters?.enforceZoneAffinity) {
    problems.push(
      "parameters.enforceZoneAffinity is set: it matches the node's AZ name to the EFS account's, which name other physical AZs, so pods can be held to the wrong zone",
    );
  }
  return problems;
}
