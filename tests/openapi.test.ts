import * as path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { expect } from "chai";

const FILE = path.join(__dirname, "..", "openapi.yaml");

describe("openapi.yaml", () => {
  it("is a valid OpenAPI 3.1 document describing both routes (swagger-parser, an independent validator)", async () => {
    const api = await SwaggerParser.validate(FILE);
    expect(Object.keys(api.paths ?? {})).to.deep.equal(["/task/{task_id}", "/tasks/batch-get"]);
  });
});
