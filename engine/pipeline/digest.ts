/** Digests of a run's inputs (its snapshots) and outputs (its decisions). @module */
import type { SnapshotRow } from "../schema/features.ts";
import type { Decision } from "../schema/pricing.ts";
import { createDigest } from "../util/hash.ts";

/**
 * sha256 over the snapshot ids, by SKU: what the run read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputDigest } from "./digest.ts";
 *
 * const a = { sku: "A1", snapshot_id: "1".repeat(64) };
 * const b = { sku: "B2", snapshot_id: "2".repeat(64) };
 * assert.match(inputDigest([a, b]), /^[0-9a-f]{64}$/);
 * assert.equal(inputDigest([b, a]), inputDigest([a, b])); // order does not matter
 * assert.notEqual(inputDigest([a]), inputDigest([a, b]));
 * ```
 */
export function inputDigest(
  snapshots: readonly Pick<SnapshotRow, "sku" | "snapshot_id">[],
): string {
  const d = createDigest();
  for (const s of [...snapshots].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
    d.add([s.sku, s.snapshot_id]);
  }
  return d.hex();
}

/**
 * sha256 over the canonical decisions by SKU, without the run id: what the run decided.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, readDecisions, runDaily } from "../mod.ts";
 * import { outputDigest } from "./digest.ts";
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
 * const decisions = readDecisions(db, run.run_id);
 * assert.equal(outputDigest(decisions), run.output_digest);
 * const renamed = decisions.map((d) => ({ ...d, run_id: "another run" }));
 * assert.equal(outputDigest(renamed), run.output_digest); // the run id is left out
 * db.close();
 * ```
 */
export function outputDigest(decisions: readonly Omit<Decision, "run_id">[]): string {
  const d = createDigest();
  for (const x of [...decisions].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
    const { run_id: _ignored, ...rest } = x as Decision;
    d.add(rest);
  }
  return d.hex();
}
