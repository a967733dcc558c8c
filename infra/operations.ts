import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import type * as pulumi from "@pulumi/pulumi";
import { FUNCTION_TIMEOUT_SECONDS } from "@task-api/contract";
import { currentDeployment, dashboardNameFor, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";

const cloudwatch = awsx.classic.cloudwatch;

/** A duration this close to the timeout means requests are about to be cut off. */
export const DURATION_ALARM_MS = FUNCTION_TIMEOUT_SECONDS * 1000 * 0.8;

export interface Operations {
  alarms: aws.cloudwatch.MetricAlarm[];
  dashboard: awsx.classic.cloudwatch.Dashboard;
  alarmTopic: aws.sns.Topic | undefined;
}

/**
 * Alarms on what callers would feel (function errors, throttles, duration near the 5 s timeout,
 * API 5xx) and a dashboard of the same metrics. awsx's classic metric helpers name the Lambda
 * metrics and dimensions; HTTP API metrics are keyed by ApiId, which its API Gateway helpers
 * (REST, ApiName) do not cover, so that one metric is spelled out.
 */
export function createOperations(args: {
  config: StackConfig;
  fn: aws.lambda.Function;
  /** The deadline sweeper: an error there leaves tasks past their deadline unswept. */
  sweeper: aws.lambda.Function;
  api: aws.apigatewayv2.Api;
  region: pulumi.Output<string>;
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): Operations {
  const { config, fn, api, parent } = args;
  let alarmTopic: aws.sns.Topic | undefined;
  if (config.alarmEmail !== undefined) {
    alarmTopic = new aws.sns.Topic(`${SERVICE_NAME}-alarms`, {}, { parent });
    new aws.sns.TopicSubscription(
      `${SERVICE_NAME}-alarms-email`,
      {
        topic: alarmTopic.arn,
        protocol: "email",
        endpoint: config.alarmEmail,
      },
      { parent },
    );
  }
  const actions: pulumi.Input<string>[] = alarmTopic === undefined ? [] : [alarmTopic.arn];
  const notify = { alarmActions: actions, okActions: actions, treatMissingData: "notBreaching" as const };

  const errors = awsx.classic.lambda.metrics.errors({ function: fn, statistic: "Sum", period: 60 });
  const throttles = awsx.classic.lambda.metrics.throttles({ function: fn, statistic: "Sum", period: 60 });
  const duration = awsx.classic.lambda.metrics.duration({
    function: fn,
    statistic: "Maximum",
    period: 60,
    unit: "Milliseconds",
  });
  const api5xx = new cloudwatch.Metric({
    namespace: "AWS/ApiGateway",
    name: "5xx",
    dimensions: { ApiId: api.id },
    statistic: "Sum",
    period: 60,
  });
  const apiCount = new cloudwatch.Metric({
    namespace: "AWS/ApiGateway",
    name: "Count",
    dimensions: { ApiId: api.id },
    statistic: "Sum",
    period: 60,
  });

  const errorsAlarm = errors.createAlarm(
    "task-status-errors",
    {
      ...notify,
      threshold: 1,
      evaluationPeriods: 1,
      alarmDescription: `${SERVICE_NAME}: the function threw or timed out (an answer the handler did not write).`,
    },
    { parent },
  );
  const throttlesAlarm = throttles.createAlarm(
    "task-status-throttles",
    {
      ...notify,
      threshold: 1,
      evaluationPeriods: 1,
      alarmDescription: `${SERVICE_NAME}: invocations were throttled (reserved concurrency or account limit reached).`,
    },
    { parent },
  );
  const durationAlarm = duration.createAlarm(
    "task-status-duration",
    {
      ...notify,
      threshold: DURATION_ALARM_MS,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription: `task-api: invocations took over ${DURATION_ALARM_MS} ms of the ${FUNCTION_TIMEOUT_SECONDS} s timeout.`,
    },
    { parent },
  );
  const sweeperErrors = awsx.classic.lambda.metrics.errors({ function: args.sweeper, statistic: "Sum", period: 300 });
  const sweeperErrorsAlarm = sweeperErrors.createAlarm(
    "deadline-sweeper-errors",
    {
      ...notify,
      threshold: 1,
      evaluationPeriods: 1,
      alarmDescription: `${SERVICE_NAME}: the deadline sweeper failed; tasks past their deadline stay processing in the table (the API still answers them failed).`,
    },
    { parent },
  );
  const api5xxAlarm = api5xx.createAlarm(
    `${SERVICE_NAME}-5xx`,
    {
      ...notify,
      threshold: 5,
      evaluationPeriods: 1,
      alarmDescription: `${SERVICE_NAME}: the API answered 5xx (function failures, timeouts or DynamoDB errors).`,
    },
    { parent },
  );

  const dashboard = new cloudwatch.Dashboard(
    "task-api",
    {
      // Dashboard names are unique per account, across regions: one per stack and region.
      name: args.region.apply((region) => dashboardNameFor(currentDeployment(), region)),
      widgets: [
        new cloudwatch.RowWidget(
          new cloudwatch.LineGraphMetricWidget({
            title: "API requests and 5xx",
            metrics: [apiCount, api5xx],
            width: 8,
          }),
          new cloudwatch.LineGraphMetricWidget({
            title: "Function errors",
            metrics: [errors],
            annotations: new cloudwatch.AlarmAnnotation(errorsAlarm.arn),
            width: 8,
          }),
          new cloudwatch.LineGraphMetricWidget({
            title: "Function throttles",
            metrics: [throttles],
            annotations: new cloudwatch.AlarmAnnotation(throttlesAlarm.arn),
            width: 8,
          }),
        ),
        new cloudwatch.RowWidget(
          new cloudwatch.LineGraphMetricWidget({
            title: "Function duration (max, ms)",
            metrics: [duration],
            annotations: new cloudwatch.AlarmAnnotation(durationAlarm.arn),
            width: 12,
          }),
          new cloudwatch.AlarmWidget({
            alarms: [errorsAlarm, throttlesAlarm, durationAlarm, api5xxAlarm, sweeperErrorsAlarm].map(
              (alarm) => alarm.arn,
            ),
            title: "task-api alarms",
            width: 12,
          }),
        ),
      ],
    },
    { parent },
  );

  return {
    alarms: [errorsAlarm, throttlesAlarm, durationAlarm, api5xxAlarm, sweeperErrorsAlarm],
    dashboard,
    alarmTopic,
  };
}
