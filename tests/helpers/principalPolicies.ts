/**
 * The policies each principal of a stack acts under, as the program writes them (read off a run
 * under mocks) or as the docs tell an operator to paste them (republish's), and the stack's names
 * that recorded requests map onto.
 */
import { readFileSync } from "node:fs";
import { GRANTS_USED_BY_AWS } from "../../infra/functionRole";
import { permissionsBoundaryDocument } from "../../infra/permissionsBoundary";
import { SERVICE_NAME } from "../../infra/resourceNames";
import { PIPE_GRANTS_USED_BY_PIPES } from "../../infra/taskEvents";
import { SENDER_GRANTS_USED_BY_LAMBDA } from "../../infra/webhookSender";
import { MOCK_ACCOUNT_ID, type ProgramRun } from "../../policy-check/programUnderMocks";
import type { Component } from "./awsRequestRecorder";
import { stackNeedsOfRun } from "./deployRequests";
import type { IamStatement, StackTargets } from "./iamReference";
import { named, ofType } from "./mockedProgram";

/** A principal and every identity policy it has in the stack. */
export interface Principal {
  /** Who it is: a component that sends requests, or the pipes (whose requests AWS makes). */
  component: Component | "pipes";
  arn: string;
  policies: Array<{ name: string; policy: { Statement: IamStatement[] } }>;
  /** Statements no request of the project's code needs, by Sid, with why the program grants them. */
  usedByAws: Readonly<Record<string, string>>;
  /** The permissions boundary its role carries, as generated for the stack (infra/permissionsBoundary.ts). */
  boundary?: { Statement: IamStatement[] };
}

/** Where the docs give the policy a `task-record republish` operator needs. */
export const REPUBLISH_POLICY_DOC = "docs/events.md";

/** The JSON block under the heading line that names republish's policy in docs/events.md. */
export function documentedRepublishPolicy(markdown = readFileSync(REPUBLISH_POLICY_DOC, "utf8")): string {
  const block = /policy of a republishing operator[\s\S]*?```json\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error(`${REPUBLISH_POLICY_DOC} has no JSON block for the republishing operator`);
  return block;
}

/** Where the docs give the policy a `task-record redeliver` operator needs. */
export const REDELIVER_POLICY_DOC = "docs/webhooks.md";

/** The JSON block under the line that names redeliver's policy in docs/webhooks.md. */
export function documentedRedeliverPolicy(markdown = readFileSync(REDELIVER_POLICY_DOC, "utf8")): string {
  const block = /policy of a redelivering operator[\s\S]*?```json\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error(`${REDELIVER_POLICY_DOC} has no JSON block for the redelivering operator`);
  return block;
}

const parsePolicy = (text: unknown) => JSON.parse(String(text)) as { Statement: IamStatement[] };

/** The names recorded requests map onto in this stack. */
export function stackTargetsOf(run: ProgramRun): StackTargets {
  const table = ofType(run, "aws:dynamodb/table:Table")[0];
  const bus = ofType(run, "aws:cloudwatch/eventBus:EventBus")[0];
  const api = ofType(run, "aws:apigatewayv2/api:Api")[0];
  const stage = ofType(run, "aws:apigatewayv2/stage:Stage")[0];
  const webhookQueue = ofType(run, "aws:sqs/queue:Queue").find((queue) => queue.name === "task-webhooks");
  const webhookSecret = ofType(run, "aws:secretsmanager/secret:Secret")[0];
  const targets = JSON.parse(run.config[`${run.project}:targetBuckets`] ?? "[]") as string[];
  return {
    partition: "aws",
    region: run.config["aws:region"] ?? "us-east-1",
    account: MOCK_ACCOUNT_ID,
    tableName: String(table?.state.name),
    busName: bus === undefined ? undefined : String(bus.state.name),
    webhookQueueName: webhookQueue === undefined ? undefined : String(webhookQueue.state.name),
    webhookSecretArn: webhookSecret === undefined ? undefined : String(webhookSecret.state.arn),
    apiId: String(api?.state.id),
    stage: String(stage?.inputs.name),
    targets: targets.map((entry) => {
      const [bucket = "", ...prefix] = entry.split("/");
      return { bucket, prefix: prefix.join("/") };
    }),
  };
}

/** Every principal of the stack with its policies: the functions' roles, the pipes' role, callers, processors, and the republishing and redelivering operators. */
export function principalsOf(run: ProgramRun): Principal[] {
  const rolePolicy = (name: string) => named(run, "aws:iam/rolePolicy:RolePolicy", name);
  const roleArn = (name: string) => String(named(run, "aws:iam/role:Role", name).state.arn);
  const managed = (name: string) => named(run, "aws:iam/policy:Policy", name);
  // The boundary as `npm run deploy-permissions` generates it for a project whose one stack is this run.
  const boundary = permissionsBoundaryDocument({
    account: MOCK_ACCOUNT_ID,
    project: run.project,
    stacks: [stackNeedsOfRun(run)],
  });
  const lambdaRole = (component: "function" | "sweeper", name: string): Principal => ({
    component,
    arn: roleArn(name),
    policies: [{ name, policy: parsePolicy(rolePolicy(name).inputs.policy) }],
    usedByAws: GRANTS_USED_BY_AWS,
    boundary,
  });
  const principals: Principal[] = [
    lambdaRole("function", "task-status-function"),
    lambdaRole("sweeper", "deadline-sweeper"),
    {
      component: "caller",
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/caller`,
      policies: [{ name: "callers", policy: parsePolicy(managed(`${SERVICE_NAME}-callers`).inputs.policy) }],
      usedByAws: {},
    },
    {
      component: "processor",
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/processor`,
      policies: [{ name: "processors", policy: parsePolicy(managed(`${SERVICE_NAME}-processors`).inputs.policy) }],
      usedByAws: {},
    },
  ];
  const tableArn = String(ofType(run, "aws:dynamodb/table:Table")[0]?.state.arn);
  const bus = ofType(run, "aws:cloudwatch/eventBus:EventBus")[0];
  if (bus !== undefined) {
    principals.push({
      component: "pipes",
      arn: roleArn("task-events-pipe"),
      policies: [{ name: "task-events-pipe", policy: parsePolicy(rolePolicy("task-events-pipe").inputs.policy) }],
      usedByAws: PIPE_GRANTS_USED_BY_PIPES,
      boundary,
    });
    // The docs' placeholders are the stack's outputs, as an operator fills them in.
    const republish = documentedRepublishPolicy()
      .replaceAll("<tableArn>", tableArn)
      .replaceAll("<eventBusArn>", String(bus.state.arn));
    principals.push({
      component: "republish",
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/operator`,
      policies: [{ name: "republish (docs)", policy: parsePolicy(republish) }],
      usedByAws: {},
    });
  }
  if (ofType(run, "aws:lambda/function:Function").some((fn) => fn.name === "webhook-sender")) {
    principals.push({
      component: "sender",
      arn: roleArn("webhook-sender"),
      policies: [{ name: "webhook-sender", policy: parsePolicy(rolePolicy("webhook-sender").inputs.policy) }],
      usedByAws: { ...GRANTS_USED_BY_AWS, ...SENDER_GRANTS_USED_BY_LAMBDA },
      boundary,
    });
    const queue = ofType(run, "aws:sqs/queue:Queue").find((candidate) => candidate.name === "task-webhooks");
    const redeliver = documentedRedeliverPolicy()
      .replaceAll("<tableArn>", tableArn)
      .replaceAll("<webhookQueueArn>", String(queue?.state.arn));
    principals.push({
      component: "redeliver",
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/operator`,
      policies: [{ name: "redeliver (docs)", policy: parsePolicy(redeliver) }],
      usedByAws: {},
    });
  }
  return principals;
}
