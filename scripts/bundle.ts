/**
 * `npm run bundle`: writes the Lambda bundle to dist/lambda/, byte for byte what the Pulumi
 * program deploys (both call bundleHandler), for inspection and benchmarking.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { bundleHandler } from "../infra/lambdaBundle";

const BUNDLE_DIR = path.join(__dirname, "..", "dist", "lambda");

async function main(): Promise<void> {
  const files = await bundleHandler();
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await mkdir(BUNDLE_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(BUNDLE_DIR, name), text);
    console.log(
      `${path.relative(process.cwd(), path.join(BUNDLE_DIR, name))}  ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
