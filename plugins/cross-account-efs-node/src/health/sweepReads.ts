/**
 * Identical reads made once per sweep: a file system's mount targets, a
 * VPC's route tables or a role are asked for once, however many connections
 * share them. Every caller gets the same answer (read-only, as every SDK
 * answer is) or the same error. A sweep is a snapshot.
 */
export class SweepReads {
  private readonly answers = new Map<string, Promise<unknown>>();

  read<T>(key: string, call: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = call();
      this.answers.set(key, answer);
    }
    return answer;
  }
}
