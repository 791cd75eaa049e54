import type { KubeObject, ResourceKind } from './resources';

type Column = [name: string, cell: (o: KubeObject) => unknown];

/** "5s", "3m", "2h", "4d": the AGE kubectl shows. */
function age(o: KubeObject, now = Date.now()): string {
  const seconds = Math.max(
    0,
    Math.floor((now - Date.parse(o.metadata.creationTimestamp ?? '')) / 1000),
  );
  if (!Number.isFinite(seconds)) return '<unknown>';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

const accessModes = (modes?: string[]) =>
  (modes ?? [])
    .map(
      m =>
        ({ ReadWriteMany: 'RWX', ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX' }[
          m
        ] ?? m),
    )
    .join(',');

/** The columns the API server prints for each kind (`kubectl get`), as its table convertors do. */
const COLUMNS: Record<string, Column[]> = {
  StorageClass: [
    ['Provisioner', o => o.provisioner],
    ['ReclaimPolicy', o => o.reclaimPolicy ?? 'Delete'],
    ['VolumeBindingMode', o => o.volumeBindingMode ?? 'Immediate'],
    ['AllowVolumeExpansion', o => String(o.allowVolumeExpansion ?? false)],
  ],
  PersistentVolumeClaim: [
    ['Status', o => o.status?.phase ?? 'Pending'],
    ['Volume', o => o.spec?.volumeName ?? ''],
    ['Capacity', o => o.status?.capacity?.storage ?? ''],
    ['Access Modes', o => accessModes(o.status?.accessModes)],
    ['StorageClass', o => o.spec?.storageClassName ?? ''],
  ],
  PersistentVolume: [
    ['Capacity', o => o.spec?.capacity?.storage ?? ''],
    ['Access Modes', o => accessModes(o.spec?.accessModes)],
    ['Reclaim Policy', o => o.spec?.persistentVolumeReclaimPolicy ?? ''],
    ['Status', o => o.status?.phase ?? ''],
    [
      'Claim',
      o =>
        o.spec?.claimRef
          ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}`
          : '',
    ],
    ['StorageClass', o => o.spec?.storageClassName ?? ''],
  ],
  Pod: [
    [
      'Ready',
      o => {
        const statuses: any[] = o.status?.containerStatuses ?? [];
        const total = o.spec?.containers?.length ?? statuses.length;
        return `${statuses.filter(s => s.ready).length}/${total}`;
      },
    ],
    ['Status', o => o.status?.phase ?? 'Pending'],
  ],
  CSIDriver: [['AttachRequired', o => String(o.spec?.attachRequired ?? true)]],
};

/** Whether a client asked for the server's printed table, as kubectl get does. */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** A `meta.k8s.io/v1` Table of objects: NAME, the kind's columns, AGE. */
export function asTable(kind: ResourceKind, objects: KubeObject[]) {
  const columns: Column[] = [
    ['Name', o => o.metadata.name],
    ...(COLUMNS[kind.kind] ?? []),
    ['Age', o => age(o)],
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '' },
    columnDefinitions: columns.map(([name], i) => ({
      name,
      type: 'string',
      format: i === 0 ? 'name' : '',
      description: '',
      priority: 0,
    })),
    rows: objects.map(o => ({
      cells: columns.map(([, cell]) => cell(o)),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      },
    })),
  };
}
