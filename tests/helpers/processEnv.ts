/**
 * Sets process environment variables (undefined removes one) and returns what puts them back.
 * The SDK reads AWS_ENDPOINT_URL_* when a client is made and credentials when a request is
 * signed, so a suite keeps its base environment set for as long as its handlers run.
 */
function setProcessEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  assign(vars);
  return () => assign(saved);
}

/** Runs `body` with some variables set, then puts them back. */
export async function withProcessEnv<T>(
  vars: Record<string, string | undefined>,
  body: () => Promise<T> | T,
): Promise<T> {
  const restore = setProcessEnv(vars);
  try {
    return await body();
  } finally {
    restore();
  }
}

function assign(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
