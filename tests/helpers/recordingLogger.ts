import type { Context } from "aws-lambda";
import type { RequestLogger } from "../../handler/httpAdapter";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  attributes: Record<string, unknown>;
  /** The keys appended for the request when the line was written. */
  keys: Record<string, string>;
  requestId: string | undefined;
}

/** A RequestLogger that keeps every line, with the request keys in force when it was written. */
export class RecordingLogger implements RequestLogger {
  readonly lines: LogLine[] = [];
  private keys: Record<string, string> = {};
  private requestId: string | undefined;

  addContext(context: Context): void {
    this.requestId = context.awsRequestId;
  }
  appendKeys(keys: Record<string, string>): void {
    this.keys = { ...this.keys, ...keys };
  }
  resetKeys(): void {
    this.keys = {};
    this.requestId = undefined;
  }
  debug(message: string, attributes: Record<string, unknown>): void {
    this.record("debug", message, attributes);
  }
  info(message: string, attributes: Record<string, unknown>): void {
    this.record("info", message, attributes);
  }
  warn(message: string, attributes: Record<string, unknown>): void {
    this.record("warn", message, attributes);
  }
  error(message: string, attributes: Record<string, unknown>): void {
    this.record("error", message, attributes);
  }

  /** Every line as text, for asserting what must never be logged. */
  text(): string {
    return this.lines.map((line) => JSON.stringify(line, errorReplacer)).join("\n");
  }

  private record(level: LogLine["level"], message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level, message, attributes, keys: { ...this.keys }, requestId: this.requestId });
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, cause: value.cause } : value;
}
