import type { Knex } from 'knex';

/**
 * Read-merge-write of a policy document several connections share (a file
 * system policy, a role's inline policy), one writer at a time per document:
 * IAM and EFS have no conditional write, so two provisioning tasks merging
 * into the same document at once would drop one's statements.
 *
 * @public
 */
export interface DocumentLock {
  run<T>(documentKey: string, work: () => Promise<T>): Promise<T>;
}

/**
 * One writer per document within this process: enough for one replica.
 *
 * @public
 */
export class InProcessDocumentLock implements DocumentLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(documentKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(documentKey) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(documentKey, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(documentKey) === tail) this.tails.delete(documentKey);
    }
  }
}

/**
 * One writer per document across every backend replica that shares the
 * database: on PostgreSQL a transaction-scoped advisory lock on the
 * document's key (no table needed), held while the document is re-read,
 * merged and written. Other databases (SQLite: one process) fall back to
 * the in-process lock.
 *
 * @public
 */
export class DatabaseDocumentLock implements DocumentLock {
  private readonly local = new InProcessDocumentLock();

  constructor(private readonly knex: Knex) {}

  run<T>(documentKey: string, work: () => Promise<T>): Promise<T> {
    const client = String(this.knex.client.config.client ?? '');
    if (!/^(pg|postgres)/.test(client))
      return this.local.run(documentKey, work);
    // Waiters queue here first, so one replica holds one connection per document.
    return this.local.run(documentKey, () =>
      this.knex.transaction(async tx => {
        await tx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
          `cross-account-efs:${documentKey}`,
        ]);
        return work();
      }),
    );
  }
}
