import { expect } from "chai";
import { cachingHeaders, entityTag, versionsInIfNoneMatch } from "../../handler/conditionalRequest";

describe("versionsInIfNoneMatch", () => {
  const cases: Array<[string | undefined, string[]]> = [
    [undefined, []],
    ['W/"abc"', ["abc"]],
    ['"abc"', ["abc"]],
    ['W/"a", "b" ,W/"c"', ["a", "b", "c"]],
    ["*", ["*"]],
    ["garbage", []],
  ];
  for (const [header, versions] of cases) {
    it(`reads ${JSON.stringify(header)} as ${JSON.stringify(versions)}`, () => {
      expect(versionsInIfNoneMatch(header)).to.deep.equal(versions);
    });
  }

  it("reads back the tag it writes", () => {
    expect(versionsInIfNoneMatch(entityTag("Xy_9-z"))).to.deep.equal(["Xy_9-z"]);
  });
});

describe("cachingHeaders", () => {
  it("is private with a max-age, and carries Retry-After only while in progress", () => {
    const base = { task: undefined, version: "v1", freshForSeconds: 5, status: "processing" };
    expect(cachingHeaders({ ...base, retryAfterSeconds: 2 })).to.deep.equal({
      etag: 'W/"v1"',
      "cache-control": "private, max-age=5",
      "retry-after": "2",
    });
    expect(cachingHeaders({ ...base, retryAfterSeconds: undefined })).to.not.have.property("retry-after");
  });
});
