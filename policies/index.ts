// The pack's entry point for the Pulumi CLI. Constructing a PolicyPack serves the engine over
// gRPC (and exits the process without one), so nothing but the CLI may import this file: tests
// and npm run policy start it through run-policy-pack, or import ./allPolicies.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./allPolicies";

new PolicyPack("task-api-policies", {
  description:
    "task-api: the spec's 5 s / 128 MB Lambda, least-privilege IAM, an authenticated and logged API, a protected table.",
  policies,
});
