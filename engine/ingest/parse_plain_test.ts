import assert from "node:assert/strict";
import fc from "fast-check";
import { readTable, type ReadTableOptions } from "./parse.ts";

type Outcome = { header: string[]; rows: [number, string[], string][] } | { error: string };

async function outcome(bytes: Uint8Array, options: ReadTableOptions): Promise<Outcome> {
  try {
    const table = await readTable("f.csv", bytes, options);
    const rows: [number, string[], string][] = [];
    for await (const r of table.rows) rows.push([r.line, r.cells, r.raw]);
    return { header: table.header, rows };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The rows of the direct split equal csv-parse's for `text`. */
async function sameAsCsvParse(text: string | Uint8Array): Promise<void> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  assert.deepEqual(
    await outcome(bytes, { csv: "auto" }),
    await outcome(bytes, { csv: "csv-parse" }),
    JSON.stringify(typeof text === "string" ? text : [...text]),
  );
}

Deno.test("readTable() splits a quote-free CSV file into the same rows, lines and raw text as csv-parse", async () => {
  const cases = [
    "sku,date\nA1,2024-01-01\nB2,2024-01-02\n",
    "sku,date\nA1,2024-01-01\nB2,2024-01-02", // no final line break
    "sku,date\r\nA1,2024-01-01\r\nB2,2024-01-02\r\n",
    "\uFEFFsku,date\nA1,2024-01-01\n", // byte-order mark
    "\n\nsku,date\n\nA1,2024-01-01\n\n\nB2,x\n\n", // empty lines anywhere
    "\r\n\r\nsku,date\r\n\r\nA1,2024-01-01\r\n\r\n",
    "sku,date,units\nA1,2024-01-01\nB2,2024-01-02,3,4\nC3,,\n,,\n", // ragged, empty cells
    "sku,date\n   \n A1 , 2024-01-01 \n", // a line of spaces is a row
    "sku,date\nA1,2024-01-01,\n", // a trailing comma is an empty cell
    "sku,name\nA1,Café crème ☕\n",
    "sku\n",
    "sku",
    "",
    "\n\n",
    "\r\n",
  ];
  for (const text of cases) await sameAsCsvParse(text);
  // Not valid UTF-8: both decode it with replacement characters.
  await sameAsCsvParse(new Uint8Array([0x73, 0x6b, 0x75, 0x0a, 0x41, 0xff, 0xc3, 0x0a]));
});

Deno.test("readTable() leaves quoted cells and mixed line breaks to csv-parse", async () => {
  for (
    const text of [
      'sku,name\nA1,"a, b"\n',
      'sku,name\nA1,"line\nbreak"\n',
      "sku,date\r\nA1,2024-01-01\nB2,2024-01-02\n", // \r\n then \n
      "sku,date\nA1,2024-01-01\r\nB2,2024-01-02\n", // \n then \r\n
      "sku,date\rA1,2024-01-01\r", // old Mac line breaks
      "sku,na\rme\nA1,x\n", // a lone \r inside a cell
      'sku,name\nA1,a"b\n', // a stray quote: csv-parse's error
    ]
  ) {
    await sameAsCsvParse(text);
  }
});

Deno.test("readTable() splits any quote-free text as csv-parse does (property, seeded)", async () => {
  const piece = fc.constantFrom("a", "B7", "1.5", "-", ",", ",", " ", "\n", "\n", "é", "☕");
  const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(""));
  await fc.assert(
    fc.asyncProperty(text, fc.boolean(), fc.boolean(), async (t, crlf, bom) => {
      await sameAsCsvParse((bom ? "\uFEFF" : "") + (crlf ? t.replaceAll("\n", "\r\n") : t));
    }),
    { seed: 20241202, numRuns: 400 },
  );
});
