// Calls a Lambda handler as API Gateway would for GET /task/{task_id}, with the spec's 5 s of time.
export function invoke(handler, taskId) {
  const deadline = Date.now() + 5000;
  return handler(
    {
      version: "2.0",
      routeKey: "GET /task/{task_id}",
      rawPath: `/task/${taskId}`,
      headers: {},
      pathParameters: { task_id: taskId },
      requestContext: { requestId: "bench" },
      isBase64Encoded: false,
    },
    { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => deadline - Date.now() },
  );
}
