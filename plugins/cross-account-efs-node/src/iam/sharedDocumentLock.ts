/**
 * Read-merge-write of a policy document several connections share (a file
 * system policy, a role's inline policy) one at a time per document in this
 * process: IAM and EFS have no conditional write, so two provisioning tasks
 * merging into the same document at once would drop one's statements.
 * Across backend replicas the window stays (each write re-reads first, and
 * the health check reports a missing statement, which a re-run restores).
 */
const tails = new Map<string, Promise<unknown>>();

export async function withSharedDocumentLock<T>(
  documentKey: string,
  work: () => Promise<T>,
): Promise<T> {
  const previous = tails.get(documentKey) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(documentKey, tail);
  try {
    return await run;
  } finally {
    if (tails.get(documentKey) === tail) tails.delete(documentKey);
  }
}
