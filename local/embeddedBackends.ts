import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { createTaskTable } from "../processor/createTaskTable";
import { EMULATOR_CREDENTIALS, type RunningEmulator, startDynamoDbLocal, startS3rver } from "./emulators";
import { DEMO_BUCKET, MEDIA_BUCKET, seedSpecExamples } from "./specExamples";

export const LOCAL_TABLE_NAME = "tasks-local";
export const LOCAL_REGION = "us-east-1";

/** DynamoDB Local and s3rver, seeded with the spec's examples, and the environment that points at them. */
export interface EmbeddedBackends {
  /** The variables a Lambda would have, pointed at the emulators through the SDK's standard names. */
  env: {
    AWS_ENDPOINT_URL_DYNAMODB: string;
    AWS_ENDPOINT_URL_S3: string;
    AWS_REGION: string;
    AWS_ACCESS_KEY_ID: string;
    AWS_SECRET_ACCESS_KEY: string;
    DDB_TABLE_NAME: string;
    TARGET_BUCKETS: string;
  };
  dynamo: DynamoDBClient;
  s3: S3Client;
  stop(): Promise<void>;
}

/** Starts both emulators side by side, creates the table and buckets, and seeds the examples. */
export async function startEmbeddedBackends(): Promise<EmbeddedBackends> {
  const started = await Promise.allSettled([startDynamoDbLocal(), startS3rver([MEDIA_BUCKET, DEMO_BUCKET])]);
  const running = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result) => result.status === "rejected");
  const [dynamoLocal, s3rver] = started.map((result) => (result.status === "fulfilled" ? result.value : undefined));
  if (failure !== undefined || dynamoLocal === undefined || s3rver === undefined) {
    await stopAll(running);
    throw failure?.reason ?? new Error("an emulator did not start");
  }

  const dynamo = new DynamoDBClient({
    endpoint: dynamoLocal.endpoint,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
  });
  const s3 = new S3Client({
    endpoint: s3rver.endpoint,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
    forcePathStyle: true,
  });
  const stop = async () => {
    dynamo.destroy();
    s3.destroy();
    await stopAll([dynamoLocal, s3rver]);
  };
  try {
    await createTaskTable(dynamo, LOCAL_TABLE_NAME);
    await seedSpecExamples(dynamo, s3, LOCAL_TABLE_NAME);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    env: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoLocal.endpoint,
      AWS_ENDPOINT_URL_S3: s3rver.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      DDB_TABLE_NAME: LOCAL_TABLE_NAME,
      TARGET_BUCKETS: MEDIA_BUCKET,
    },
    dynamo,
    s3,
    stop,
  };
}

async function stopAll(emulators: readonly RunningEmulator[]): Promise<void> {
  await Promise.allSettled(emulators.map((emulator) => emulator.stop()));
}
