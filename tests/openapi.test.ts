import { readFileSync } from "node:fs";
import * as path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { expect } from "chai";
import { parse } from "yaml";

const FILE = path.join(__dirname, "..", "openapi.yaml");

describe("openapi.yaml", () => {
  it("is a valid OpenAPI 3.1 document (swagger-parser, an independent validator)", async () => {
    const api = await SwaggerParser.validate(FILE);
    expect(Object.keys(api.paths ?? {})).to.deep.equal(["/task/{task_id}", "/tasks/batch-get"]);
  });

  it("would fail that validation if a response lost its description (the check can fail)", async () => {
    const document = parse(readFileSync(FILE, "utf8"));
    delete document.paths["/task/{task_id}"].get.responses["503"].description;
    const failure = await SwaggerParser.validate(document).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(Error);
  });
});
