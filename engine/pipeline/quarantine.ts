/**
 * What a run does with quarantined input rows (rows stored with the write-time
 * checks bypassed, left out of every read): each is reported as a data-quality
 * issue naming its table, row id, field and value; a SKU with one that has no
 * correction yet is kept at its last price (its snapshot lists the rows, the
 * decision says `DATA_QUARANTINED`), or skipped as `quarantined` when no
 * catalog record of it is readable. One bad row degrades its SKU, never the run.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DataQualityIssue } from "../schema/monitoring.ts";
import type { SnapshotRow } from "../schema/features.ts";
import type { QuarantinedRow } from "../store/history/sync.ts";
import { readOpenQuarantine } from "../store/queries.ts";
import { canonicalJson, sha256Hex } from "../util/hash.ts";

/** The quarantine as one run sees it. */
export interface RunQuarantine {
  /** Per SKU kept at its last price, its open rows in words ("sales row 7: revenue = Infinity"). */
  held: Map<string, string[]>;
  /** One data-quality issue per quarantined row the run reports. */
  issues: DataQualityIssue[];
}

const PREFIX = "fails its checks: ";

/**
 * The quarantine of a run of `runDate`: the open rows (see `readOpenQuarantine`) and the
 * rows its history sync has just quarantined (`fresh`, which may have no readable SKU or
 * a date on or after the run's).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, syncHistory } from "../mod.ts";
 * import { runQuarantine } from "./quarantine.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 9, shelf_price: 3, promo: false,
 * }]);
 * db.exec("PRAGMA ignore_check_constraints = 1");
 * db.exec(`INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
 *   VALUES ('A1', '2025-01-07', 9223372036854775807, 0, 9, 3, 0, 'observed')`);
 * db.exec("PRAGMA ignore_check_constraints = 0");
 * const sync = syncHistory(db);
 * const q = runQuarantine(db, "2025-01-08", sync.quarantined);
 * assert.deepEqual(q.held.get("A1"), ["sales row 2: units = 9223372036854775807"]);
 * assert.equal(q.issues[0].field, "sales.units");
 * ```
 */
export function runQuarantine(
  db: DatabaseSync,
  runDate: string,
  fresh: readonly QuarantinedRow[],
): RunQuarantine {
  const held = new Map<string, string[]>();
  const issues: DataQualityIssue[] = [];
  const seen = new Set<string>();
  for (const q of readOpenQuarantine(db, runDate)) {
    const words = `${q.table} row ${q.row_id}: ${q.problem.replace(PREFIX, "")}`;
    const list = held.get(q.sku);
    if (list) list.push(words);
    else held.set(q.sku, [words]);
    seen.add(`${q.table}#${q.row_id}`);
    const correction = q.table === "catalog"
      ? "a valid catalog record of the SKU"
      : q.date === null
      ? `a valid ${q.table} row of the SKU`
      : `a valid ${q.table} row of the SKU dated ${q.date}`;
    issues.push(issue(q.table, q.sku, q.field, q.value, words, correction));
  }
  for (const q of fresh) {
    if (seen.has(`${q.table}#${q.row_id}`)) continue;
    seen.add(`${q.table}#${q.row_id}`);
    const m = /^fails its checks: ([a-z_]+) = (.*?)(?:, [a-z_]+ = .*)?$/s.exec(q.problem);
    const words = `${q.table} row ${q.row_id}: ${q.problem.replace(PREFIX, "")}`;
    issues.push(issue(q.table, q.sku, m?.[1] ?? "row", m?.[2] ?? q.problem, words, null));
  }
  return { held, issues };
}

function issue(
  table: string,
  sku: string | null,
  field: string,
  value: string,
  words: string,
  correction: string | null,
): DataQualityIssue {
  return {
    check: "QUARANTINED_ROW",
    sku: sku ?? "(unreadable)",
    field: `${table}.${field}`,
    value,
    message: `${words}; the row is left out of every read` +
      (correction
        ? `, and ${sku} is kept at its last price until a correction (${correction}) is appended`
        : ""),
  };
}

/**
 * The snapshots with each held SKU's quarantined rows recorded in its features (and its
 * snapshot id and JSON recomputed); the others unchanged.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { markQuarantined } from "./quarantine.ts";
 *
 * const snapshot = { run_date: "2025-01-08", sku: "A1", snapshot_id: "x", features: {} };
 * const out = markQuarantined(
 *   [snapshot as never],
 *   ["{}"],
 *   new Map([["A1", ["sales row 2: units = 9223372036854775807"]]]),
 * );
 * assert.deepEqual(out.snapshots[0].features.quarantined, ["sales row 2: units = 9223372036854775807"]);
 * assert.equal(out.featuresJson[0], JSON.stringify(out.snapshots[0].features));
 * ```
 */
export function markQuarantined(
  snapshots: readonly SnapshotRow[],
  featuresJson: readonly string[],
  held: ReadonlyMap<string, string[]>,
): { snapshots: SnapshotRow[]; featuresJson: string[] } {
  const out = { snapshots: [...snapshots], featuresJson: [...featuresJson] };
  if (held.size === 0) return out;
  snapshots.forEach((s, i) => {
    const rows = held.get(s.sku);
    if (!rows) return;
    const features = { ...s.features, quarantined: rows };
    const json = canonicalJson(features);
    out.snapshots[i] = { ...s, features, snapshot_id: sha256Hex(json) };
    out.featuresJson[i] = json;
  });
  return out;
}
