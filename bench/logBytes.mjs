// Log bytes per poll: `node logBytes.mjs <handler module> <task id>...` imports the handler (with
// the environment's POWERTOOLS_LOG_LEVEL), serves each task ID 100 times, and reports the bytes
// the function wrote to stdout and stderr per invocation, by task ID.
const [, , target, ...taskIds] = process.argv;
const { handler } = await import(target);
const { invoke } = await import("./invoke.mjs");
let written = 0;
const count = (stream) => {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    written += Buffer.byteLength(chunk);
    return typeof rest[0] === "function" ? (rest[0]() ?? true) : true;
  };
  return write;
};
const realStderr = count(process.stderr);
count(process.stdout);
const results = {};
for (const taskId of taskIds) {
  const before = written;
  let status = 0;
  for (let i = 0; i < 100; i += 1) status = (await invoke(handler, taskId)).statusCode;
  results[taskId] = { bytesPerInvocation: (written - before) / 100, statusCode: status };
}
realStderr(`${JSON.stringify(results)}\n`);
