import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { deployPolicyDocument } from "../../infra/deployPermissions";
import { deployTargetOf } from "../../policy-check/deployTargets";

describe("deploy permissions for a real account and project (npm run deploy-permissions -- --account)", function () {
  this.timeout(60_000);

  it("writes every document complete for the account: no placeholder left to replace by hand", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "perms-"));
    try {
      await promisify(execFile)("npm", [
        "run",
        "--silent",
        "deploy-permissions",
        "--",
        "--account",
        "111122223333",
        "--out",
        out,
      ]);
      const files = readdirSync(out).sort();
      expect(files).to.deep.equal([
        "deploy-permissions.dev.json",
        "deploy-permissions.prod.json",
        "deploy-permissions.smoke.json",
        "permissions-boundary.json",
        "preview-permissions.json",
      ]);
      for (const file of files) {
        const text = readFileSync(path.join(out, file), "utf8");
        expect(text, file).to.not.match(/<[a-z]+>/);
        expect(text, file).to.include(":111122223333:");
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("takes the project's real name from Pulumi.yaml, so a renamed project's names match", () => {
    const root = mkdtempSync(path.join(tmpdir(), "project-"));
    try {
      writeFileSync(
        path.join(root, "Pulumi.yaml"),
        readFileSync("Pulumi.yaml", "utf8").replace(/^name: .*$/m, "name: media-status"),
      );
      writeFileSync(
        path.join(root, "Pulumi.dev.yaml"),
        readFileSync("Pulumi.dev.yaml", "utf8").replaceAll("task-api:", "media-status:"),
      );
      const text = JSON.stringify(deployPolicyDocument(deployTargetOf("dev", "111122223333", root)));
      expect(text).to.include("function:media-status-dev-status").and.include("event-bus/media-status-dev");
      expect(text).to.include("policy/media-status-permissions-boundary");
      expect(text).to.not.include("function:task-api-");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
