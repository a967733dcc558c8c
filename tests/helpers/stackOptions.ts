import { committedStacks } from "../../policy-check/stackConfigFiles";

/** Every optional feature on at once: events and other accounts on the bus, alarm e-mail, both KMS options, access roles. */
export const EVERYTHING_ON = {
  taskEvents: true,
  eventBusAccountIds: ["210987654321"],
  alarmEmail: "oncall@example.com",
  tableKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333",
  targetKmsKeyArns: ["arn:aws:kms:eu-west-1:123456789012:key/9e8d7c6b-aaaa-bbbb-cccc-444455556666"],
  targetBuckets: ["media-bucket/processed/"],
  callerRoles: ["portal"],
  processorRoles: ["worker"],
  reservedConcurrency: 5,
};

/** The stacks IAM is checked on: each committed one, and every option on. */
export const CHECKED_STACKS: ReadonlyArray<{ stack: string; config: Record<string, unknown> }> = [
  ...committedStacks().map((stack) => ({ stack, config: {} })),
  { stack: "everything-on", config: EVERYTHING_ON },
];
