import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** `git status --porcelain` of the repository, untracked files listed one by one (ignored ones are not). */
function gitStatus(): string {
  return execFileSync("git", ["status", "--porcelain=v1", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" });
}

let before: string | undefined;

/**
 * Root hooks (loaded by .mocharc.json): the run must leave the working tree as it found it. A
 * test that writes a tracked file, or an untracked one git does not ignore, fails the run here.
 */
export const mochaHooks = {
  beforeAll(): void {
    before = gitStatus();
  },
  afterAll(): void {
    const after = gitStatus();
    if (before !== undefined && after !== before) {
      throw new Error(`the tests changed the working tree:\nbefore:\n${before || "(clean)\n"}after:\n${after}`);
    }
  },
};
