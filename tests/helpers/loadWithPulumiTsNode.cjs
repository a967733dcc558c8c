// Loads index.ts the way the Pulumi CLI's Node.js language host does for a TypeScript project
// without "type": "module": its vendored ts-node 7 registered over the project's own TypeScript and
// tsconfig.json, type-checking as it compiles. Run under mocks; prints the resource count as JSON.
// A tsconfig or import that `pulumi up` could not load fails here, not at deploy time.
const path = require("node:path");

const root = path.join(__dirname, "..", "..");
const tsNode = require(path.join(root, "node_modules/@pulumi/pulumi/vendor/ts-node@7.0.1"));
tsNode.register({
  compiler: require.resolve("typescript", { paths: [root] }),
  project: path.join(root, "tsconfig.json"),
  // What the language host passes for TypeScript >= 4.7 (pulumi/cmd/run/run.js).
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" },
});

const pulumi = require("@pulumi/pulumi");
const types = [];
// The dev stack's config as the CLI hands it over: Pulumi.dev.yaml over Pulumi.yaml's defaults.
const { readStackConfig } = require(path.join(root, "policy-check/stackConfigFiles.ts"));
pulumi.runtime.setAllConfig(readStackConfig("dev"));
pulumi.runtime
  .setMocks(
    {
      newResource(args) {
        types.push(args.type);
        return {
          id: args.name,
          state: { ...args.inputs, name: args.name, arn: `arn:aws:mock:eu-west-1:123456789012:${args.name}` },
        };
      },
      call: () => ({ region: "eu-west-1", name: "eu-west-1", id: "eu-west-1" }),
    },
    "task-api",
    "dev",
    false,
  )
  .then(async () => {
    // As the language host runs a program: inside the root stack resource.
    let program;
    await pulumi.runtime.runInPulumiStack(async () => {
      program = require(path.join(root, "index.ts"));
      return program;
    });
    await pulumi.runtime.disconnect();
    const resources = types.filter((type) => type !== "pulumi:pulumi:Stack").length;
    process.stdout.write(`${JSON.stringify({ resources, exports: Object.keys(program).sort() })}\n`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
