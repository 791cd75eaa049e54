import { deepFreeze } from '../deepFreeze';

/**
 * Answers identical reads once for the life of one sweep: a file system's
 * mount targets, a VPC's route tables or a cluster's add-on are asked for
 * once, however many connections share them. Every caller gets the same
 * answer: the same deep-frozen output (read-only, so it is shared rather
 * than copied), or the same error. A sweep is a snapshot: an add-on that
 * was not there for one connection was not there for the others either.
 */
export class ReadCache {
  private readonly entries = new Map<string, Promise<any>>();

  read<T>(key: string, call: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = call().then(deepFreeze);
      this.entries.set(key, entry);
    }
    return entry;
  }
}
