// Loaded first by mocha (.mocharc.json). The SDK warns once per process that releases after
// January 2027 need Node 22; Lambda runs nodejs22.x, and the warning only clutters test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
