import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the stand-in answers every request. */
export type DynamoFault = "hang" | "throttle" | "error500" | "deny" | "missingTable";

export interface FaultyDynamoDb {
  endpoint: string;
  fault: DynamoFault;
  /** Requests received (one per SDK attempt). */
  readonly requests: number;
  close(): Promise<void>;
}

// DynamoDB's JSON 1.0 error shapes: the type in the body's __type and in x-amzn-ErrorType.
const ANSWERS: Record<Exclude<DynamoFault, "hang">, { status: number; type: string; message: string }> = {
  throttle: {
    status: 400,
    type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    message: "The level of configured provisioned throughput for the table was exceeded.",
  },
  error500: { status: 500, type: "com.amazon.coral.service#InternalServerError", message: "Internal server error" },
  deny: {
    status: 400,
    type: "com.amazon.coral.service#AccessDeniedException",
    message:
      "User: arn:aws:sts::123456789012:assumed-role/task-api-role/task-status is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/tasks",
  },
  missingTable: {
    status: 400,
    type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
    message: "Requested resource not found: Table: arn:aws:dynamodb:eu-west-1:123456789012:table/tasks not found",
  },
};

/**
 * A loopback stand-in for DynamoDB that fails every request in one way: it never answers (hang),
 * throttles, answers 500, denies access, or has no table. Point the SDK at it through
 * AWS_ENDPOINT_URL_DYNAMODB, as at the real service.
 */
export async function startFaultyDynamoDb(fault: DynamoFault): Promise<FaultyDynamoDb> {
  const hanging = new Set<ServerResponse>();
  let requests = 0;
  const state = { fault };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests += 1;
    request.resume();
    if (state.fault === "hang") {
      hanging.add(response);
      return;
    }
    const answer = ANSWERS[state.fault];
    response.writeHead(answer.status, {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-errortype": answer.type.split("#")[1] ?? answer.type,
      "x-amzn-requestid": "FAULTY0000000000000000000000000000000000000000000000",
    });
    response.end(JSON.stringify({ __type: answer.type, message: answer.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get fault() {
      return state.fault;
    },
    set fault(next: DynamoFault) {
      state.fault = next;
    },
    get requests() {
      return requests;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
