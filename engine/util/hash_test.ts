import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalJson, contentHash } from "./hash.ts";

/** The definition canonicalJson must match byte for byte: JSON.stringify of sorted copies. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    if (typeof v === "number" && !Number.isFinite(v)) throw new TypeError("non-finite");
    return v;
  });
}

const keys = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "0",
    "1",
    "2",
    "10",
    "01",
    "-1",
    "1.5",
    "4294967294",
    "4294967295",
    "a",
    "é",
    "Z",
  ),
);
const leaf = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("node")),
    fc.dictionary(keys, tie("node")),
  ),
})).node;

Deno.test("canonicalJson() equals JSON.stringify of key-sorted copies on 2,000 random values", () => {
  fc.assert(fc.property(tree, (v) => assert.equal(canonicalJson(v), reference(v))), {
    numRuns: 2_000,
    seed: 7,
  });
});

Deno.test("canonicalJson() sorts keys, puts index keys first in numeric order, drops undefined", () => {
  assert.equal(
    canonicalJson({ b: 1, a: [undefined, () => 1, -0], 10: "x", 2: { d: undefined, c: 2 } }),
    '{"2":{"c":2},"10":"x","a":[null,null,0],"b":1}',
  );
  assert.equal(canonicalJson(new Float64Array([0.5, 2])), '{"0":0.5,"1":2}');
  assert.equal(canonicalJson({ at: new Date(0) }), '{"at":"1970-01-01T00:00:00.000Z"}');
  assert.throws(() => canonicalJson({ x: Infinity }), /non-finite number \(Infinity\)/);
  assert.throws(() => canonicalJson({ x: 1n }), TypeError);
  assert.equal(contentHash({ b: 1, a: 2 }), contentHash({ a: 2, b: 1 }));
});
