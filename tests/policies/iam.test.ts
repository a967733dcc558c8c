import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  iamNoAllowNotAction,
  iamNoBroadManagedPolicies,
  iamNoWildcardActions,
  iamNoWildcardResources,
  isBroadManagedPolicy,
} from "../../policies/iam";
import { findingsOf, resourceOf, UNKNOWN_STRING, violationsOf } from "../helpers/policyHarness";

const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/tasks-1";

/** The program's inline policy; `statement` replaces the first one. */
function document(statement: Record<string, unknown> = {}) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadTasks", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [TABLE_ARN], ...statement },
      {
        Sid: "ReadTargetObjects",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::media-bucket/*"],
      },
    ],
  };
}

function rolePolicy(policy: unknown) {
  return resourceOf(aws.iam.RolePolicy, "task-status-function", { role: "task-status-function", policy });
}

const POLICIES = [iamNoWildcardActions, iamNoWildcardResources, iamNoAllowNotAction];

describe("policies/iam", () => {
  it("passes the program's inline policy, as a JSON string and as an object", async () => {
    for (const policy of POLICIES) {
      expect(await findingsOf(policy, [rolePolicy(JSON.stringify(document()))]), policy.name).to.deep.equal([]);
      expect(await findingsOf(policy, [rolePolicy(document())]), policy.name).to.deep.equal([]);
    }
  });

  describe("iam-no-wildcard-actions (mandatory)", () => {
    for (const action of ["*", "dynamodb:*", "s3:Get*", ["dynamodb:GetItem", "dynamodb:*"]]) {
      it(`fails on Action ${JSON.stringify(action)}`, async () => {
        const violations = await violationsOf(iamNoWildcardActions, [
          rolePolicy(JSON.stringify(document({ Action: action }))),
        ]);
        expect(violations).to.have.length(1);
        expect(violations[0]).to.match(/statement "ReadTasks" allows the wildcard action/);
      });
    }
    it("reads a single Statement object (not a list) and a single Action string", async () => {
      const single = {
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Action: "dynamodb:*", Resource: TABLE_ARN },
      };
      expect(await violationsOf(iamNoWildcardActions, [rolePolicy(single)])).to.deep.equal([
        'task-status-function policy statement 1 allows the wildcard action "dynamodb:*".',
      ]);
    });
    it("ignores Deny statements", async () => {
      const deny = { Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };
      expect(await findingsOf(iamNoWildcardActions, [rolePolicy(deny)])).to.deep.equal([]);
    });
    it("checks a role's inline policies and a managed Policy's document", async () => {
      const role = resourceOf(aws.iam.Role, "r", {
        assumeRolePolicy: "{}",
        inlinePolicies: [{ name: "p", policy: JSON.stringify(document({ Action: "*" })) }],
      });
      const managed = resourceOf(aws.iam.Policy, "m", { policy: JSON.stringify(document({ Action: "s3:*" })) });
      const violations = await violationsOf(iamNoWildcardActions, [role, managed]);
      expect(violations).to.have.length(2);
      expect(violations[0]).to.include("inlinePolicies[0].policy");
    });
    it("fails a document that is not JSON rather than passing it", async () => {
      expect(await violationsOf(iamNoWildcardActions, [rolePolicy("{not json")])).to.have.length(1);
    });
    it("reports that it cannot decide, as advisory, when the document is unknown at preview", async () => {
      const findings = await findingsOf(iamNoWildcardActions, [rolePolicy(UNKNOWN_STRING)]);
      expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
      expect(findings[0]?.message).to.include("during preview");
    });
  });

  describe("iam-no-wildcard-resources (mandatory)", () => {
    it('fails on GetItem with Resource "*"', async () => {
      expect(await violationsOf(iamNoWildcardResources, [rolePolicy(document({ Resource: "*" }))])).to.deep.equal([
        'task-status-function policy statement "ReadTasks" allows dynamodb:GetItem on Resource "*".',
      ]);
    });
    it('allows X-Ray actions, which cannot be scoped, on Resource "*"', async () => {
      const xray = document({
        Sid: "Trace",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      });
      expect(await violationsOf(iamNoWildcardResources, [rolePolicy(xray)])).to.deep.equal([]);
    });
    it("takes its allowlist from config", async () => {
      const xray = document({ Action: ["xray:PutTraceSegments"], Resource: "*" });
      const config = { "iam-no-wildcard-resources": { unscopableActions: [] } };
      expect(await violationsOf(iamNoWildcardResources, [rolePolicy(xray)], config)).to.have.length(1);
    });
  });

  describe("iam-no-allow-with-not-action (mandatory)", () => {
    it("fails on an Allow with NotAction", async () => {
      const notAction = { Statement: [{ Sid: "S", Effect: "Allow", NotAction: "iam:*", Resource: TABLE_ARN }] };
      expect(await violationsOf(iamNoAllowNotAction, [rolePolicy(notAction)])).to.deep.equal([
        'task-status-function policy statement "S" is an Allow with NotAction.',
      ]);
    });
    it("fails on an Allow with NotResource", async () => {
      const notResource = { Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", NotResource: TABLE_ARN }] };
      expect(await violationsOf(iamNoAllowNotAction, [rolePolicy(notResource)])).to.have.length(1);
    });
    it("accepts NotAction in a Deny", async () => {
      const deny = { Statement: [{ Effect: "Deny", NotAction: "dynamodb:GetItem", Resource: "*" }] };
      expect(await violationsOf(iamNoAllowNotAction, [rolePolicy(deny)])).to.deep.equal([]);
    });
  });

  describe("iam-no-broad-managed-policies (mandatory)", () => {
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    it("fails on an AdministratorAccess attachment", async () => {
      const attachment = resourceOf(aws.iam.RolePolicyAttachment, "admin", { role: "r", policyArn: admin });
      expect(await violationsOf(iamNoBroadManagedPolicies, [attachment])).to.deep.equal([
        `admin attaches ${admin}, which grants far more than least privilege allows.`,
      ]);
    });
    it("fails on a broad policy however it is attached: exclusively to a role, to a user, to a group", async () => {
      const attachments = [
        resourceOf(aws.iam.RolePolicyAttachmentsExclusive, "role-exclusive", { roleName: "r", policyArns: [admin] }),
        resourceOf(aws.iam.UserPolicyAttachment, "user", { user: "u", policyArn: admin }),
        resourceOf(aws.iam.GroupPolicyAttachmentsExclusive, "group-exclusive", { groupName: "g", policyArns: [admin] }),
      ];
      expect(await violationsOf(iamNoBroadManagedPolicies, attachments)).to.deep.equal(
        ["role-exclusive", "user", "group-exclusive"].map(
          (name) => `${name} attaches ${admin}, which grants far more than least privilege allows.`,
        ),
      );
    });
    it("fails on AWSLambdaBasicExecutionRole (logs on *) in a role's managedPolicyArns", async () => {
      const role = resourceOf(aws.iam.Role, "r", {
        assumeRolePolicy: "{}",
        managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
      });
      expect(await violationsOf(iamNoBroadManagedPolicies, [role])).to.have.length(1);
    });
    it("passes a role with no managed policies and a customer-managed attachment", async () => {
      const role = resourceOf(aws.iam.Role, "r", { assumeRolePolicy: "{}" });
      const own = resourceOf(aws.iam.RolePolicyAttachment, "own", {
        role: "r",
        policyArn: "arn:aws:iam::123456789012:policy/narrow",
      });
      expect(await findingsOf(iamNoBroadManagedPolicies, [role, own])).to.deep.equal([]);
    });
  });

  describe("isBroadManagedPolicy", () => {
    it("matches the deny list and every *FullAccess, and nothing customer-managed", () => {
      expect(isBroadManagedPolicy("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")).to.equal(true);
      expect(isBroadManagedPolicy("arn:aws:iam::aws:policy/PowerUserAccess")).to.equal(true);
      expect(isBroadManagedPolicy("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")).to.equal(false);
      expect(isBroadManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess")).to.equal(false);
    });
  });
});
