/**
 * Read-only queries of the audit trail's integrity: content hashes of row
 * ranges (as SQLite stores them, exactly), the run chain, raw snapshot texts,
 * and a run's recorded events and model artifact.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { createHash } from "node:crypto";
import { statement } from "../db.ts";
import { RunChainLink } from "../../schema/run.ts";
import { rows } from "./_rows.ts";
import { createLineHash } from "../../util/hash.ts";

/** The input tables a run's chain link commits to, by row id range. */
export const CHAINED_TABLES = [
  "catalog",
  "sales",
  "inventory",
  "competitor_prices",
  "trading_calendar",
] as const;
/** One of {@linkcode CHAINED_TABLES}. */
export type ChainedTable = typeof CHAINED_TABLES[number];

/**
 * Each column of `table` as exact text: a REAL with 17 significant digits, other values
 * through `quote()` (so NULL, '' and 0 differ, and an integer beyond 2^53 is not rounded).
 */
function exactColumns(db: DatabaseSync, table: string): string {
  return db.prepare(`SELECT name, type FROM pragma_table_info(?) ORDER BY cid`).all(table)
    .map((c) =>
      String(c.type) === "REAL"
        ? `CASE WHEN typeof(${c.name}) = 'real' THEN printf('%!.17g', ${c.name}) ELSE quote(${c.name}) END`
        : `quote(${c.name})`
    ).join(" || char(31) || ");
}

/** Rows per block of a row-range hash: a rewritten row is found within its block. */
export const ROW_BLOCK = 10_000;

/**
 * The sha256 of each block of {@linkcode ROW_BLOCK} rows of `table` with ids in
 * (`afterId`, `toId`] (blocks end at multiples of the block size), each row's exact
 * values in column order, one line per row by id; blocks without rows are left out.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, hashRowBlocks, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * const [block] = hashRowBlocks(db, "sales", 0, 1);
 * assert.equal(block.to_id, 1);
 * assert.match(block.hash, /^[0-9a-f]{64}$/);
 * ```
 */
export function hashRowBlocks(
  db: DatabaseSync,
  table: string,
  afterId: number,
  toId: number,
): { to_id: number; hash: string }[] {
  const query = statement(
    db,
    `SELECT id, ${
      exactColumns(db, table)
    } AS line FROM ${table} WHERE id > ? AND id <= ? ORDER BY id`,
  ) as ReturnType<typeof statement> & { setReturnArrays(on: boolean): void };
  query.setReturnArrays(true);
  const blocks: { to_id: number; hash: string }[] = [];
  let hash = createLineHash(), end = -1, last = 0;
  const close = () => {
    if (end >= 0) blocks.push({ to_id: Math.min(end, toId), hash: hash.hex() });
  };
  for (const r of query.iterate(afterId, toId) as Iterable<unknown[]>) {
    const id = Number(r[0]);
    if (id > end) {
      close();
      hash = createLineHash();
      end = Math.ceil(id / ROW_BLOCK) * ROW_BLOCK;
    }
    hash.line(String(r[1]));
    last = id;
  }
  if (last > 0) close();
  return blocks;
}

/**
 * The sha256 of the rows of `table` with ids in (`afterId`, `toId`], each row's exact
 * values in column order, one line per row by id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, hashRows, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * const before = hashRows(db, "sales", 0, 1);
 * assert.equal(hashRows(db, "sales", 0, 1), before);
 * assert.notEqual(hashRows(db, "sales", 0, 0), before);
 * ```
 */
export function hashRows(db: DatabaseSync, table: string, afterId: number, toId: number): string {
  const query = statement(
    db,
    `SELECT ${exactColumns(db, table)} AS line FROM ${table} WHERE id > ? AND id <= ? ORDER BY id`,
  ) as ReturnType<typeof statement> & { setReturnArrays(on: boolean): void };
  query.setReturnArrays(true);
  const hash = createLineHash();
  for (const r of query.iterate(afterId, toId) as Iterable<unknown[]>) hash.line(String(r[0]));
  return hash.hex();
}

/**
 * The largest row id of `table` (0 when empty).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, maxRowId, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(maxRowId(db, "sales"), 0);
 * const sale = { sku: "A1", units: 3, revenue: 6, shelf_price: 2, promo: false };
 * appendSales(db, [{ ...sale, date: "2025-01-06" }, { ...sale, date: "2025-01-07" }]);
 * assert.equal(maxRowId(db, "sales"), 2);
 * db.close();
 * ```
 */
export function maxRowId(db: DatabaseSync, table: string): number {
  return Number(statement(db, `SELECT coalesce(max(id), 0) AS id FROM ${table}`).get()!.id);
}

/**
 * The run chain, oldest first (from sequence number `fromSeq` on).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, readRunChain } from "../../mod.ts";
 *
 * assert.deepEqual(readRunChain(openStore(":memory:")), []);
 * ```
 */
export function readRunChain(db: DatabaseSync, fromSeq = 0): RunChainLink[] {
  const raw = statement(db, "SELECT * FROM run_chain WHERE seq >= ? ORDER BY seq").all(fromSeq);
  return rows(RunChainLink, "run chain link", raw, (r) => ({
    ...r,
    payload: JSON.parse(String(r.payload)),
  }));
}

/**
 * The newest link of the run chain, or null.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   appendCatalog, appendSales, openStore, readLastChainLink, runDaily,
 * } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(readLastChainLink(db), null);
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * assert.equal(readLastChainLink(db)?.hash, run.chain_head);
 * db.close();
 * ```
 */
export function readLastChainLink(db: DatabaseSync): RunChainLink | null {
  const raw = statement(db, "SELECT * FROM run_chain ORDER BY seq DESC LIMIT 1").all();
  return rows(RunChainLink, "run chain link", raw, (r) => ({
    ...r,
    payload: JSON.parse(String(r.payload)),
  }))[0] ?? null;
}

/**
 * The SKU and snapshot id of every snapshot of a run date, by SKU (what a run's
 * input digest covers), without their features.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, readSnapshotIds } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(readSnapshotIds(db, "2025-01-06"), []);
 * ```
 */
export function readSnapshotIds(
  db: DatabaseSync,
  runDate: string,
): { sku: string; snapshot_id: string }[] {
  return statement(
    db,
    "SELECT sku, snapshot_id FROM feature_snapshots WHERE run_date = ? ORDER BY sku",
  ).all(runDate).map((r) => ({ sku: String(r.sku), snapshot_id: String(r.snapshot_id) }));
}

/**
 * A run date's snapshots as stored: SKU, snapshot id and the features text it hashes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   appendCatalog, appendSales, openStore, readSnapshotTexts, runDaily, sha256Hex,
 * } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const [text] = readSnapshotTexts(db, run.run_date);
 * assert.equal(text.sku, "A");
 * assert.equal(sha256Hex(text.features), text.snapshot_id);
 * assert.deepEqual(readSnapshotTexts(db, "2025-02-02"), []);
 * db.close();
 * ```
 */
export function readSnapshotTexts(
  db: DatabaseSync,
  runDate: string,
): { sku: string; snapshot_id: string; features: string }[] {
  return statement(
    db,
    "SELECT sku, snapshot_id, features FROM feature_snapshots WHERE run_date = ? ORDER BY sku",
  ).all(runDate).map((r) => ({
    sku: String(r.sku),
    snapshot_id: String(r.snapshot_id),
    features: String(r.features),
  }));
}

/**
 * A run's events as stored (id, event, details text), oldest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendRunEvent, appendRunStart, openStore, readRunEventTexts } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendRunEvent(db, "run-1", "failed", { error: "no sales" }, null);
 * const events = readRunEventTexts(db, "run-1");
 * assert.deepEqual(events.map((e) => e.event), ["started", "failed"]);
 * assert.equal(events[1].details, '{"error":"no sales"}');
 * db.close();
 * ```
 */
export function readRunEventTexts(
  db: DatabaseSync,
  runId: string,
): { id: number; event: string; details: string }[] {
  return statement(db, "SELECT id, event, details FROM run_events WHERE run_id = ? ORDER BY id")
    .all(runId).map((r) => ({
      id: Number(r.id),
      event: String(r.event),
      details: String(r.details),
    }));
}

/**
 * The sha256 of a model's stored artifact text, or null when there is no such model.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendModel, modelArtifactHash, type NewModel, openStore } from "../../mod.ts";
 *
 * const model: NewModel = {
 *   version: "elasticity-1", kind: "elasticity", seed: 1, params: {}, artifact: { a: 1 },
 *   trainedFrom: "2024-01-01", trainedTo: "2024-12-31",
 *   metrics: {
 *     holdout_from: "2024-12-01", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *     candidate: { wape: 0.31, bias: 0.02 }, seasonal_naive: { wape: 0.42, bias: 0 },
 *     champion: null,
 *   },
 * };
 * const db = openStore(":memory:");
 * appendModel(db, model, "trainer", null);
 * assert.match(modelArtifactHash(db, "elasticity-1") ?? "", /^[0-9a-f]{64}$/);
 * assert.equal(modelArtifactHash(db, "elasticity-9"), null);
 * db.close();
 * ```
 */
export function modelArtifactHash(db: DatabaseSync, version: string): string | null {
  const r = statement(db, "SELECT artifact FROM models WHERE version = ?").get(version);
  return r ? createHash("sha256").update(String(r.artifact)).digest("hex") : null;
}

/**
 * The sha256 of the overrides and revocations recorded up to a run's watermark.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendOverride, openStore, overridesHash } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const before = overridesHash(db, { overrideId: 0, revocationId: 0 });
 * appendOverride(db, {
 *   kind: "PRICE_FREEZE", scope: "sku", target: "A1", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal",
 * }, null);
 * // a run whose watermark predates the override saw none: its hash does not change
 * assert.equal(overridesHash(db, { overrideId: 0, revocationId: 0 }), before);
 * assert.notEqual(overridesHash(db, { overrideId: 1, revocationId: 0 }), before);
 * db.close();
 * ```
 */
export function overridesHash(
  db: DatabaseSync,
  watermark: { overrideId: number; revocationId: number },
): string {
  return createHash("sha256").update(hashRows(db, "overrides", 0, watermark.overrideId))
    .update(":").update(hashRows(db, "override_revocations", 0, watermark.revocationId))
    .digest("hex");
}

/**
 * Every run id that has a run row.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendRunStart, openStore, readRunIds } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * assert.deepEqual([...readRunIds(db)], ["run-1"]);
 * db.close();
 * ```
 */
export function readRunIds(db: DatabaseSync): Set<string> {
  return new Set(statement(db, "SELECT run_id FROM runs").all().map((r) => String(r.run_id)));
}

/**
 * A run's row (date and configuration hash), or null.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendRunStart, openStore, readRunRow } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * assert.deepEqual(readRunRow(db, "run-1"), { run_date: "2025-01-08", config_hash: "c0" });
 * assert.equal(readRunRow(db, "run-2"), null);
 * db.close();
 * ```
 */
export function readRunRow(
  db: DatabaseSync,
  runId: string,
): { run_date: string; config_hash: string } | null {
  const r = statement(db, "SELECT run_date, config_hash FROM runs WHERE run_id = ?").get(runId);
  return r ? { run_date: String(r.run_date), config_hash: String(r.config_hash) } : null;
}

/**
 * The chain hash of run `runId`'s link, or null when it has none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, readChainHash, runDaily } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * assert.equal(readChainHash(db, run.run_id), run.chain_head);
 * assert.equal(readChainHash(db, "2025-02-02#1"), null);
 * db.close();
 * ```
 */
export function readChainHash(db: DatabaseSync, runId: string): string | null {
  const r = statement(db, "SELECT hash FROM run_chain WHERE run_id = ?").get(runId);
  return r ? String(r.hash) : null;
}
