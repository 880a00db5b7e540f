import assert from "node:assert/strict";
import fc from "fast-check";
import { type Block, decodeBlock, decodeBlocksWithin, emptyBlock, encodeBlock } from "./block.ts";

const COLUMNS = [
  "day",
  "flags",
  "units",
  "price",
  "competitor",
  "onHand",
  "onOrder",
  "nextReceipt",
] as const;

/** The reference: every part unpacked, the days in the span kept, in order. */
function reference(parts: readonly Block[], from: number, to: number): Block {
  const keep = parts.flatMap((p) =>
    [...p.day.keys()].filter((i) => p.day[i] >= from && p.day[i] < to).map((i) => [p, i] as const)
  );
  const out = emptyBlock(keep.length);
  keep.forEach(([p, i], at) => {
    for (const c of COLUMNS) out[c][at] = p[c][i];
  });
  return out;
}

Deno.test("decodeBlocksWithin() gives what unpacking every block and keeping the span's days gives", () => {
  const month = fc.integer({ min: 0, max: 31 }).chain((n) =>
    fc.tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ noNaN: false }), { minLength: 5 * n, maxLength: 5 * n }),
      fc.array(fc.integer({ min: -1, max: 30_000 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 15 }), { minLength: n, maxLength: n }),
    )
  );
  fc.assert(
    fc.property(
      fc.array(month, { maxLength: 4 }),
      fc.integer({ min: -5, max: 130 }),
      fc.integer({ min: 0, max: 60 }),
      (specs, from, span) => {
        const parts = specs.map(([days, values, receipts, flags], m) => {
          const sorted = [...days].sort((a, b) => a - b);
          const b = emptyBlock(sorted.length);
          sorted.forEach((d, i) => {
            b.day[i] = 31 * m + d;
            b.flags[i] = flags[i];
            b.nextReceipt[i] = receipts[i];
            (["units", "price", "competitor", "onHand", "onOrder"] as const).forEach((
              c,
              k,
            ) => (b[c][i] = values[5 * i + k]));
          });
          return b;
        });
        const got = decodeBlocksWithin(parts.map(encodeBlock), from, from + span);
        assert.deepEqual(
          got,
          reference(parts.map((p) => decodeBlock(encodeBlock(p))), from, from + span),
        );
      },
    ),
    { seed: 13, numRuns: 300 },
  );
  assert.throws(() => decodeBlocksWithin([new Uint8Array(3)], 0, 10), RangeError);
});
