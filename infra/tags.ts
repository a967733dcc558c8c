import type * as pulumi from "@pulumi/pulumi";
import { SERVICE_NAME } from "./resourceNames";

/**
 * The resource types of this program whose AWS resource takes tags (their args have `tags`).
 * A test compares this list with @pulumi/aws's own type definitions for every resource the
 * program registers, so a new taggable resource cannot be left out unnoticed.
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  "aws:apigatewayv2/api:Api",
  "aws:apigatewayv2/stage:Stage",
  "aws:cloudwatch/eventBus:EventBus",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:dynamodb/table:Table",
  "aws:iam/policy:Policy",
  "aws:iam/role:Role",
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "aws:lambda/function:Function",
  "aws:pipes/pipe:Pipe",
  "aws:secretsmanager/secret:Secret",
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
]);

/** The tags every taggable resource of a stack carries: the stack's own, then Service and Stack. */
export function stackTags(stack: string, configured: Readonly<Record<string, string>>): Record<string, string> {
  return { ...configured, Service: SERVICE_NAME, Stack: stack };
}

/**
 * Tags every taggable resource it is applied to, in one place: the component's transformation,
 * which its children inherit, so no resource definition has to remember and nothing outside the
 * component is touched. Tags a resource sets itself are kept; Service and Stack always win.
 */
export function tagTransformation(tags: Readonly<Record<string, string>>): pulumi.ResourceTransformation {
  return ({ type, props, opts }) => {
    if (!TAGGABLE_TYPES.has(type)) return undefined;
    const own = (props.tags ?? {}) as Record<string, pulumi.Input<string>>;
    return { props: { ...props, tags: { ...own, ...tags } }, opts };
  };
}
