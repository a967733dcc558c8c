import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect } from "chai";
import { LAMBDA_NODE_MAJOR } from "../../scripts/lambdaNode";

describe("npm run bench -- --quick", function () {
  this.timeout(180_000);

  it("runs end to end and writes every figure to quick.json, leaving latest.json to real runs (no timing is asserted)", async () => {
    const latest = await readFile("bench/results/latest.json", "utf8").catch(() => undefined);
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "bench", "--", "--quick"], {
      maxBuffer: 1 << 20,
    });
    expect(stdout).to.match(/^task-api bench on .+ \(\d+ cores/);
    const results = JSON.parse(await readFile("bench/results/quick.json", "utf8"));
    expect(await readFile("bench/results/latest.json", "utf8").catch(() => undefined)).to.equal(latest);
    expect(results.quick).to.equal(true);
    // Whatever Node runs npm, the measured processes run on the Node.js the functions deploy on.
    expect(results.machine.node).to.match(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
    expect(stdout).to.include(`Node ${results.machine.node}`);
    const figures = [
      results.bundleKiB,
      results.cold.bare.cpuMs,
      results.cold.bundle.cpuMs,
      results.cold.floor.cpuMs,
      results.coldCpuRatio.vsFloor,
      results.floorBundleKiB,
      results.bundleVsFloor,
      results.cold.conventional.cpuMs,
      results.cold.bundle.peakRssMb,
      results.coldCpuRatio.vsBare,
      results.coldCpuRatio.vsConventional,
      results.warmCpuUsPerInvocation.bundle.completed,
      results.warmCpuUsPerInvocation.bundle.missing,
      results.signOneUrlUs,
      results.warmCpuUsPerInvocation.floor.completed,
      results.warmCpuRatioVsFloor.completed,
      results.logBytesPerPoll.debug.completed,
      results.bundleTopPackagesKiB[0].kib,
      results.processor.coldCpuMs.kit,
      results.processor.coldCpuMs.floor,
      results.processor.coldCpuRatioVsFloor,
      results.processor.bundleKiB.kit,
      results.sender.coldCpuMs.sender,
      results.sender.coldCpuMs.status,
      results.sender.coldCpuRatioVsStatus,
      results.sender.bundleKiB,
    ];
    for (const figure of figures) expect(figure).to.be.a("number").and.be.greaterThan(0);
    // The figures it reports agree with each other: the size ratio is the two sizes' quotient, and
    // the per-package breakdown is part of the bundle, largest first.
    expect(results.bundleVsFloor).to.be.closeTo(results.bundleKiB / results.floorBundleKiB, 0.01);
    const packages: Array<{ kib: number }> = results.bundleTopPackagesKiB;
    expect(packages.reduce((sum, p) => sum + p.kib, 0)).to.be.at.most(results.bundleKiB);
    expect(packages.map((p) => p.kib)).to.deep.equal([...packages.map((p) => p.kib)].sort((a, b) => b - a));
    // The default level writes nothing for a successful poll; DEBUG writes its line.
    expect(results.logBytesPerPoll.info.completed).to.equal(0);
    expect(stdout).to.match(/^bundle's largest packages$/m);
    // A processor that bundles TaskWriter does not carry the EventBridge client republish needs.
    expect(results.processor.eventBridgeInKitBundle).to.equal(false);
    // The sender's cold start made its delivery, and the receiver verified its signature.
    expect(results.sender.deliveriesVerified).to.equal(results.rounds);
  });
});
