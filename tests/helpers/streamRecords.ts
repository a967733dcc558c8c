import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";

/**
 * Every record of a DynamoDB Local table's stream so far, shaped as EventBridge Pipes hands a
 * DynamoDB stream record to its filter and input transformer (the Streams API's record, with
 * the stream's ARN as eventSourceARN). Polls each shard from its oldest record until `expected`
 * records have arrived or `deadlineMs` has passed.
 */
export async function readStreamRecords(args: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  streamArn: string;
  expected: number;
  deadlineMs?: number;
}): Promise<Array<Record<string, unknown>>> {
  const client = new DynamoDBStreamsClient({
    endpoint: args.endpoint,
    region: args.region,
    credentials: args.credentials,
  });
  const deadline = Date.now() + (args.deadlineMs ?? 15_000);
  const records: StreamRecord[] = [];
  try {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: args.streamArn }));
    const iterators = new Map<string, string | undefined>();
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: args.streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      iterators.set(String(shard.ShardId), ShardIterator);
    }
    while (records.length < args.expected && Date.now() < deadline) {
      for (const [shard, iterator] of iterators) {
        if (iterator === undefined) continue;
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        iterators.set(shard, page.NextShardIterator);
      }
      if (records.length < args.expected) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.destroy();
  }
  // The wire form: Pipes sees JSON, as the Streams API sends it (dates as epoch seconds).
  return records.map((record) => ({
    ...(wireForm(record) as Record<string, unknown>),
    eventSourceARN: args.streamArn,
  }));
}

/** A record as JSON on the wire: the SDK's Date fields back to epoch seconds. */
function wireForm(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(wireForm);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, wireForm(item)]));
  }
  return value;
}
