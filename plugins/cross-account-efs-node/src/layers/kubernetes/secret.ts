import type { V1PersistentVolume, V1Secret } from '@kubernetes/client-node';
import {
  CheckResult,
  CSI_DRIVER,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { checkResult } from '../../engine/checkResult';
import type {
  Blocker,
  EngineContext,
  LayerOptions,
  Topology,
} from '../../engine/types';
import { waitUntil } from '../../engine/waitUntil';
import { createIdempotent, readOptional } from '../../kubernetes/kubeErrors';
import {
  b64,
  change,
  keyOf,
  KubernetesState,
  managedLabels,
  ResourcePlan,
  unb64,
} from './read';
import { nothingToChange } from '../../engine/runPlan';
import { deletionSecretOf, isTestVolume, X_ACCOUNT_SECRET } from './volumes';

/** Seed step 10.6: the `x-account` secret the driver reads (role, crossaccount, external id). */

const NAME = `${CSI_DRIVER.namespace}/${CSI_DRIVER.secretName}`;
const accountOf = (arn?: string) =>
  /^arn:[\w-]+:iam::(\d{12}):/.exec(arn ?? '')?.[1];

function secretFor(roleArn: string, externalId: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: CSI_DRIVER.secretName,
      namespace: CSI_DRIVER.namespace,
      labels: managedLabels,
    },
    type: 'Opaque',
    data: {
      awsRoleArn: b64(roleArn),
      crossaccount: b64('true'),
      externalId: b64(externalId),
    },
  };
}

export function planSecret(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
): ResourcePlan {
  const { secret, externalId, efsAccessRoleArn: roleArn } = s;
  const blockers: Blocker[] = [];
  const currentRole = unb64(secret?.data?.awsRoleArn);
  let write: 'create' | 'update' | undefined;
  if (!secret) write = 'create';
  else if (
    currentRole &&
    currentRole !== roleArn &&
    accountOf(currentRole) !== t.fileSystem.accountId
  ) {
    blockers.push({
      layer: 'kubernetes',
      summary: `${NAME} already points at ${currentRole}, in another EFS account. The driver reads that one secret, so a cluster mounts from one EFS account.`,
      remedy:
        'Serve this cluster from the same EFS account, or remove the other connection first.',
    });
  } else if (
    currentRole !== roleArn ||
    unb64(secret.data?.crossaccount) !== 'true' ||
    (externalId !== undefined && unb64(secret.data?.externalId) !== externalId)
  ) {
    write = 'update';
  }
  const changes = write
    ? [
        change(
          t,
          write,
          'kubernetes-secret',
          `${NAME}: awsRoleArn ${roleArn}, crossaccount true, externalId (from the role's trust, not shown)`,
        ),
      ]
    : [];
  return {
    changes,
    blockers,
    apply: async () => {
      if (!write) return;
      if (!externalId) {
        throw new Error(
          `${roleArn} has no trust statement for this cluster with an external id. Run cross-account-efs:iam first.`,
        );
      }
      const body = secretFor(roleArn, externalId);
      if (write === 'create') {
        await ctx.checkpoint(`${keyOf(t)}:secret:create`, () =>
          createIdempotent(() =>
            s.k8s.core.createNamespacedSecret({
              namespace: CSI_DRIVER.namespace,
              body,
            }),
          ),
        );
        return;
      }
      await ctx.checkpoint(`${keyOf(t)}:secret:update:${roleArn}`, async () => {
        await s.k8s.core.replaceNamespacedSecret({
          name: CSI_DRIVER.secretName,
          namespace: CSI_DRIVER.namespace,
          body: {
            ...body,
            metadata: {
              ...body.metadata,
              resourceVersion: secret!.metadata?.resourceVersion,
            },
          },
        });
      });
    },
  };
}

export function checkSecret(s: KubernetesState): CheckResult {
  const { secret, externalId, efsAccessRoleArn: roleArn } = s;
  const id = `kubernetes:secret:${NAME}`;
  const remedy = 'Re-run provisioning: it rewrites the secret.';
  if (!secret) {
    return checkResult('kubernetes', id, 'error', {
      summary: `Secret ${NAME} is missing: the controller cannot assume the EFS-account role; new claims stay Pending.`,
      remedy,
    });
  }
  const problems = [
    unb64(secret.data?.awsRoleArn) !== roleArn &&
      `awsRoleArn is ${
        unb64(secret.data?.awsRoleArn) ?? '(missing)'
      }, not ${roleArn}`,
    unb64(secret.data?.crossaccount) !== 'true' && 'crossaccount is not "true"',
    externalId !== undefined &&
      unb64(secret.data?.externalId) !== externalId &&
      "externalId does not match the role's trust",
  ].filter(Boolean);
  return problems.length
    ? checkResult('kubernetes', id, 'error', {
        summary: `Secret ${CSI_DRIVER.secretName}: ${problems.join('; ')}.`,
        remedy,
      })
    : checkResult('kubernetes', id, 'ok', {
        summary: `Secret ${CSI_DRIVER.secretName} names ${roleArn}, crossaccount, and the role's external id.`,
      });
}

/**
 * The secret goes with the last StorageClass that uses it, and only after
 * every volume whose deletion needs it is gone: the test claim's volume is
 * waited for (the driver deletes its access point with the secret's role);
 * any other volume still naming it refuses the removal, as deleting the
 * secret would leave that volume's access point behind.
 */
export async function planSecretRemoval(
  ctx: EngineContext,
  t: Topology,
  s: KubernetesState,
  o: LayerOptions,
): Promise<ResourcePlan> {
  const { items } = await s.k8s.storage.listStorageClass();
  const stillUsed = items.some(
    sc =>
      sc.metadata?.name !== s.storageClassName &&
      sc.parameters?.['csi.storage.k8s.io/provisioner-secret-name'] ===
        CSI_DRIVER.secretName,
  );
  if (!s.secret || stillUsed) {
    return nothingToChange();
  }
  const needing = (pv: V1PersistentVolume) =>
    deletionSecretOf(pv) === X_ACCOUNT_SECRET &&
    pv.spec?.persistentVolumeReclaimPolicy !== 'Retain';
  const others = s.volumes.filter(
    pv =>
      needing(pv) &&
      !isTestVolume(pv, s.claimNamespace) &&
      // The class's own volumes already refuse its removal.
      pv.spec?.storageClassName !== s.storageClassName,
  );
  const blockers: Blocker[] = others.length
    ? [
        {
          layer: 'kubernetes',
          summary: `PersistentVolume(s) ${others
            .map(pv => pv.metadata?.name)
            .join(
              ', ',
            )} still name ${NAME} as their deletion secret; without it their access points would stay in the EFS account when they are deleted.`,
          remedy: `Delete those volumes' claims first (the driver deletes their access points), or set their reclaimPolicy to Retain, then remove again.`,
        },
      ]
    : [];
  return {
    changes: [change(t, 'delete', 'kubernetes-secret', NAME)],
    blockers,
    apply: async () => {
      await waitUntil(
        {
          maxWaitSeconds: o.maxWaitSeconds ?? 300,
          minDelaySeconds: o.minPollSeconds ?? 1,
        },
        async () => {
          const { items: volumes } = await s.k8s.core.listPersistentVolume();
          const left = volumes.filter(
            pv => needing(pv) && isTestVolume(pv, s.claimNamespace),
          );
          return left.length
            ? {
                state: 'pending',
                reason: `${left.map(pv => pv.metadata?.name).join(', ')} (${
                  left[0].status?.phase
                })`,
              }
            : { state: 'done', value: undefined };
        },
        (_outcome, last) =>
          `The test claim's volume is still there, and the driver needs ${NAME} to delete its access point: ${last}. Check the driver's logs, then re-run the removal.`,
      );
      await ctx.checkpoint(`${keyOf(t)}:remove:secret`, async () => {
        await readOptional(() =>
          s.k8s.core.deleteNamespacedSecret({
            name: CSI_DRIVER.secretName,
            namespace: CSI_DRIVER.namespace,
          }),
        );
      });
    },
  };
}
