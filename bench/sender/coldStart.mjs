// One webhook sender cold start, measured by the process itself: `node coldStart.mjs <module>
// <task id>` imports the bundled sender and runs it on one queue message for that task (GetItem
// on DynamoDB Local, the secret from the bench's stand-in, one signed POST to its loopback
// receiver). Prints the whole process's CPU (user + system, µs), peak RSS (KiB) and the batch's
// failures as one JSON line on stderr.
const [, , target, taskId] = process.argv;
const { handler } = await import(target);
const deadline = Date.now() + 5000;
const answer = await handler(
  {
    Records: [
      {
        messageId: "bench-1",
        receiptHandle: "bench-1",
        body: JSON.stringify({ TaskId: taskId, Status: "completed" }),
        attributes: { ApproximateReceiveCount: "1" },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:task-webhooks",
        awsRegion: "us-east-1",
      },
    ],
  },
  { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => deadline - Date.now() },
);
const { user, system } = process.cpuUsage();
process.stderr.write(
  `${JSON.stringify({ cpuUs: user + system, maxRssKb: process.resourceUsage().maxRSS, failures: answer.batchItemFailures.length })}\n`,
);
