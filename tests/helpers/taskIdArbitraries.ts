import fc from "fast-check";

/** IDs of the allowed alphabet, up to the 128 limit and a little past it. */
const wellFormedish = fc.stringMatching(/^[A-Za-z0-9._:-]{0,140}$/);

/** Task IDs a caller or an attacker might send: anything at all, weighted toward the edges. */
export const anyTaskId: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: "binary", maxLength: 64 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }), weight: 2 },
  { arbitrary: wellFormedish, weight: 3 },
  // Control characters, quotes, separators and path tricks.
  {
    arbitrary: fc.string({
      unit: fc.constantFrom("\u0000", "\n", "\r", "\t", '"', "'", "\\", "/", "%", "..", " ", "\u202e", "\ufeff", "${"),
      maxLength: 20,
    }),
    weight: 2,
  },
  // Huge inputs: past DynamoDB's 2048-byte key limit and API Gateway's URL sizes.
  { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1000, maxLength: 10_000 }), weight: 1 },
);
