import {
  DeleteFileSystemPolicyCommand,
  DescribeFileSystemPolicyCommand,
  PutFileSystemPolicyCommand,
} from '@aws-sdk/client-efs';
import { ConnectionSpec } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { isAwsError } from '../aws/errors';
import type { EngineContext, PlannedChange } from '../engine/types';
import {
  mergeStatements,
  parsePolicy,
  PolicyDocument,
  Statement,
  withoutStatements,
} from './policyDocument';
import { sids } from './connectionIam';
import { nothingToChange } from '../engine/runPlan';

const documentKey = (spec: ConnectionSpec) =>
  `efs-file-system-policy:${spec.fileSystem.accountId}:${spec.fileSystem.fileSystemId}`;

/** The file system's resource policy; undefined when it has none. */
export async function readFileSystemPolicy(
  ctx: EngineContext,
  spec: ConnectionSpec,
): Promise<PolicyDocument | undefined> {
  try {
    const { Policy } = await ctx.aws.efs(spec.fileSystem).send(
      new DescribeFileSystemPolicyCommand({
        FileSystemId: spec.fileSystem.fileSystemId,
      }),
    );
    return parsePolicy(Policy);
  } catch (e) {
    if (isAwsError(e, 'PolicyNotFound')) return undefined;
    throw e;
  }
}

/** Our statements merged into the file system policy; nobody else's touched. */
export function planFileSystemPolicy(
  ctx: EngineContext,
  spec: ConnectionSpec,
  current: PolicyDocument | undefined,
  ours: Statement[],
): { changes: PlannedChange[]; apply: () => Promise<void> } {
  const merged = mergeStatements(
    current ?? { Version: '2012-10-17', Statement: [] },
    ours,
  );
  if (merged.changedSids.length === 0) return nothingToChange();
  const summary = current
    ? `Set statements ${merged.changedSids.join(', ')}; keep the ${
        current.Statement.filter(s => !ours.some(o => o.Sid === s.Sid)).length
      } other statement(s)`
    : `Create the policy with ${merged.changedSids.join(
        ', ',
      )}. The file system had none (any client in reach could mount it); from now on IAM-authenticated clients need a statement that allows them`;
  return {
    changes: [
      {
        layer: 'iam',
        accountId: spec.fileSystem.accountId,
        action: current ? 'update' : 'create',
        resource: 'efs-file-system-policy',
        summary,
      },
    ],
    apply: async () => {
      await ctx.checkpoint(
        `iam:file-system-policy:${
          spec.fileSystem.fileSystemId
        }:${merged.changedSids.join(',')}`,
        () =>
          ctx.documentLock.run(documentKey(spec), async () => {
            // Merge again into what is there now: someone may have edited it since.
            const now = await readFileSystemPolicy(ctx, spec);
            const { document } = mergeStatements(
              now ?? { Version: '2012-10-17', Statement: [] },
              ours,
            );
            await ctx.aws.efs(spec.fileSystem).send(
              new PutFileSystemPolicyCommand({
                FileSystemId: spec.fileSystem.fileSystemId,
                Policy: JSON.stringify(document),
              }),
            );
          }),
      );
    },
  };
}

/**
 * Takes out this cluster's statement; the TLS statement goes with the last
 * cluster of ours, and the policy with it when nothing else is left.
 */
export function planFileSystemPolicyRemoval(
  ctx: EngineContext,
  spec: ConnectionSpec,
  current: PolicyDocument | undefined,
): { changes: PlannedChange[]; apply: () => Promise<void> } {
  const names = sids(spec);
  const without = (policy: PolicyDocument) => {
    const next = withoutStatements(policy, [names.mount]);
    const otherClustersOfOurs = next.Statement.some(s =>
      s.Sid?.startsWith('CrossAccountEfsMount'),
    );
    return otherClustersOfOurs
      ? next
      : withoutStatements(next, [names.secureTransport]);
  };
  const next = current && without(current);
  if (!current || next!.Statement.length === current.Statement.length) {
    return nothingToChange();
  }
  const fileSystemId = spec.fileSystem.fileSystemId;
  return {
    changes: [
      {
        layer: 'iam',
        accountId: spec.fileSystem.accountId,
        action: next!.Statement.length ? 'update' : 'delete',
        resource: 'efs-file-system-policy',
        summary: `Remove statement(s) ${current.Statement.filter(
          s => !next!.Statement.includes(s),
        )
          .map(s => s.Sid)
          .join(', ')}`,
      },
    ],
    apply: async () => {
      await ctx.checkpoint(
        `iam:file-system-policy:remove:${fileSystemId}:${names.mount}`,
        () =>
          ctx.documentLock.run(documentKey(spec), async () => {
            // Take ours out of what is there now: someone may have edited it since.
            const now = await readFileSystemPolicy(ctx, spec);
            if (!now) return;
            const left = without(now);
            const efs = ctx.aws.efs(spec.fileSystem);
            if (left.Statement.length === 0) {
              await efs.send(
                new DeleteFileSystemPolicyCommand({
                  FileSystemId: fileSystemId,
                }),
              );
            } else {
              await efs.send(
                new PutFileSystemPolicyCommand({
                  FileSystemId: fileSystemId,
                  Policy: JSON.stringify(left),
                }),
              );
            }
          }),
      );
    },
  };
}
