import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Block,
  decodeBlock,
  decodeBlocksWithin,
  emptyBlock,
  encodeBlock,
  isFullWidthBlock,
} from "./block.ts";
import { fullWidth } from "./_full_width.ts";

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

/** Any number a column may hold: cents, whole units, large, negative zero, NaN, any double. */
const anyValue = fc.oneof(
  fc.integer({ min: 1, max: 99_999 }).map((c) => c / 100),
  fc.integer({ min: 0, max: 40_000 }),
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }),
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map((c) => c / 100),
  fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, 32767, -32767, 32768, 2147483647, 1e300, 5e-324),
  fc.double(),
);

const anyMonth = fc.integer({ min: 0, max: 31 }).chain((n) =>
  fc.tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: n, maxLength: n }),
    fc.array(fc.constantFrom("units", "price", "competitor", "onHand", "onOrder"), {
      maxLength: 5,
    }),
    fc.array(anyValue, { minLength: 5 * n, maxLength: 5 * n }),
    fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2_000_000 })), {
      minLength: n,
      maxLength: n,
    }),
    fc.array(fc.integer({ min: 0, max: 15 }), { minLength: n, maxLength: n }),
  ).map(([days, unknown, values, receipts, flags]) => {
    const sorted = [...days].sort((a, b) => a - b);
    const b = emptyBlock(sorted.length);
    sorted.forEach((d, i) => {
      b.day[i] = 20_000 + d;
      b.flags[i] = flags[i];
      b.nextReceipt[i] = receipts[i];
      (["units", "price", "competitor", "onHand", "onOrder"] as const).forEach((c, k) =>
        b[c][i] = unknown.includes(c) ? NaN : values[5 * i + k]
      );
    });
    return b;
  })
);

Deno.test("encodeBlock() packs narrow and decodeBlock() gives every value back bit for bit", () => {
  fc.assert(
    fc.property(anyMonth, (b) => {
      const packed = encodeBlock(b);
      assert.deepStrictEqual(decodeBlock(packed), b);
      assert.deepStrictEqual(decodeBlock(fullWidth(b)), b);
      assert.ok(packed.byteLength <= fullWidth(b).byteLength + 12);
      assert.equal(isFullWidthBlock(packed), false);
      assert.equal(isFullWidthBlock(fullWidth(b)), true);
    }),
    { seed: 14, numRuns: 500 },
  );
});

Deno.test("decodeBlocksWithin() reads blocks of both packings side by side", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(anyMonth, fc.boolean()), { maxLength: 4 }),
      fc.integer({ min: 19_990, max: 20_140 }),
      fc.integer({ min: 0, max: 60 }),
      (months, from, span) => {
        const parts = months.map(([b, _], m) => {
          const moved = decodeBlock(encodeBlock(b));
          for (let i = 0; i < moved.day.length; i++) moved.day[i] += 31 * m;
          return moved;
        });
        const packed = parts.map((p, m) => (months[m][1] ? fullWidth(p) : encodeBlock(p)));
        assert.deepStrictEqual(
          decodeBlocksWithin(packed, from, from + span),
          reference(parts, from, from + span),
        );
      },
    ),
    { seed: 15, numRuns: 300 },
  );
});

Deno.test("a month of a store's history packs within a page's share of a B-tree leaf", () => {
  const b = emptyBlock(31);
  for (let i = 0; i < 31; i++) {
    b.day[i] = 20_000 + i;
    b.flags[i] = 7;
    b.units[i] = 3 + (i % 5);
    b.price[i] = 2.99;
    b.competitor[i] = 3.09;
    b.onHand[i] = 40 - i;
    b.onOrder[i] = 24;
    b.nextReceipt[i] = 20_033;
  }
  // SQLite keeps a WITHOUT ROWID row of up to about 1,000 bytes in a 4,096-byte page; the
  // first packing (1,527 bytes) spilled every month onto an overflow page.
  assert.equal(encodeBlock(b).byteLength, 446);
  assert.equal(fullWidth(b).byteLength, 1527);
  assert.deepStrictEqual(decodeBlock(encodeBlock(b)), b);
});

Deno.test("decodeBlock() refuses bytes that are not a block, naming what is wrong", () => {
  const two = emptyBlock(2);
  two.day.set([20_000, 20_001]);
  const packed = encodeBlock(two);
  assert.equal(isFullWidthBlock(packed), false);
  assert.throws(() => decodeBlock(packed.subarray(0, packed.byteLength - 1)), /do not fit/);
  const bad = packed.slice();
  bad[6] = 9;
  assert.throws(() => decodeBlock(bad), /unknown column mode 9/);
  assert.throws(() => decodeBlock(new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0])), RangeError);
});
