/**
 * Lambda entry for the deadline sweeper, run on a schedule: fails the tasks past their deadline
 * (sweepDeadlines) within the invocation's time, and leaves the rest to the next run. The
 * environment is read once, at cold start.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEADLINE_GRACE_SECONDS, isWithin } from "@task-api/contract";
import type { Context } from "aws-lambda";
import { type SweepReport, sweepDeadlines } from "./sweepDeadlines";

/** Time kept back from the invocation for the page in flight and the log line. */
const STOP_MARGIN_MS = 1500;

/** The sweeper's environment is unusable; thrown at cold start, so every run fails and the Errors alarm fires. */
export class SweeperConfigError extends Error {
  constructor(problem: string) {
    super(`Invalid configuration: ${problem}`);
    this.name = "SweeperConfigError";
  }
}

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new SweeperConfigError(`${name} must be set`);
  return value;
}

/** DEADLINE_GRACE_SECONDS, the stack's, which the API judges deadlines with too. */
function graceSeconds(): number {
  const raw = process.env.DEADLINE_GRACE_SECONDS?.trim();
  if (raw === undefined || raw === "") return DEADLINE_GRACE_SECONDS.default;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !isWithin(DEADLINE_GRACE_SECONDS, value)) {
    throw new SweeperConfigError(
      `DEADLINE_GRACE_SECONDS must be a whole number from ${DEADLINE_GRACE_SECONDS.min} to ${DEADLINE_GRACE_SECONDS.max}`,
    );
  }
  return value;
}

const tableName = required("DDB_TABLE_NAME");
const grace = graceSeconds();
const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: required("AWS_REGION"),
    credentials: fromEnv(),
    // As the API's function: a slow call gives up in time for the run to stop before its 5 s end
    // (what it leaves stays due for the next run).
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
  }),
);
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "task-api" });

export async function handler(_event: unknown, context: Context): Promise<SweepReport> {
  logger.addContext(context);
  const report = await sweepDeadlines({
    documents,
    tableName,
    graceSeconds: grace,
    shouldStop: () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS,
  });
  // One line per run: what was swept, and whether work is left for the next run.
  if (report.failed > 0 || !report.complete) logger.info("Deadline sweep", { ...report });
  return report;
}
