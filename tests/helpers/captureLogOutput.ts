/**
 * Collects what is written to stdout and stderr while `body` runs, as lines: Powertools Logger
 * writes info and debug lines to stdout, warnings and errors to stderr.
 */
export async function captureLogOutput(body: () => Promise<unknown>): Promise<string[]> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
      return true;
    }) as typeof stream.write;
  }
  try {
    await body();
  } finally {
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
  }
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.includes("NodeVersionSupportWarning"));
}
