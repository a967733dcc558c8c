/**
 * `task-record … --print-request`: the one DynamoDB request a kit call makes, captured on its
 * way out instead of sent. It is printed in DynamoDB's own JSON (the API's operation name and its
 * input, attribute values typed), which `aws dynamodb <operation> --cli-input-json`, boto3 and
 * the Go SDK take as they are: a processor in another language sends the same conditional write.
 */
import type { DynamoDBClient, ServiceInputTypes, ServiceOutputTypes } from "@aws-sdk/client-dynamodb";
import type { SerializeMiddleware } from "@smithy/types";

export interface PrintedRequest {
  /** DynamoDB's operation: PutItem, UpdateItem. */
  operation: string;
  input: Record<string, unknown>;
}

/** Thrown by a client `captureRequests` set up, in place of sending: carries the request. */
export class RequestCapturedError extends Error {
  constructor(readonly request: PrintedRequest) {
    super(`${request.operation} captured, not sent`);
    this.name = "RequestCapturedError";
  }
}

/** lib-dynamodb's command names, by the operation each sends: the two TaskWriter uses. */
const OPERATIONS: Record<string, string> = { PutCommand: "PutItem", UpdateCommand: "UpdateItem" };

/**
 * Makes every request of `client` stop before it is serialized, signed and sent, with
 * RequestCapturedError. It runs right after lib-dynamodb's DocumentMarshall, so the input it
 * carries holds typed attribute values, as DynamoDB's API takes them.
 */
export function captureRequests(client: DynamoDBClient): void {
  const capture: SerializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (_next, context) => async (args) => {
    const name = context.commandName ?? "";
    throw new RequestCapturedError({
      operation: OPERATIONS[name] ?? name.replace(/Command$/, ""),
      input: args.input as Record<string, unknown>,
    });
  };
  client.middlewareStack.addRelativeTo(capture, {
    name: "taskRecordCaptureRequest",
    relation: "after",
    toMiddleware: "DocumentMarshall",
  });
}
