/**
 * The constants of the poll hint, chosen with `npm run measure:waiting` (docs/performance.md) on
 * its mix of 20 tasks, as the set that keeps polls per task under the old backoff's while
 * learning a completion at most half as late:
 * - `remainingShare`: with a Progress, the share of the time the task likely has left;
 * - `ageShare`: with nothing else to go on, the share of the task's age;
 * - `estimateShare`: with only the processor's EstimatedSeconds, the share of the time left until it;
 * - `floorSeconds`: the least hint from a progress or the age, deadlines aside (a young task is not
 *   polled every second); an estimate is trusted below it, down to 1 s.
 */
export interface PollHintConstants {
  remainingShare: number;
  ageShare: number;
  estimateShare: number;
  floorSeconds: number;
}

export const POLL_HINT: PollHintConstants = { remainingShare: 1, ageShare: 0.25, estimateShare: 1, floorSeconds: 3 };

/**
 * When to poll a task still in progress again, from its own record. With a Progress p (1-99)
 * written w seconds after its start (its Updated_at; now, when that is unknown), the rate then
 * puts the rest at w x (100 - p) / p from that write; the hint is `remainingShare` of what is
 * left of it now (40% written at 20 s, polled at 25 s: 30 - 5 = 25 s left). Without a usable
 * Progress (none, 0, or 100 while still processing) but with an EstimatedSeconds not yet reached,
 * it is `estimateShare` of the time until the estimate. Otherwise (nothing to go on, or a task
 * already past what its rate promised) it is `ageShare` of the task's age, so a young task is
 * polled often and an old one rarely. Always a whole number of seconds up to `ceilingSeconds`,
 * at least `floorSeconds` unless an estimate or the task's next deadline says sooner, and never
 * under 1 s.
 */
export function pollHintSeconds(args: {
  /** The task's start (Created_at), epoch milliseconds; undefined when the record has none usable. */
  startedAtMs: number | undefined;
  /** Progress, 0-100, when the record holds a valid one. */
  progress: number | undefined;
  /** When that Progress was written (the record's Updated_at), epoch milliseconds, if known. */
  progressAtMs?: number | undefined;
  /** The processor's EstimatedSeconds, when the record holds a valid one. */
  estimatedSeconds?: number | undefined;
  nowMs: number;
  ceilingSeconds: number;
  /** The task's next deadline, epoch seconds, if it has one. */
  deadlineSeconds?: number | undefined;
  /** Other constants than the API's, for `measure:waiting` to compare candidates in one run. */
  constants?: PollHintConstants;
}): number {
  const { startedAtMs, estimatedSeconds, nowMs, ceilingSeconds } = args;
  const shares = args.constants ?? POLL_HINT;
  let hint = ceilingSeconds;
  if (startedAtMs !== undefined && Number.isFinite(startedAtMs)) {
    // A writer's clock ahead of the API's gives a negative age: treat the task as just started.
    const ageSeconds = Math.max(0, (nowMs - startedAtMs) / 1000);
    const remaining = remainingSeconds(args, ageSeconds, startedAtMs);
    if (remaining !== undefined && remaining > 0) {
      hint = Math.max(shares.floorSeconds, remaining * shares.remainingShare);
    } else if (remaining === undefined && estimatedSeconds !== undefined && ageSeconds < estimatedSeconds) {
      hint = (estimatedSeconds - ageSeconds) * shares.estimateShare;
    } else {
      hint = Math.max(shares.floorSeconds, ageSeconds * shares.ageShare);
    }
  }
  if (args.deadlineSeconds !== undefined) hint = Math.min(hint, args.deadlineSeconds - nowMs / 1000);
  return Math.min(ceilingSeconds, Math.max(1, Math.round(hint)));
}

/** The time a task reporting a usable Progress likely has left, from the rate at its last write. */
function remainingSeconds(
  args: { progress: number | undefined; progressAtMs?: number | undefined; nowMs: number },
  ageSeconds: number,
  startedAtMs: number,
): number | undefined {
  const { progress } = args;
  if (progress === undefined || progress <= 0 || progress >= 100) return undefined;
  const written =
    args.progressAtMs !== undefined && Number.isFinite(args.progressAtMs) && args.progressAtMs <= args.nowMs
      ? Math.max(0, (args.progressAtMs - startedAtMs) / 1000)
      : ageSeconds;
  return (written * (100 - progress)) / progress - (ageSeconds - written);
}
