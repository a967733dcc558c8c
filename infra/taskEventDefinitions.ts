import { TASK_EVENT_FIELDS, type TaskEventStatus } from "@task-api/contract";

/**
 * The EventBridge Pipes filters that pass exactly the stream records of a write that moves a
 * task into `status`: its new image has that Status, and its old image had another one or none
 * (an INSERT has no old image; a record may have had no Status). A write that leaves the status
 * as it was matches neither. The patterns look only at the record's `dynamodb` data: Pipes does
 * not filter on eventName (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html).
 * Each filter is OR'ed with the other.
 */
export function statusChangeFilters(status: TaskEventStatus): string[] {
  const into = { Status: { S: [status] } };
  return [
    JSON.stringify({ dynamodb: { NewImage: into, OldImage: { Status: { S: [{ "anything-but": [status] }] } } } }),
    JSON.stringify({ dynamodb: { NewImage: into, OldImage: { Status: { S: [{ exists: false }] } } } }),
  ];
}

/**
 * The event's `detail`, built by the pipe's input transformer from the record's new image: the
 * spec's fields (strings, `S`) and the stack's name, never a presigned URL. Every variable is
 * quoted, as Pipes asks for values that are strings; a field the record lacks is left out
 * (EventBridge: a path that does not exist "isn't created and won't appear in the output").
 */
export function taskEventInputTemplate(status: TaskEventStatus, stack: string): string {
  const members = TASK_EVENT_FIELDS.map((field) =>
    field === "Status"
      ? `${JSON.stringify(field)}: ${JSON.stringify(status)}`
      : `${JSON.stringify(field)}: "<$.dynamodb.NewImage.${field}.S>"`,
  );
  members.push(`"Stack": ${JSON.stringify(stack)}`);
  return `{${members.join(", ")}}`;
}
