/**
 * The price export downstream systems apply: one CSV row per SKU, named after
 * the store and the date. It belongs to the run: a run is reported succeeded
 * only once its file is written, a failed write is recorded and retried by the
 * next run, and any run's file can be re-created byte for byte.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Decision } from "../schema/pricing.ts";
import type { PriceExportRecord } from "../schema/imports.ts";
import { readDecisions, readPriceExports, readRuns, readStoreSettings } from "../store/queries.ts";
import { appendPriceExport, transaction } from "../store/writer.ts";
import { sha256Hex } from "../util/hash.ts";
import { InputError } from "../util/errors.ts";

/** The CSV header of the price export. */
export const PRICE_EXPORT_HEADER =
  "sku,price,effective_date,strategy,run_id,infeasible,conflict,held_back";

/**
 * What happens to a price the optimizer could not make satisfy every guardrail:
 * `hold` (default) exports the previous price with the reason; `export` exports it as decided.
 */
export type InfeasiblePolicy = "hold" | "export";

/** The store name a price file is named after when the store has no settings. */
export const DEFAULT_STORE_NAME = "store";

/**
 * The day's prices as CSV (header + one row per decision, by SKU).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { priceExportCsv } from "./export.ts";
 * import type { Decision } from "../schema/pricing.ts";
 *
 * const d = {
 *   run_id: "2025-01-02#1", run_date: "2025-01-02", sku: "A1", strategy: "ml", price: 2.49,
 *   previous_price: 2.29, infeasible: false, conflict: null,
 * } as Decision;
 * const csv = priceExportCsv([d, { ...d, sku: "B2", infeasible: true, conflict: "margin_above_ceiling" }]);
 * assert.equal(csv.split("\n")[1], "A1,2.49,2025-01-02,ml,2025-01-02#1,false,,");
 * assert.equal(
 *   csv.split("\n")[2],
 *   "B2,2.29,2025-01-02,ml,2025-01-02#1,true,margin_above_ceiling,infeasible price 2.49 held back",
 * );
 * ```
 */
export function priceExportCsv(
  decisions: readonly Decision[],
  options: { infeasible?: InfeasiblePolicy } = {},
): string {
  const hold = (options.infeasible ?? "hold") === "hold";
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [...decisions].sort((a, b) => (a.sku < b.sku ? -1 : 1)).map((d) => {
    const held = hold && d.infeasible;
    return [
      d.sku,
      (held ? d.previous_price : d.price).toFixed(2),
      d.run_date,
      d.strategy,
      d.run_id,
      String(d.infeasible),
      d.conflict ?? "",
      held ? `infeasible price ${d.price.toFixed(2)} held back` : "",
    ].map(quote).join(",");
  });
  return `${[PRICE_EXPORT_HEADER, ...lines].join("\n")}\n`;
}

/** A run's price file, ready to write. */
export interface PriceExport {
  /** The run whose decisions it exports. */
  run_id: string;
  /** The file name: `prices-<store>-<run date>.csv`. */
  file: string;
  /** The file's content (see {@linkcode priceExportCsv}). */
  csv: string;
  /** Data rows, one per decision. */
  rows: number;
  /** The sha256 of `csv`, recorded with the export. */
  sha256: string;
  /** The policy the file was built with. */
  infeasible: InfeasiblePolicy;
}

/**
 * Builds the price file of a succeeded run: the same bytes every time for the same run
 * (the file name and the infeasible policy of its first export are reused).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPriceExport, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.throws(() => buildPriceExport(db, "2025-01-02#1"), /no succeeded run/);
 * ```
 */
export function buildPriceExport(
  db: DatabaseSync,
  runId: string,
  options: { infeasible?: InfeasiblePolicy } = {},
): PriceExport {
  const run = readRuns(db).find((r) => r.run_id === runId);
  if (!run || run.status !== "succeeded") {
    throw new InputError(`Cannot export the prices of run ${runId}: no succeeded run has that id`);
  }
  const earlier = readPriceExports(db, runId)[0];
  const infeasible = earlier?.infeasible ?? options.infeasible ?? "hold";
  const store = readStoreSettings(db)?.name ?? DEFAULT_STORE_NAME;
  const file = earlier?.file ?? `prices-${store}-${run.run_date}.csv`;
  const decisions = readDecisions(db, runId);
  const csv = priceExportCsv(decisions, { infeasible });
  return { run_id: runId, file, csv, rows: decisions.length, sha256: sha256Hex(csv), infeasible };
}

/** A price file could not be written; the run stays succeeded and the next run retries. */
export class ExportError extends Error {
  /** `message` names the run and the file; the write's own error goes in `options.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ExportError";
  }
}

/**
 * Writes a run's price file through `write` (which should write a temporary file and
 * rename it) and records the outcome. Throws an {@linkcode ExportError} when `write`
 * fails, after recording the failure.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { deliverPriceExport, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.throws(() => deliverPriceExport(db, "2025-01-02#1", () => {}), /no succeeded run/);
 * ```
 */
export function deliverPriceExport(
  db: DatabaseSync,
  runId: string,
  write: (file: string, csv: string) => void,
  options: { infeasible?: InfeasiblePolicy; recordedAt?: string | null } = {},
): PriceExportRecord {
  const e = buildPriceExport(db, runId, options);
  const base = { run_id: runId, infeasible: e.infeasible, file: e.file };
  try {
    write(e.file, e.csv);
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    transaction(db, () =>
      appendPriceExport(db, {
        ...base,
        status: "failed",
        sha256: null,
        rows: null,
        error: message,
        recorded_at: options.recordedAt ?? null,
      }));
    throw new ExportError(
      `Cannot write the price file ${e.file} of run ${runId}: ${message}; the run succeeded and the next daily run (or deno task export --run ${runId}) writes it`,
      { cause: error },
    );
  }
  const record: PriceExportRecord = {
    ...base,
    status: "written",
    sha256: e.sha256,
    rows: e.rows,
    error: null,
    recorded_at: options.recordedAt ?? null,
  };
  transaction(db, () => appendPriceExport(db, record));
  return record;
}
