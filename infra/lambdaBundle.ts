import * as path from "node:path";
import { build, type Plugin } from "esbuild";

/** The file in the zip, and Lambda's handler setting that points at its export. */
export const BUNDLE_FILE = "index.mjs";
export const LAMBDA_HANDLER = "index.handler";

const HANDLER_ENTRY = path.join(__dirname, "..", "handler", "index.ts");

/** Swaps the SDK's default credential chain for a stub: the handler never uses it (see the stub). */
const withoutDefaultCredentialChain: Plugin = {
  name: "without-default-credential-chain",
  setup(bundle) {
    bundle.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(__dirname, "bundleStubs", "noDefaultCredentialChain.ts"),
    }));
  },
};

/**
 * Bundles the Lambda handler and everything it imports into one ES module, in memory. The
 * Pulumi program deploys this text and `npm run bundle` writes it to dist/lambda/: one function
 * serves both, so what is inspected and benchmarked is byte for byte what is deployed.
 */
export async function bundleHandler(): Promise<Record<string, string>> {
  const result = await build({
    entryPoints: [HANDLER_ENTRY],
    bundle: true,
    write: false,
    platform: "node",
    target: "node22",
    format: "esm",
    outfile: BUNDLE_FILE,
    // Prefer packages' ES module builds: smaller, and tree-shakeable.
    mainFields: ["module", "main"],
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
    plugins: [withoutDefaultCredentialChain],
    // Some bundled CommonJS code calls require() for Node built-ins; give the ES module one.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
  });
  const [output] = result.outputFiles;
  if (output === undefined || result.outputFiles.length !== 1) throw new Error("esbuild produced no single bundle");
  return { [BUNDLE_FILE]: output.text };
}
