/**
 * Bundles a processor's handler the way a processor team's build would: esbuild, one ES module,
 * minified, the packages' ES builds, and @task-api/processor resolved as npm installs it (its
 * exports' default condition: the compiled dist/, never this repository's sources).
 */
import { build, type Metafile } from "esbuild";
import { ESM_REQUIRE_BANNER } from "../../infra/lambdaBundle";

export async function bundleProcessor(entry: string): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile: "index.mjs",
    mainFields: ["module", "main"],
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
    banner: { js: ESM_REQUIRE_BANNER },
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild produced no bundle");
  return { text: output.text, metafile: result.metafile };
}
