// Serves policies/index.ts the way the Pulumi CLI's policy host does
// (@pulumi/pulumi/cmd/run-policy-pack): from the pack's folder, through the CLI's vendored
// ts-node 7 over the project's TypeScript, type-checked. The pack prints the port of its
// gRPC analyzer on stdout and serves until killed; tests talk to it as the engine would.
const path = require("node:path");

const root = path.join(__dirname, "..");
process.chdir(path.join(root, "policies"));
const tsNode = require(path.join(root, "node_modules/@pulumi/pulumi/vendor/ts-node@7.0.1"));
tsNode.register({
  typeCheck: true,
  skipProject: false,
  compiler: require.resolve("typescript", { paths: [root] }),
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" },
});
require(path.join(root, "policies", "index.ts"));
