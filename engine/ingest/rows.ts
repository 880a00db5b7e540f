/**
 * Checking a contract file's header and reading its rows into typed values,
 * collecting every problem (line, column, value, rule) instead of stopping at
 * the first.
 *
 * @module
 */
import type { ContractColumn, ContractFile } from "../schema/contract.ts";
import { type CellValue, readCell, type Rule } from "./cells.ts";

/** A problem found in a file: where, what value, which rule. */
export interface Problem {
  /** The file's name. */
  file: string;
  /** Line number as a text editor counts it (the header is line 1). */
  line: number;
  /** The column, or "" for a problem of the whole row or file. */
  column: string;
  /** The cell's text as the file has it ("" when there is none). */
  value: string;
  /** The rule it breaks, a stable code to count and filter by. */
  rule: Rule;
  /** What the rule expects, in words. */
  message: string;
}

/** Where each contract column sits in a file's header (-1: absent, the default applies). */
export interface HeaderMap {
  /** The contract's columns, in the contract's order. */
  columns: readonly ContractColumn[];
  /** For each of `columns`, its index in the file's header, or -1. */
  positions: readonly number[];
  /** Cells a row must have. */
  width: number;
}

/**
 * Checks a header against the contract: every required column present, no
 * unknown column (a renamed column is refused, never read as empty), no column
 * twice. Returns the column positions, or the problems (all of them).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { CONTRACT } from "../schema/contract.ts";
 * import { checkHeader } from "./rows.ts";
 *
 * const result = checkHeader(CONTRACT.competitor, ["sku", "date", "price"], "c.csv");
 * assert.ok("problems" in result);
 * assert.deepEqual(result.problems.map((p) => p.rule), ["unknown_column", "missing_column"]);
 * ```
 */
export function checkHeader(
  spec: ContractFile,
  header: readonly string[],
  file: string,
): HeaderMap | { problems: Problem[] } {
  const problems: Problem[] = [];
  const names = header.map((h) => h.trim());
  const known = new Set(spec.columns.map((c) => c.name));
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const at = (message: string, rule: Rule) =>
      problems.push({ file, line: 1, column: name, value: header[i], rule, message });
    if (seen.has(name)) {
      at(
        `column ${JSON.stringify(name)} appears twice (columns ${seen.get(name)! + 1} and ${
          i + 1
        })`,
        "repeated_column",
      );
    } else if (!known.has(name)) {
      at(
        `unknown column ${JSON.stringify(name)}: a ${spec.kind} file has ${
          spec.columns.map((c) => c.name).join(", ")
        }`,
        "unknown_column",
      );
    }
    if (!seen.has(name)) seen.set(name, i);
  });
  for (const c of spec.columns) {
    if (c.required && !seen.has(c.name)) {
      problems.push({
        file,
        line: 1,
        column: c.name,
        value: "",
        rule: "missing_column",
        message: `missing required column ${JSON.stringify(c.name)}`,
      });
    }
  }
  if (problems.length) return { problems };
  return {
    columns: spec.columns,
    positions: spec.columns.map((c) => seen.get(c.name) ?? -1),
    width: names.length,
  };
}

/** A row read into values by column name, or the problems that stop it. */
export type RowResult =
  | { ok: true; values: Record<string, CellValue> }
  | { ok: false; problems: Problem[] };

/**
 * Reads the cells of one row (line `line` of `file`) by the header map.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { CONTRACT } from "../schema/contract.ts";
 * import { checkHeader, type HeaderMap, readRow } from "./rows.ts";
 *
 * const map = checkHeader(CONTRACT.competitor, ["sku", "date", "competitor_price"], "c.csv");
 * const row = readRow(map as HeaderMap, ["A1", "2024-02-30", "2.5"], { file: "c.csv", line: 2 });
 * assert.ok(!row.ok);
 * assert.equal(row.problems[0].rule, "not_a_date");
 * ```
 */
export function readRow(
  map: HeaderMap,
  cells: readonly string[],
  where: { file: string; line: number },
): RowResult {
  const problems: Problem[] = [];
  if (cells.length !== map.width) {
    problems.push({
      ...where,
      column: "",
      value: cells.join(","),
      rule: "wrong_cell_count",
      message: `expected ${map.width} cells as in the header, found ${cells.length}`,
    });
    return { ok: false, problems };
  }
  const values: Record<string, CellValue> = {};
  map.columns.forEach((c, i) => {
    const at = map.positions[i];
    const text = at < 0 ? "" : cells[at];
    if (text.trim() === "") {
      if (c.default !== undefined) values[c.name] = defaultOf(c);
      else if (c.nullable) values[c.name] = null;
      else {
        problems.push({
          ...where,
          column: c.name,
          value: text,
          rule: "missing_value",
          message: `${c.name} is required`,
        });
      }
      return;
    }
    const read = readCell(c.type, text);
    if (read.ok) values[c.name] = read.value;
    else {
      problems.push({
        ...where,
        column: c.name,
        value: text,
        rule: read.rule,
        message: read.message,
      });
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

function defaultOf(c: ContractColumn): CellValue {
  const read = readCell(c.type, c.default!);
  if (!read.ok) throw new Error(`The contract's default of ${c.name} is not valid: ${c.default}`);
  return read.value;
}
