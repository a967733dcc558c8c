import { DEADLINES } from "./deadlines.js";
import { TASK_ID_ATTRIBUTE, TASK_TTL_ATTRIBUTE } from "./taskRecord.js";

/**
 * The task table as every side creates it (the Pulumi program, `task-record create-table`, the
 * local server): key, TTL, stream, and the sweeper's two sparse indexes, each keyed (shard,
 * deadline) and projecting the period its failure message names. An index holds only the tasks
 * that carry its shard attribute: unfinished tasks with that deadline.
 */
export const TASK_TABLE = {
  hashKey: TASK_ID_ATTRIBUTE,
  ttlAttribute: TASK_TTL_ATTRIBUTE,
  /** Task events read the stream; the old image tells a change of status from a rewrite. */
  streamViewType: "NEW_AND_OLD_IMAGES",
  indexes: Object.values(DEADLINES).map((definition) => ({
    name: definition.indexName,
    partitionKey: definition.shardAttribute,
    sortKey: definition.deadlineAttribute,
    projectedAttributes: [definition.secondsAttribute],
  })),
  /** Every key attribute of the table and its indexes, with its DynamoDB type. */
  keyAttributes: [
    { name: TASK_ID_ATTRIBUTE, type: "S" as const },
    ...Object.values(DEADLINES).flatMap((definition) => [
      { name: definition.shardAttribute, type: "N" as const },
      { name: definition.deadlineAttribute, type: "N" as const },
    ]),
  ],
} as const;
