import assert from "node:assert/strict";
import { readTable } from "./parse.ts";

Deno.test("readTable() numbers the lines of a CRLF file as an editor does, quoted line breaks included", async () => {
  const crlf = 'sku,name\r\nA1,x\r\n\r\nB2,"two\r\nlines"\r\nC3,y\r\n';
  for (const [text, br] of [[crlf, "\r\n"], [crlf.replaceAll("\r\n", "\n"), "\n"]]) {
    const table = await readTable("f.csv", new TextEncoder().encode(text));
    const rows: [number, string[], string][] = [];
    for await (const r of table.rows) rows.push([r.line, r.cells, r.raw]);
    assert.deepEqual(rows, [
      [2, ["A1", "x"], "A1,x"],
      [4, ["B2", `two${br}lines`], `B2,"two${br}lines"`],
      [6, ["C3", "y"], "C3,y"],
    ]);
    // A file csv-parse cannot read is refused with its reason.
    await assert.rejects(async () => {
      const bad = await readTable("f.csv", new TextEncoder().encode(`${text}D4,a"b${br}`));
      for await (const _ of bad.rows);
    }, /^RangeError: Cannot read f\.csv as CSV near line \d+: Invalid Opening Quote/);
  }
});
