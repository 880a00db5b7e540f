/**
 * Reading a contract file's bytes as rows of text cells: CSV (RFC 4180, with a
 * header row, UTF-8, a byte-order mark allowed, quoted cells may span lines)
 * or Parquet (through nodejs-polars, every value written as text). Each row
 * keeps the line a text editor shows it on and its original text, so every
 * problem can name them.
 *
 * @module
 */
import { parse } from "csv-parse";
import pl from "nodejs-polars";
import { Buffer } from "node:buffer";

/** One row of a file. */
export interface SourceRow {
  /** Line number as a text editor counts it (the header is line 1); Parquet: row number + 1. */
  line: number;
  /** Its cells as text, in the header's order. */
  cells: string[];
  /** The row's original text, without its line break. */
  raw: string;
}

/** A file's header and rows. */
export interface SourceTable {
  /** The column names of the first row (CSV) or the schema (Parquet). */
  header: string[];
  /** The rows after the header, read as they are iterated. */
  rows: AsyncIterable<SourceRow>;
}

/**
 * The format of a file, from its name: `.parquet` is Parquet, anything else CSV.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatOf } from "./parse.ts";
 *
 * assert.equal(formatOf("sales.PARQUET"), "parquet");
 * assert.equal(formatOf("sales.csv"), "csv");
 * assert.equal(formatOf("sales.txt"), "csv");
 * ```
 */
export function formatOf(file: string): "csv" | "parquet" {
  return /\.parquet$/i.test(file) ? "parquet" : "csv";
}

/** Options of {@linkcode readTable}. */
export interface ReadTableOptions {
  /**
   * How a CSV file is split. `auto` (default): a file without any double quote whose line
   * breaks are all `\n` or all `\r\n` is split directly (the rows csv-parse gives, many times
   * faster); any other file goes through csv-parse. `csv-parse`: always csv-parse.
   */
  csv?: "auto" | "csv-parse";
}

/**
 * Reads `bytes` as a table. Throws `RangeError` naming `file` when it is empty or
 * not readable as its format.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTable } from "./parse.ts";
 *
 * const bytes = new TextEncoder().encode('sku,date\nA1,2024-01-01\n"B\n2",2024-01-02\n');
 * const table = await readTable("x.csv", bytes);
 * assert.deepEqual(table.header, ["sku", "date"]);
 * const rows = [];
 * for await (const r of table.rows) rows.push([r.line, r.cells[0]]);
 * assert.deepEqual(rows, [[2, "A1"], [3, "B\n2"]]);
 * ```
 */
export async function readTable(
  file: string,
  bytes: Uint8Array,
  options: ReadTableOptions = {},
): Promise<SourceTable> {
  if (formatOf(file) === "parquet") return readParquet(file, bytes);
  return ((options.csv ?? "auto") === "auto" && readPlainCsv(file, bytes)) ||
    await readCsv(file, bytes);
}

const QUOTE = 0x22, CR = 0x0d, LF = 0x0a;

/**
 * A CSV file without quotes, its line breaks all `\n` or all `\r\n`, split directly: cells
 * are the text between commas, empty lines are skipped (as csv-parse's `skip_empty_lines`),
 * a UTF-8 byte-order mark is dropped. Null for any other file.
 */
function readPlainCsv(file: string, bytes: Uint8Array): SourceTable | null {
  if (bytes.includes(QUOTE)) return null;
  let crlf = false;
  if (bytes.includes(CR)) {
    // Every \r must start a \r\n and every \n end one; a mix is left to csv-parse.
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === CR ? bytes[i + 1] !== LF : bytes[i] === LF && bytes[i - 1] !== CR) {
        return null;
      }
    }
    crlf = true;
  }
  const text = new TextDecoder().decode(bytes);
  const eol = crlf ? "\r\n" : "\n";
  let at = 0, line = 0;
  const next = (): SourceRow | null => {
    while (at < text.length) {
      line++;
      let end = text.indexOf(eol, at);
      if (end < 0) end = text.length;
      const raw = text.slice(at, end);
      at = end + eol.length;
      if (raw !== "") return { line, cells: raw.split(","), raw };
    }
    return null;
  };
  const first = next();
  if (!first) throw new RangeError(`Cannot import ${file}: the file is empty (no header row)`);
  return {
    header: first.cells,
    rows: {
      async *[Symbol.asyncIterator]() {
        for (let row = next(); row; row = next()) yield row;
      },
    },
  };
}

async function readCsv(file: string, bytes: Uint8Array): Promise<SourceTable> {
  // Each record's end offset (`info.bytes`) places it in the file: csv-parse's `raw` text
  // and line count lose the \n of a \r\n line break, so lines and text are taken from
  // the bytes instead.
  const parser = parse({
    info: true,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<
    { record: string[]; info: { bytes: number } }
  >;
  // Feed in chunks so a large file is parsed as it streams, not copied whole.
  (async () => {
    const CHUNK = 1 << 20;
    for (let i = 0; i < bytes.length; i += CHUNK) {
      if (!parser.write(bytes.subarray(i, i + CHUNK))) {
        await new Promise((resolve) => parser.once("drain", resolve));
      }
    }
    parser.end();
  })().catch((error) => parser.destroy(error));
  const decoder = new TextDecoder();
  const isBreak = (b: number | undefined) => b === LF || b === CR;
  // Line breaks (\r\n, \n or a lone \r, as an editor counts them) before `scanned`.
  let breaks = 0, scanned = 0;
  const lineAt = (offset: number) => {
    for (; scanned < offset; scanned++) {
      if (bytes[scanned] === LF || (bytes[scanned] === CR && bytes[scanned + 1] !== LF)) breaks++;
    }
    return breaks + 1;
  };
  let end = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const next = async (): Promise<SourceRow | null> => {
    let step;
    try {
      step = await iterator.next();
    } catch (error) {
      throw new RangeError(
        `Cannot read ${file} as CSV near line ${lineAt(end)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (step.done) return null;
    const { record, info } = step.value;
    let start = end; // skipped empty lines come first
    while (start < info.bytes && isBreak(bytes[start])) start++;
    end = info.bytes;
    let stop = end; // the record's own line break is not part of its text
    if (bytes[stop - 1] === LF) stop--;
    if (bytes[stop - 1] === CR) stop--;
    const raw = decoder.decode(bytes.subarray(start, Math.max(start, stop)));
    return { line: lineAt(start), cells: record, raw };
  };
  const first = await next();
  if (!first) throw new RangeError(`Cannot import ${file}: the file is empty (no header row)`);
  return {
    header: first.cells,
    rows: {
      async *[Symbol.asyncIterator]() {
        for (let row = await next(); row; row = await next()) yield row;
      },
    },
  };
}

function readParquet(file: string, bytes: Uint8Array): SourceTable {
  let df: pl.DataFrame;
  try {
    df = pl.readParquet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new RangeError(`Cannot read ${file} as Parquet: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const header = df.columns;
  const columns = header.map((name) => {
    const s = df.getColumn(name);
    const text = s.dtype.equals(pl.Utf8) ? s : s.cast(pl.Utf8);
    return text.toArray() as (string | null)[];
  });
  return {
    header,
    rows: {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < df.height; i++) {
          const cells = columns.map((c) => c[i] ?? "");
          yield { line: i + 2, cells, raw: cells.join(",") };
        }
      },
    },
  };
}
