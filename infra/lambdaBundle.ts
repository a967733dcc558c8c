import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type BuildOptions, build, type Plugin } from "esbuild";

/**
 * The bundle may not grow past this (it measures 222.8 KiB: 213.0, then 1.9 for the deadlines,
 * 4.3 for batch-get, mostly lib-dynamodb's BatchGetCommand, 1.1 for webhooks' CallbackUrl and
 * EstimatedSeconds and the poll hint's rate at the last write, 0.4 for the deadline grace, 2.4
 * for the record's one table of fields, by which the API projects and checks what it reads;
 * the table's descriptions are kept apart so that the bundler drops them): every
 * KiB is loaded and compiled at each cold start, at 128 MB. Raise it only on purpose, with the
 * reason in the commit.
 */
export const BUNDLE_BUDGET_KIB = 223;

/**
 * The Lambda runtime every function runs on, and so what the bundle targets. Node.js 24 (Lambda's
 * nodejs24.x since November 2025): Node.js 22's support ends in April 2027, and Lambda's
 * deprecation of nodejs22.x follows it. https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS24dX;
const NODE_TARGET = LAMBDA_RUNTIME.replace(/^nodejs(\d+)\.x$/, "node$1");

/** The file in the zip, and Lambda's handler setting that points at its export. */
export const BUNDLE_FILE = "index.mjs";
export const LAMBDA_HANDLER = "index.handler";

/** The functions the program deploys, each the bundle of its entry module. */
const ENTRIES = {
  status: path.join(__dirname, "..", "handler", "index.ts"),
  sweeper: path.join(__dirname, "..", "sweeper", "index.ts"),
  webhooks: path.join(__dirname, "..", "webhooks", "index.ts"),
} as const;

export type FunctionEntry = keyof typeof ENTRIES;

/**
 * Modules the function never runs, swapped for small stubs at bundle time (each stub says why):
 * the SDK's default credential chain and its event stream codecs, and a smaller LRU cache for
 * the endpoint-discovery cache the DynamoDB client makes but never fills.
 */
export const BUNDLE_STUBS: ReadonlyArray<{ module: RegExp; stub: string }> = [
  { module: /^@aws-sdk\/credential-provider-node$/, stub: "noDefaultCredentialChain.ts" },
  { module: /^@smithy\/core\/event-streams$/, stub: "noEventStreams.ts" },
  { module: /^mnemonist\/lru-cache$/, stub: "smallLruCache.ts" },
];

const withoutUnusedModules: Plugin = {
  name: "without-unused-modules",
  setup(bundle) {
    for (const { module, stub } of BUNDLE_STUBS) {
      bundle.onResolve({ filter: module }, () => ({ path: path.join(__dirname, "bundleStubs", stub) }));
    }
  },
};

/** Some bundled CommonJS code calls require() for Node built-ins; this gives an ES module bundle one. */
export const ESM_REQUIRE_BANNER = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** The esbuild options of a deployed bundle, shared by every caller so that all see the same bytes. */
const BUILD_OPTIONS = {
  bundle: true,
  write: false,
  platform: "node",
  target: NODE_TARGET,
  format: "esm",
  outfile: BUNDLE_FILE,
  // Prefer packages' ES module builds: smaller, and tree-shakeable.
  mainFields: ["module", "main"],
  // The kits' sources (their exports' "task-api-source" condition), never a dist/ that may be stale.
  // Naming conditions drops esbuild's default "module", which picks packages' ES builds: keep it.
  conditions: ["task-api-source", "module"],
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "silent",
  plugins: [withoutUnusedModules],
  banner: { js: ESM_REQUIRE_BANNER },
} satisfies BuildOptions;

/**
 * Bundles the Lambda handler and everything it imports into one ES module, in memory. The
 * Pulumi program deploys this text and `npm run bundle` writes it to dist/lambda/: one function
 * serves both, so what is inspected and benchmarked is byte for byte what is deployed.
 */
export function bundleHandler(): Promise<Record<string, string>> {
  return bundleFunction("status");
}

/** Bundles one of the program's functions (the status handler, the deadline sweeper), as bundleHandler does. */
export function bundleFunction(entry: FunctionEntry): Promise<Record<string, string>> {
  return bundleModule(ENTRIES[entry]);
}

/** Bundles any module with the deployed functions' settings and stubs (the bench's SDK floor uses it). */
export async function bundleModule(entryPath: string): Promise<Record<string, string>> {
  const result = await build({ ...BUILD_OPTIONS, entryPoints: [entryPath] });
  const [output] = result.outputFiles;
  if (output === undefined || result.outputFiles.length !== 1) throw new Error("esbuild produced no single bundle");
  return { [BUNDLE_FILE]: output.text };
}

/** A function's code as Pulumi deploys it: its bundle, in memory, as the zip's one file. */
export function functionArchive(entry: FunctionEntry): pulumi.asset.AssetArchive {
  const text = bundleFunction(entry).then((bundle) => {
    const file = bundle[BUNDLE_FILE];
    if (file === undefined) throw new Error(`the bundle has no ${BUNDLE_FILE}`);
    return file;
  });
  return new pulumi.asset.AssetArchive({ [BUNDLE_FILE]: new pulumi.asset.StringAsset(text) });
}

/** Bytes of the bundle by package (or "(project)"), largest first: what a cold start loads. */
export async function bundleComposition(): Promise<Array<{ name: string; bytes: number }>> {
  const result = await build({ ...BUILD_OPTIONS, entryPoints: [ENTRIES.status], metafile: true });
  const [output] = Object.values(result.metafile.outputs);
  if (output === undefined) throw new Error("esbuild produced no bundle");
  const byPackage = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? "(project)";
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}
