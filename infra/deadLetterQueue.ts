import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** SQS's longest retention: two weeks to look into what could not be delivered and redrive it. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

/**
 * A dead-letter queue (two weeks' retention, SQS-managed encryption) and an alarm that fires
 * while it holds anything: the task events' and the webhooks' share this shape.
 */
export function createDeadLetterQueue(
  name: string,
  alarmDescription: string,
  alarmActions: pulumi.Input<string>[],
  parent: pulumi.Resource,
): { queue: aws.sqs.Queue; alarm: aws.cloudwatch.MetricAlarm } {
  const queue = new aws.sqs.Queue(
    name,
    {
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    },
    { parent },
  );
  const alarm = new aws.cloudwatch.MetricAlarm(
    name,
    {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmDescription,
      alarmActions,
      okActions: alarmActions,
    },
    { parent },
  );
  return { queue, alarm };
}
