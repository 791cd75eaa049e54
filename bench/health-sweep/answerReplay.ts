import type { ClientMiddleware } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';

/**
 * AWS answers, recorded from the emulator once, then served again after a
 * fixed latency without reaching it. The emulator is one Python process
 * that serves about one call per 7 ms, one at a time, so a sweep of a few
 * hundred calls measures mostly the emulator. Replayed, what is left is the
 * sweep's own shape (chains of dependent calls, the per-account bound, this
 * process's work) at an AWS-like latency, as the critical path is
 * defined: longest chain of dependent calls x latency.
 */
export class AnswerReplay {
  private readonly answers = new Map<string, unknown>();
  /** Calls replay could not answer (not recorded): they went to the emulator. */
  missed = 0;
  private timeline?: {
    t0: number;
    calls: { where: string; command: string; start: number; end: number }[];
  };

  private static key(target: object, command: string, input: unknown) {
    return `${JSON.stringify(target)}/${command}/${JSON.stringify(input)}`;
  }

  /** Records every answer, output or error. */
  readonly recorder: ClientMiddleware = target => ({
    applyToStack: stack =>
      stack.add(
        (next, context) => async args => {
          const key = AnswerReplay.key(
            target,
            String(context.commandName),
            (args as any).input,
          );
          try {
            const result = await next(args);
            this.answers.set(key, { output: result.output });
            return result;
          } catch (error) {
            // Errors are answers too (an add-on not installed, a missing zone).
            this.answers.set(key, { error });
            throw error;
          }
        },
        // Where the replayer answers, so both see the same input.
        { step: 'finalizeRequest', priority: 'low', name: 'answerRecorder' },
      ),
  });

  /** Calls AWS's side answered Throttling (its token bucket was empty). */
  throttled = 0;

  /**
   * Answers from the recording after a latency drawn from `latency` (ms);
   * anything else goes through. Inside the SDK's retry (finalizeRequest, low priority), so
   * a Throttling answer from `aws` (AWS's own bucket) is retried by the SDK,
   * as a real one would be.
   */
  replayer(
    latency: { min: number; max: number },
    aws?: (target: { service: string; accountId: string }) => boolean,
  ): ClientMiddleware {
    return target => ({
      applyToStack: stack =>
        stack.add(
          (next, context) => async args => {
            const started = performance.now();
            const latencyMs =
              latency.min + Math.random() * (latency.max - latency.min);
            await new Promise(r => setTimeout(r, latencyMs));
            if (aws && !aws(target)) {
              this.throttled++;
              throw Object.assign(new Error('Rate exceeded'), {
                name: 'Throttling',
                $metadata: { httpStatusCode: 400 },
              });
            }
            this.timeline?.calls.push({
              where: `${target.service} in ${target.accountId}`,
              command: String(context.commandName).replace(/Command$/, ''),
              start: started - this.timeline.t0,
              end: performance.now() - this.timeline.t0,
            });
            const key = AnswerReplay.key(
              target,
              String(context.commandName),
              (args as any).input,
            );
            if (!this.answers.has(key)) {
              this.missed++;
              return next(args);
            }
            const answer = this.answers.get(key) as {
              output?: unknown;
              error?: unknown;
            };
            if (answer.error) throw answer.error;
            return {
              output: structuredClone(answer.output) as any,
              response: {},
            };
          },
          { step: 'finalizeRequest', priority: 'low', name: 'answerReplayer' },
        ),
    });
  }

  /** Records when each replayed call from now on held its slot, and when it was answered. */
  startTimeline() {
    this.timeline = { t0: performance.now(), calls: [] };
  }

  /** The recorded calls of the `top` busiest service-and-accounts, a line each. */
  timelineByAccount(top: number): string[] {
    const byWhere = new Map<string, string[]>();
    for (const c of this.timeline?.calls ?? []) {
      if (!byWhere.has(c.where)) byWhere.set(c.where, []);
      byWhere
        .get(c.where)!
        .push(`${c.command} ${Math.round(c.start)}-${Math.round(c.end)}`);
    }
    return [...byWhere.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .slice(0, top)
      .map(
        ([where, calls]) =>
          `${where}, ${
            calls.length
          } calls (ms from the sweep's start): ${calls.join(', ')}`,
      );
  }
}
