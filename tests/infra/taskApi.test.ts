import { readFileSync } from "node:fs";
import { expect } from "chai";
import { TASK_API_TYPE } from "../../infra/resourceNames";
import { loadStackConfig } from "../../infra/stackConfig";
import { TaskApi } from "../../infra/taskApi";
import { type ProgramRun, runProgramUnderMocks } from "../../policy-check/programUnderMocks";
import { EngineUrns } from "../helpers/engineUrns";
import { runStack, single } from "../helpers/mockedProgram";

/** Today's URNs of the committed stacks, taken from the program before TaskApi (the fixture says how). */
const BEFORE = JSON.parse(readFileSync("tests/infra/fixtures/urnsBeforeTaskApi.json", "utf8")) as Record<
  string,
  string[]
>;

describe("the stack as one TaskApi component (infra/taskApi.ts)", function () {
  this.timeout(120_000);

  for (const stack of ["dev", "prod"]) {
    describe(`on ${stack}, a stack made before the component`, () => {
      let run: ProgramRun;
      let urns: EngineUrns;
      before(async () => {
        run = await runStack({}, stack);
        urns = new EngineUrns(run);
      });

      it("is one component at the stack's root, with no alias of its own", () => {
        const component = single(run, TASK_API_TYPE);
        expect(urns.urnOf(component)).to.equal(`urn:pulumi:${stack}::task-api::${TASK_API_TYPE}::task-api`);
        expect(component.options.aliases).to.deep.equal([]);
      });

      it("owns every other resource: each is the component's own child", () => {
        const owned = run.resources.filter((resource) => resource.type !== TASK_API_TYPE);
        expect(owned.length).to.equal(BEFORE[stack]?.length);
        for (const resource of owned) {
          expect(urns.parentOf(resource)?.type, `${resource.type}::${resource.name}`).to.equal(TASK_API_TYPE);
          expect(urns.urnOf(resource)).to.equal(
            `urn:pulumi:${stack}::task-api::${TASK_API_TYPE}$${resource.type}::${resource.name}`,
          );
        }
      });

      it("aliases each resource to the URN it has in the stack today, one for one, so that up replaces nothing", () => {
        const owned = run.resources.filter((resource) => resource.type !== TASK_API_TYPE);
        for (const resource of owned) expect(resource.options.aliases, resource.name).to.have.length(1);
        const aliased = owned.flatMap((resource) => urns.aliasUrnsOf(resource)).sort();
        expect(aliased).to.deep.equal(BEFORE[stack]);
      });
    });
  }

  it("made by another program, owns its resources under its own name and carries no aliases", async () => {
    const run = await runProgramUnderMocks(() => ({ ...new TaskApi("media-status", loadStackConfig()).outputs }), {
      stack: "dev",
    });
    const urns = new EngineUrns(run);
    const component = single(run, TASK_API_TYPE);
    expect(urns.urnOf(component)).to.equal(`urn:pulumi:dev::task-api::${TASK_API_TYPE}::media-status`);
    const owned = run.resources.filter((resource) => resource !== component);
    expect(owned).to.have.length(BEFORE.dev?.length ?? -1);
    for (const resource of owned) {
      expect(urns.parentOf(resource), resource.name).to.equal(component);
      expect(resource.options.aliases, resource.name).to.deep.equal([]);
    }
  });
});
