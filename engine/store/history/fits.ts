/**
 * The weekly elasticity fits the feature job keeps: each SKU's fit as of an
 * anchor day over a window, under a set of fit options. A fresh process reads
 * them instead of refitting a year of history for every SKU; the history sync
 * drops a fit when a day in its window changes.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";

/** A stored fit. */
export interface StoredFit {
  /** The SKU. */
  sku: string;
  /** The elasticity, or null when the window could not identify it. */
  estimate: number | null;
  /** Its standard error, or null with the estimate. */
  se: number | null;
  /** Days used in the fit. */
  n: number;
  /** Why there is no estimate, when there is none. */
  note: string | null;
}

/** Which fit: the anchor day, the window's length and the fit options' key. */
export interface FitKey {
  /** The day number the fit is as of (its window ends on it). */
  anchor: number;
  /** Days in the window. */
  windowDays: number;
  /** An identity of the fit's options (different options, different fits). */
  optionsKey: string;
}

/**
 * The stored fits of `skus` for a key (SKUs without one are left out).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, readElasticityFits, writeElasticityFits } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const key = { anchor: 20000, windowDays: 365, optionsKey: "default" };
 * writeElasticityFits(db, key, [{ sku: "A1", estimate: -2.1, se: 0.2, n: 300, note: null }]);
 * assert.equal(readElasticityFits(db, key, ["A1", "B2"]).get("A1")?.estimate, -2.1);
 * assert.equal(readElasticityFits(db, { ...key, anchor: 20007 }, ["A1"]).size, 0);
 * ```
 */
export function readElasticityFits(
  db: DatabaseSync,
  key: FitKey,
  skus: readonly string[],
): Map<string, StoredFit> {
  const read = statement(
    db,
    `SELECT estimate, se, n, note FROM elasticity_fits
     WHERE sku = ? AND anchor = ? AND window_days = ? AND options_key = ?`,
  );
  const out = new Map<string, StoredFit>();
  for (const sku of skus) {
    const r = read.get(sku, key.anchor, key.windowDays, key.optionsKey);
    if (!r) continue;
    out.set(sku, {
      sku,
      estimate: r.estimate === null ? null : Number(r.estimate),
      se: r.se === null ? null : Number(r.se),
      n: Number(r.n),
      note: r.note === null ? null : String(r.note),
    });
  }
  return out;
}

/**
 * Stores fits for a key (a fit already stored for a SKU and key is replaced: fits
 * are a cache, derived from the inputs).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, readElasticityFits, writeElasticityFits } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const key = { anchor: 20000, windowDays: 365, optionsKey: "default" };
 * writeElasticityFits(db, key, [{ sku: "A1", estimate: null, se: null, n: 12, note: "too_few_days" }]);
 * assert.equal(readElasticityFits(db, key, ["A1"]).get("A1")?.note, "too_few_days");
 * ```
 */
export function writeElasticityFits(
  db: DatabaseSync,
  key: FitKey,
  fits: readonly StoredFit[],
): void {
  const write = statement(
    db,
    `INSERT OR REPLACE INTO elasticity_fits
       (sku, anchor, window_days, options_key, estimate, se, n, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of fits) {
    write.run(f.sku, key.anchor, key.windowDays, key.optionsKey, f.estimate, f.se, f.n, f.note);
  }
}

/**
 * Drops the fits older than `anchor` (a run keeps only the fits it can use again).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropElasticityFitsBefore, openStore, readElasticityFits, writeElasticityFits } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const key = { anchor: 20000, windowDays: 365, optionsKey: "default" };
 * writeElasticityFits(db, key, [{ sku: "A1", estimate: -2, se: 0.1, n: 300, note: null }]);
 * dropElasticityFitsBefore(db, 20007);
 * assert.equal(readElasticityFits(db, key, ["A1"]).size, 0);
 * ```
 */
export function dropElasticityFitsBefore(db: DatabaseSync, anchor: number): void {
  statement(db, "DELETE FROM elasticity_fits WHERE anchor < ?").run(anchor);
}
