import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const DOCUMENT_ID = "https://task-api.local/openapi.json";

interface OpenApiHeader {
  required?: boolean;
  $ref?: string;
}

interface OpenApiResponse {
  headers?: Record<string, OpenApiHeader>;
  content?: Record<string, unknown>;
}

/**
 * The contract in openapi.yaml, checked against live responses: status documented, every
 * required header present and every documented header matching its schema, and the JSON body
 * matching the response schema (or no body where none is documented).
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly document: { paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>> };

  constructor(file = path.join(__dirname, "..", "..", "openapi.yaml")) {
    this.document = parse(readFileSync(file, "utf8"));
    addFormats(this.ajv);
    this.ajv.addSchema({ ...this.document, $id: DOCUMENT_ID });
  }

  /** Every way the response breaks the contract; empty when it keeps it. */
  check(route: string, method: string, status: number, headers: Headers, body: string): string[] {
    const pointer = ["paths", route, method, "responses", String(status)];
    const response = this.document.paths[route]?.[method]?.responses[String(status)];
    if (response === undefined) return [`status ${status} is not documented for ${method.toUpperCase()} ${route}`];
    const problems: string[] = [];
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = this.resolveHeader(declared);
      const value = headers.get(name);
      if (value === null) {
        if (header.required === true) problems.push(`header ${name} is missing`);
        continue;
      }
      const validate = this.ajv.getSchema(
        `${DOCUMENT_ID}#${toPointer([...this.headerPointer(declared, pointer, name), "schema"])}`,
      );
      if (validate !== undefined && !validate(value))
        problems.push(`header ${name}: ${this.ajv.errorsText(validate.errors)}`);
    }
    const content = response.content?.["application/json"];
    if (content === undefined) {
      if (body !== "") problems.push(`a ${status} has no documented body, but one came: ${body.slice(0, 80)}`);
      // No content, so nothing for content headers to describe (RFC 9110 §15.4.5 for a 304).
      const contentType = headers.get("content-type");
      if (contentType !== null) problems.push(`a ${status} has no content, but says content-type: ${contentType}`);
      return problems;
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return [...problems, `the body is not JSON: ${body.slice(0, 80)}`];
    }
    const validate = this.ajv.getSchema(
      `${DOCUMENT_ID}#${toPointer([...pointer, "content", "application/json", "schema"])}`,
    );
    if (validate === undefined) return [...problems, "the response schema could not be compiled"];
    if (!validate(json)) problems.push(`body: ${this.ajv.errorsText(validate.errors)}`);
    return problems;
  }

  private resolveHeader(declared: OpenApiHeader): OpenApiHeader {
    if (declared.$ref === undefined) return declared;
    const name = declared.$ref.split("/").at(-1) ?? "";
    return (
      (this.document as unknown as { components: { headers: Record<string, OpenApiHeader> } }).components.headers[
        name
      ] ?? {}
    );
  }

  private headerPointer(declared: OpenApiHeader, responsePointer: string[], name: string): string[] {
    if (declared.$ref !== undefined) return declared.$ref.replace(/^#\//, "").split("/");
    return [...responsePointer, "headers", name];
  }
}

function toPointer(segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/")}`;
}
