import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";

describe("npm run chaos (a small run)", function () {
  this.timeout(180_000);

  it("runs writers, pollers and the sweeper through its faults on loopback, and finds no regression", async () => {
    // A small, seeded run: the invariants hold whatever the timing; npm run chaos makes the full one.
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "--silent", "chaos", "--", "--lifecycles", "32", "--writers", "4", "--pollers", "2", "--seed", "7"],
      { maxBuffer: 1 << 20 },
    );
    expect(stdout).to.match(/^chaos run \(seed 7, Node v\d+/);
    expect(stdout).to.match(/^kit calls \d+: acknowledged [1-9]\d*/m);
    expect(stdout).to.match(/^faults applied: pass \d+, delay \d+, hold 0, dropAnswer \d+, reset \d+, hang \d+/m);
    expect(stdout).to.match(/^polls [1-9]\d*:/m);
    expect(stdout).to.match(/^regressions 0, acknowledged writes absent from the table 0$/m);
  });
});
