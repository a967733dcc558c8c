import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { committedStacks } from "../../policy-check/stackConfigFiles";

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  uses?: string;
  with?: Record<string, string>;
  environment?: string;
  steps?: Step[];
  strategy?: { matrix?: Record<string, string[]> };
}
function workflow(file: string): { on: Record<string, unknown>; jobs: Record<string, Job> } {
  return parse(readFileSync(path.join(WORKFLOWS, file), "utf8"));
}

describe(".github/workflows (users' CI)", function () {
  this.timeout(60_000);

  it("tests, then previews every committed stack with the pack and that stack's pack config, on pull requests", () => {
    const { on, jobs } = workflow("pull-request.yml");
    expect(on).to.have.property("pull_request");
    expect(jobs.test?.steps?.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm test"]);
    expect(jobs.preview?.needs).to.equal("test");
    expect(jobs.preview?.strategy?.matrix?.stack).to.deep.equal(committedStacks());
    const preview = jobs.preview?.steps?.find((s) => s.run?.startsWith("pulumi preview"))?.run ?? "";
    expect(preview).to.include("--policy-pack policies");
    expect(preview).to.include('--policy-pack-config "policies/config/${{ matrix.stack }}.json"');
    for (const stack of committedStacks())
      expect(existsSync(path.join(ROOT, "policies/config", `${stack}.json`))).to.equal(true);
  });

  it("sets up the Node.js .nvmrc names in every job, the one the tests and the functions run on", () => {
    for (const file of ["pull-request.yml", "deploy.yml", "pulumi-up.yml", "smoke.yml"]) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const setup = job.steps?.find((s) => s.uses?.startsWith("actions/setup-node"));
        if (setup !== undefined)
          expect(setup.with, `${file} ${name}`).to.deep.include({ "node-version-file": ".nvmrc" });
      }
    }
  });

  it("deploys on merge to main: tests, dev, then prod behind its environment, each with the pack", () => {
    const deploy = workflow("deploy.yml");
    expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
    expect(deploy.jobs.dev).to.deep.include({
      needs: "test",
      uses: "./.github/workflows/pulumi-up.yml",
      with: { stack: "dev" },
    });
    expect(deploy.jobs.smoke).to.deep.include({ needs: "dev", uses: "./.github/workflows/smoke.yml" });
    expect(deploy.jobs.prod).to.deep.include({
      needs: "smoke",
      uses: "./.github/workflows/pulumi-up.yml",
      with: { stack: "prod" },
    });
    const up = workflow("pulumi-up.yml").jobs.up;
    expect(up?.environment).to.equal("${{ inputs.stack }}");
    const credentials = up?.steps?.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(credentials?.with?.["role-to-assume"]).to.equal("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    const command = up?.steps?.find((s) => s.run?.startsWith("pulumi up"))?.run ?? "";
    expect(command).to.include('--policy-pack policies --policy-pack-config "$PACK_CONFIG"');
  });

  it("smoke-tests an ephemeral stack named with the run, by hand and after dev, and always destroys and removes it", () => {
    const smoke = workflow("smoke.yml");
    expect(Object.keys(smoke.on).sort()).to.deep.equal(["workflow_call", "workflow_dispatch"]);
    const job = smoke.jobs.smoke as Job & { env: Record<string, string> };
    expect(job.env.STACK).to.include("${{ github.run_id }}");
    const steps = (job.steps ?? []) as Array<Step & { if?: string; name?: string }>;
    const runs = steps.map((s) => s.run ?? "").join("\n");
    expect(runs).to.include('cp Pulumi.dev.yaml "Pulumi.$STACK_NAME.yaml"');
    expect(runs).to.match(/npx task-record start[\s\S]*npx task-record complete/);
    expect(runs).to.match(/npx task-status get "\$TASK_ID" "\$TASK_ID-missing"/);
    expect(runs).to.include("curl --fail");
    // Each phase under its own principal: deploy role, processor role, caller role, deploy role.
    const roles = steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(roles.map((s) => s.with?.["role-to-assume"])).to.deep.equal([
      "${{ vars.AWS_SMOKE_ROLE_ARN }}",
      "${{ vars.SMOKE_PROCESSOR_ROLE_ARN }}",
      "${{ vars.SMOKE_CALLER_ROLE_ARN }}",
      "${{ vars.AWS_SMOKE_ROLE_ARN }}",
    ]);
    const last = steps.at(-1);
    expect(last?.if).to.equal("always()");
    expect(last?.run).to.include('pulumi destroy --stack "$STACK"').and.include('pulumi stack rm "$STACK"');
    expect(steps.at(-2)?.if).to.equal("always()");
  });

  it("publishes the three kits on a version tag, after the tests, with provenance over OIDC and the tag checked against their one version", () => {
    const release = parse(readFileSync(path.join(WORKFLOWS, "release.yml"), "utf8")) as {
      on: unknown;
      permissions: Record<string, string>;
      jobs: Record<string, Job & { permissions?: Record<string, string> }>;
    };
    expect(release.on).to.deep.equal({ push: { tags: ["v*"] } });
    expect(release.permissions).to.deep.equal({ contents: "read" });
    expect(release.jobs.test?.steps?.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm test"]);
    const publish = release.jobs.publish;
    expect(publish?.needs).to.equal("test");
    // Only the job that publishes may ask for an OIDC token.
    expect(publish?.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
    const runs = (publish?.steps ?? []).map((s) => s.run ?? "");
    const kits = ["contract", "processor", "client"];
    const command = runs.find((run) => run.startsWith("npm publish")) ?? "";
    expect(command).to.include("--provenance");
    for (const kit of kits) expect(command).to.include(`--workspace ${kit}`);
    expect(runs.some((run) => run.includes('"v$version" != "$GITHUB_REF_NAME"'))).to.equal(true);
    expect(runs.findIndex((run) => run.includes("repository.url"))).to.be.lessThan(runs.indexOf(command));
    // Changesets moves the three together: one fixed group, holding exactly the published kits.
    const changesets = JSON.parse(readFileSync(path.join(ROOT, ".changeset", "config.json"), "utf8"));
    const names = kits.map((kit) => JSON.parse(readFileSync(path.join(ROOT, kit, "package.json"), "utf8")).name);
    expect(changesets.fixed).to.deep.equal([names]);
  });
});
