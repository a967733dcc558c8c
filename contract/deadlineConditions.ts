/**
 * The deadline rule of deadlines.ts as DynamoDB condition expressions, for the writers that must
 * have the table judge it: the kit (no write to a task past a deadline) and the sweeper (fail a
 * task past the deadline that names its failure). Built from the same definitions as
 * deadlineFailure, and held to the same answers on DynamoDB Local by a table of cases
 * (tests/contract/deadlineConditions.test.ts).
 */
import { DEADLINES, type DeadlineKind, NAMES_A_TIE } from "./deadlines.js";

/**
 * The placeholders of `placeholders` that `expression` uses: DynamoDB refuses names and values
 * an expression does not use, so a writer that shares one set of placeholders passes only these.
 */
export function usedIn<T>(placeholders: Readonly<Record<string, T>>, expression: string): Record<string, T> {
  return Object.fromEntries(
    Object.entries(placeholders).filter(([name]) => new RegExp(`${name}(?![A-Za-z0-9_])`).test(expression)),
  );
}

/** The placeholder of each deadline's period and instant, as every expression below names them. */
export const DEADLINE_PLACEHOLDERS: Readonly<Record<DeadlineKind, { seconds: string; deadline: string }>> = {
  heartbeat: { seconds: "#hbs", deadline: "#hbd" },
  timeout: { seconds: "#tos", deadline: "#tod" },
};

/** ExpressionAttributeNames for those placeholders. */
export const DEADLINE_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  (Object.keys(DEADLINES) as DeadlineKind[]).flatMap((kind) => [
    [DEADLINE_PLACEHOLDERS[kind].seconds, DEADLINES[kind].secondsAttribute],
    [DEADLINE_PLACEHOLDERS[kind].deadline, DEADLINES[kind].deadlineAttribute],
  ]),
);

/**
 * No deadline of the record has passed by `:nowSeconds`: a deadline counts only beside its
 * period (as deadlineOf reads it), and has passed at its instant (deadlineFailure with no grace).
 */
export const NO_DEADLINE_PASSED = (Object.keys(DEADLINES) as DeadlineKind[])
  .map((kind) => {
    const { seconds, deadline } = DEADLINE_PLACEHOLDERS[kind];
    return `(attribute_not_exists(${seconds}) OR ${deadline} > :nowSeconds)`;
  })
  .join(" AND ");

/**
 * A task the sweeper found due under `kind`'s index still names its failure by that deadline:
 * the deadline is still `:seen` (no report moved it) and the other one is later, or the same
 * instant when `kind` names a tie.
 */
export function namesTheFailure(kind: DeadlineKind): string {
  const other: DeadlineKind = kind === "heartbeat" ? "timeout" : "heartbeat";
  const { seconds, deadline } = DEADLINE_PLACEHOLDERS[other];
  const later = kind === NAMES_A_TIE ? ">=" : ">";
  return `${DEADLINE_PLACEHOLDERS[kind].deadline} = :seen AND (attribute_not_exists(${seconds}) OR ${deadline} ${later} :seen)`;
}
