/**
 * The constants of the poll hint, chosen with `npm run measure:waiting` (README, "Waiting"):
 * - `remainingShare`: with a Progress, the share of the time the task likely has left;
 * - `ageShare`: with nothing else to go on, the share of the task's age;
 * - `estimateShare`: with only the processor's EstimatedSeconds, the share of the time left until it.
 */
export const POLL_HINT = { remainingShare: 0.5, ageShare: 0.25, estimateShare: 1 } as const;

/**
 * When to poll a task still in progress again, from its own record. With a Progress p (1-99)
 * reported `age` seconds after its start, the rate so far puts the rest at age x (100 - p) / p,
 * and the hint is `remainingShare` of that (half: 40% after 20 s, 30 s left, poll in 15 s).
 * Without a usable Progress (none, 0, or 100 while still processing) but with an EstimatedSeconds
 * not yet reached, it is `estimateShare` of the time until the estimate; otherwise `ageShare` of
 * the task's age, so a young task is polled often and an old one rarely. Always a whole number of
 * seconds from 1 to `ceilingSeconds`, and never past the task's next deadline.
 */
export function pollHintSeconds(args: {
  /** The task's start (Created_at), epoch milliseconds; undefined when the record has none usable. */
  startedAtMs: number | undefined;
  /** Progress, 0-100, when the record holds a valid one. */
  progress: number | undefined;
  /** The processor's EstimatedSeconds, when the record holds a valid one. */
  estimatedSeconds?: number | undefined;
  nowMs: number;
  ceilingSeconds: number;
  /** The task's next deadline, epoch seconds, if it has one. */
  deadlineSeconds?: number | undefined;
}): number {
  const { startedAtMs, progress, estimatedSeconds, nowMs, ceilingSeconds } = args;
  let hint = ceilingSeconds;
  if (startedAtMs !== undefined && Number.isFinite(startedAtMs)) {
    // A writer's clock ahead of the API's gives a negative age: treat the task as just started.
    const ageSeconds = Math.max(0, (nowMs - startedAtMs) / 1000);
    if (progress !== undefined && progress > 0 && progress < 100) {
      hint = ((ageSeconds * (100 - progress)) / progress) * POLL_HINT.remainingShare;
    } else if (estimatedSeconds !== undefined && ageSeconds < estimatedSeconds) {
      hint = (estimatedSeconds - ageSeconds) * POLL_HINT.estimateShare;
    } else {
      hint = ageSeconds * POLL_HINT.ageShare;
    }
  }
  if (args.deadlineSeconds !== undefined) hint = Math.min(hint, args.deadlineSeconds - nowMs / 1000);
  return Math.min(ceilingSeconds, Math.max(1, Math.round(hint)));
}
