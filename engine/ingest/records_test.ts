import assert from "node:assert/strict";
import fc from "fast-check";
import { type CellType, CONTRACT } from "../schema/contract.ts";
import {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../schema/inputs.ts";
import { fromDayNumber, toDayNumber } from "../util/date.ts";
import { type AnyRecord, type KindAdapter, KINDS, type RecordKind } from "./kinds.ts";
import { checkHeader, type HeaderMap, readRow } from "./rows.ts";
import { importFiles } from "./import.ts";
import { openStore } from "../store/db.ts";
import { readImports, readSales } from "../store/queries.ts";

const SCHEMAS = {
  catalog: CatalogRecord,
  sales: SalesRecord,
  inventory: InventoryRecord,
  competitor: CompetitorPriceRecord,
} as const;

const numberText = (x: number) => fc.constantFrom(String(x), x.toExponential(), `+${x}`);
const first = toDayNumber("2000-01-01"), last = toDayNumber("2199-12-31");

/** Cell texts the contract accepts for each type, boundaries included. */
const CELL: Record<CellType, fc.Arbitrary<string>> = {
  sku: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
  date: fc.integer({ min: first, max: last }).map(fromDayNumber),
  timestamp: fc.integer({ min: first, max: last }).map((d) => `${fromDayNumber(d)}T10:30`),
  text: fc.oneof(
    fc.constantFrom("x".repeat(64), "y".repeat(65), "z".repeat(200)),
    fc.string({ minLength: 1, maxLength: 200, unit: "grapheme", size: "max" })
      // deno-lint-ignore no-control-regex -- control characters are what a text cell may not hold
      .filter((t) => t.trim() !== "" && !/[\u0000-\u001f\u007f]/.test(t)),
  ),
  count: fc.oneof(
    fc.constantFrom("0", String(Number.MAX_SAFE_INTEGER), "1e3", "5.0"),
    fc.nat().chain(numberText),
  ),
  integer: fc.integer({ min: -1e6, max: 1e6 }).map(String),
  money: fc.oneof(
    fc.constantFrom("0", "1.7976931348623157e308"),
    fc.double({ min: 0, max: 1e9, noNaN: true }).map(String),
  ),
  price: fc.oneof(
    fc.constantFrom("5e-324", "1.7976931348623157e308"),
    fc.double({ min: 1e-6, max: 1e6, noNaN: true }).map(String),
  ),
  fraction: fc.oneof(
    fc.constantFrom("0", "0.9999999999999999"),
    fc.double({ min: 0, max: 0.999, noNaN: true }).map(String),
  ),
  change: fc.oneof(
    fc.constantFrom("1", "5e-324"),
    fc.double({ min: 1e-6, max: 1, noNaN: true }).map(String),
  ),
  boolean: fc.constantFrom("true", "false", "TRUE", "0", "1"),
  price_ending: fc.constantFrom("any", "9", "99", "49|99"),
};

Deno.test("every record the importer accepts from a row satisfies its kind's schema (property, seeded)", () => {
  for (const kind of Object.keys(SCHEMAS) as RecordKind[]) {
    const spec = CONTRACT[kind];
    const map = checkHeader(spec, spec.columns.map((c) => c.name), `${kind}.csv`) as HeaderMap;
    const adapter = KINDS[kind] as KindAdapter<AnyRecord>;
    // Mostly valid cells; now and then an empty one (a default, a null, or a refusal).
    const cell = (type: CellType) =>
      fc.oneof({ arbitrary: CELL[type], weight: 19 }, { arbitrary: fc.constant(""), weight: 1 });
    const row = fc.tuple(...spec.columns.map((c) => cell(c.type)));
    let accepted = 0;
    fc.assert(
      fc.property(row, (cells) => {
        const read = readRow(map, cells, { file: `${kind}.csv`, line: 2 });
        if (!read.ok) return; // refused, with its problems named
        const record = adapter.toRecord(read.values, "imported");
        if (adapter.check(record).length) return;
        accepted++;
        const parsed = SCHEMAS[kind].safeParse(record);
        assert.ok(parsed.success, `${kind} ${JSON.stringify(cells)}: ${parsed.error?.message}`);
      }),
      { seed: 1102, numRuns: 1000 },
    );
    assert.ok(accepted >= 50, `${kind}: only ${accepted} rows reached the schema`);
  }
});

Deno.test("a catalog row with a category longer than 64 characters is refused as a row problem", () => {
  const spec = CONTRACT.catalog;
  const map = checkHeader(spec, spec.columns.map((c) => c.name), "c.csv") as HeaderMap;
  const cells = ["A1", "2024-01-01", "", "1", "2", "3", "0.1", "0.1", "any", "true", ""];
  const problems = (category: string) => {
    const read = readRow(map, cells.with(2, category), { file: "c.csv", line: 2 });
    assert.ok(read.ok);
    return KINDS.catalog.check(KINDS.catalog.toRecord(read.values, "imported"))
      .map((c) => [c.column, c.rule]);
  };
  assert.deepEqual(problems("x".repeat(65)), [["category", "bad_text"]]);
  assert.deepEqual(problems("x".repeat(64)), []);
});

const bytes = (text: string) => new TextEncoder().encode(text);
const CATALOG_FILE = {
  file: "catalog.csv",
  kind: "catalog" as const,
  bytes: bytes(
    "sku,effective_date,category,unit_cost,floor_price,ceiling_price,min_margin,max_daily_change,price_ending,active\n" +
      "A1,2024-01-01,gifts,1,2,3,0.1,0.1,any,true\n",
  ),
};

Deno.test("importFiles() refuses a day of point-of-sale lines that adds up beyond what a store keeps, naming its first line", async () => {
  const db = openStore(":memory:");
  try {
    const lines = "sku,timestamp,quantity,unit_price\n" +
      "A1,2024-01-02,9000000000000000,2\nA1,2024-01-02,9000000000000000,2\n" +
      "A1,2024-01-03,1,1e308\nA1,2024-01-03,9,1e308\nA1,2024-01-04,1,2\n";
    const { report, problems } = await importFiles(db, [
      CATALOG_FILE,
      { file: "pos.csv", kind: "transactions", bytes: bytes(lines) },
    ], { asOf: "2024-02-01", actor: "test", onError: "skip" });
    assert.deepEqual(problems.map((p) => [p.line, p.column, p.rule]), [
      [2, "quantity", "out_of_range"],
      [4, "quantity", "out_of_range"],
    ]);
    assert.match(problems[0].message, /A1 on 2024-01-02/);
    assert.equal(report.status, "imported");
    assert.deepEqual(
      readSales(db, "2024-01-01", "2024-02-01").map((r) => [r.date, r.units]),
      [["2024-01-04", 1]],
    );
  } finally {
    db.close();
  }
});

Deno.test("importFiles() refuses a reason, an actor or a file name the store cannot keep, before it writes anything", async () => {
  const db = openStore(":memory:");
  try {
    for (
      const [options, file] of [
        [{ asOf: "2024-02-01", actor: "test", reason: "r".repeat(501) }, "catalog.csv"],
        [{ asOf: "2024-02-01", actor: "a".repeat(101) }, "catalog.csv"],
        [{ asOf: "2024-02-01", actor: "test" }, "line\nbreak.csv"],
      ] as const
    ) {
      await assert.rejects(
        importFiles(db, [{ ...CATALOG_FILE, file }], options),
        { name: "InputTypeError", message: /^Cannot import (with|as|a file)/ },
      );
    }
    assert.equal(readImports(db).length, 0);
  } finally {
    db.close();
  }
});
