import type { CheckResult } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  PlannedChange,
  Topology,
} from '../../engine/types';
import { createIdempotent, readOptional } from '../../kubernetes/kubeErrors';
import {
  diffStorageClass,
  storageClassFor,
  storageClassProblems,
} from '../../kubernetes/storageClass';
import {
  change,
  keyOf,
  KubernetesState,
  ResourcePlan,
  usingVolumes,
} from './read';

/** Seed step 11: the StorageClass, written for the driver version that runs it. */

export async function planStorageClass(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
  o: LayerOptions,
  version: string | undefined,
): Promise<ResourcePlan> {
  const name = s.storageClassName;
  const wanted = storageClassFor(version ?? '3.0.0', {
    name,
    fileSystemId: t.spec.fileSystem.fileSystemId,
    directoryPerms: o.directoryPerms ?? '700',
    gidRange: o.gidRange,
    basePath: o.basePath,
    reclaimPolicy: o.reclaimPolicy,
  });
  const changes: PlannedChange[] = [];
  const blockers: Blocker[] = [];
  let write: 'create' | 'replace' | undefined;
  if (!s.storageClass) {
    write = 'create';
    changes.push(
      change(
        t,
        'create',
        'storage-class',
        `${name} for driver ${
          version ?? '(to be installed)'
        }: mountOptions ${wanted.mountOptions!.join(', ')}; ${Object.entries(
          wanted.parameters!,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      ),
    );
  } else {
    const diffs = diffStorageClass(s.storageClass, wanted);
    if (diffs.length) {
      const volumes = await usingVolumes(s);
      if (o.replaceStorageClass && volumes.length === 0) {
        write = 'replace';
        changes.push(
          change(
            t,
            'update',
            'storage-class',
            `Replace ${name} (delete, create; no volume uses it): ${diffs.join(
              '; ',
            )}`,
          ),
        );
      } else {
        blockers.push({
          layer: 'kubernetes',
          summary: `StorageClass ${name} exists and differs (${diffs.join(
            '; ',
          )}); StorageClass parameters cannot be changed in place. ${
            volumes.length
          } PersistentVolume(s) use it${
            volumes.length ? `: ${volumes.slice(0, 5).join(', ')}` : ''
          }.`,
          remedy: volumes.length
            ? 'Choose another storageClassName for this connection; the existing class keeps serving its volumes.'
            : 'Choose another storageClassName, or set replaceStorageClass: true to delete and re-create it (no volume uses it).',
        });
      }
    }
  }
  return {
    changes,
    blockers,
    apply: async () => {
      if (write === 'replace') {
        await ctx.checkpoint(
          `${keyOf(t)}:storage-class:delete:${name}`,
          async () => {
            await readOptional(() =>
              s.k8s.storage.deleteStorageClass({ name }),
            );
          },
        );
      }
      if (write) {
        await ctx.checkpoint(`${keyOf(t)}:storage-class:create:${name}`, () =>
          createIdempotent(() =>
            s.k8s.storage.createStorageClass({ body: wanted }),
          ),
        );
      }
    },
  };
}

export function checkStorageClass(
  t: Topology,
  s: KubernetesState,
): CheckResult {
  const name = s.storageClassName;
  const id = `kubernetes:storage-class:${name}`;
  const sc = s.storageClass;
  if (!sc) {
    return checkResult('kubernetes', id, 'error', {
      summary: `StorageClass ${name} is missing.`,
      remedy: 'Re-run provisioning: it creates the StorageClass.',
    });
  }
  const problems = storageClassProblems(s.installed ?? '3.0.0', sc);
  if (sc.parameters?.fileSystemId !== t.spec.fileSystem.fileSystemId)
    problems.push(
      `parameters.fileSystemId is ${sc.parameters?.fileSystemId}, not ${t.spec.fileSystem.fileSystemId}`,
    );
  return problems.length
    ? checkResult('kubernetes', id, 'error', {
        summary: `StorageClass ${name}: ${problems.join('; ')}.`,
        remedy: `StorageClass parameters are immutable: delete the class when no volume uses it and re-run provisioning (or use replaceStorageClass), or provision under another storageClassName.`,
        evidence: {
          driverVersion: s.installed,
          mountOptions: sc.mountOptions,
        },
      })
    : checkResult('kubernetes', id, 'ok', {
        summary: `StorageClass ${name} fits driver ${s.installed}.`,
        evidence: { driverVersion: s.installed },
      });
}

/** Refused, removing nothing, while a workload's volume uses the class. */
export async function planStorageClassRemoval(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
): Promise<ResourcePlan> {
  const name = s.storageClassName;
  const others = await usingVolumes(s, s.claimNamespace);
  const blockers: Blocker[] = others.length
    ? [
        {
          layer: 'kubernetes',
          summary: `StorageClass ${name} still has ${
            others.length
          } PersistentVolume(s) or claim(s) (${others
            .slice(0, 5)
            .join(', ')}).`,
          remedy:
            'Move or delete the workloads and their claims first, then remove the connection; nothing was removed.',
        },
      ]
    : [];
  if (!s.storageClass) return { changes: [], blockers, apply: async () => {} };
  return {
    changes: [change(t, 'delete', 'storage-class', name)],
    blockers,
    apply: async () => {
      await ctx.checkpoint(
        `${keyOf(t)}:remove:storage-class:${name}`,
        async () => {
          await readOptional(() => s.k8s.storage.deleteStorageClass({ name }));
        },
      );
    },
  };
}
