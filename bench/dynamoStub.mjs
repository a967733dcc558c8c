// A loopback stand-in for DynamoDB's GetItem, in its own process so that its CPU is not the
// handler's: answers the item for TaskId "bench-completed", and no item for anything else.
// Prints its port on stdout.
import { createServer } from "node:http";

const ITEM = JSON.stringify({
  Item: {
    TaskId: { S: "bench-completed" },
    Status: { S: "completed" },
    SourceKey: { S: "original/document.pdf" },
    TargetKey: { S: "processed/document.png" },
    SourceBucket: { S: "media-bucket" },
    TargetBucket: { S: "media-bucket" },
    TaskType: { S: "document" },
    Created_at: { S: "2024-01-01T00:00:00Z" },
    Updated_at: { S: "2024-01-01T00:00:05Z" },
  },
});
const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "STUB" });
    response.end(body.includes('"bench-completed"') ? ITEM : "{}");
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
