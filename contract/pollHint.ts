/**
 * When to poll a task still in progress again, from its own record: about half the time it
 * likely has left. With a Progress p (1-99) reported `age` seconds after its start, the rate so
 * far puts the rest at age x (100 - p) / p, so the hint is half that (40% after 20 s: 30 s left,
 * poll in 15 s). Without a usable Progress (none, 0, or 100 while still processing) the hint is a
 * quarter of the task's age, so a young task is polled often and an old one rarely. Always a
 * whole number of seconds from 1 to `ceilingSeconds`, and never past the task's next deadline.
 */
export function pollHintSeconds(args: {
  /** The task's start (Created_at), epoch milliseconds; undefined when the record has none usable. */
  startedAtMs: number | undefined;
  /** Progress, 0-100, when the record holds a valid one. */
  progress: number | undefined;
  nowMs: number;
  ceilingSeconds: number;
  /** The task's next deadline, epoch seconds, if it has one. */
  deadlineSeconds?: number | undefined;
}): number {
  const { startedAtMs, progress, nowMs, ceilingSeconds } = args;
  let hint = ceilingSeconds;
  if (startedAtMs !== undefined && Number.isFinite(startedAtMs)) {
    // A writer's clock ahead of the API's gives a negative age: treat the task as just started.
    const ageSeconds = Math.max(0, (nowMs - startedAtMs) / 1000);
    hint =
      progress !== undefined && progress > 0 && progress < 100
        ? (ageSeconds * (100 - progress)) / progress / 2
        : ageSeconds / 4;
  }
  if (args.deadlineSeconds !== undefined) hint = Math.min(hint, args.deadlineSeconds - nowMs / 1000);
  return Math.min(ceilingSeconds, Math.max(1, Math.round(hint)));
}
