/**
 * From a registered model to a DemandModel: every kind resolved here, once.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import type { DemandModel } from "../demand/model.ts";
import { elasticityModel } from "../demand/elasticity_model.ts";
import { learnedModel } from "../demand/learned_model.ts";
import { loadGbdt } from "../demand/gbdt/mod.ts";
import { loadCart } from "../demand/cart.ts";
import type { ModelKind, ModelRecord } from "../schema/models.ts";
import { parseOrThrow } from "../schema/common.ts";
import { readChampion, readModels } from "../store/queries.ts";
import { InputError } from "../util/errors.ts";

const LearnedArtifact = z.object({ categories: z.array(z.string()), model: z.unknown() });
const LearnedParams = z.object({
  price_response: z.enum(["learned", "elasticity"]).default("learned"),
}).loose();

const LOADERS: Record<ModelKind, (r: ModelRecord) => DemandModel> = {
  elasticity: (r) => ({ ...elasticityModel(), version: r.version }),
  gbdt: (r) => {
    const a = parseOrThrow(LearnedArtifact, r.artifact, `load model ${r.version}`);
    const p = parseOrThrow(LearnedParams, r.params, `load model ${r.version}`);
    const gbdt = loadGbdt(a.model);
    return learnedModel(
      "gbdt",
      r.version,
      {
        monotone: true,
        predict: (cols) => gbdt.predict(cols),
        contributions: (row) => gbdt.featureContributions(row),
      },
      a.categories,
      p.price_response,
    );
  },
  cart: (r) => {
    const a = parseOrThrow(LearnedArtifact, r.artifact, `load model ${r.version}`);
    const p = parseOrThrow(LearnedParams, r.params, `load model ${r.version}`);
    return learnedModel("cart", r.version, loadCart(a.model), a.categories, p.price_response);
  },
};

/**
 * The demand model of a registered model: its kind says how its artifact is loaded.
 *
 * @param record The registered model.
 * @returns The model, ready to predict.
 * @throws {TypeError} When the artifact or parameters of a learned model fail their schema.
 *
 * @example Usage
 * ```ts
 * import { modelOfRecord } from "./load.ts";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import type { ModelRecord } from "../schema/models.ts";
 * import assert from "node:assert/strict";
 *
 * const record: ModelRecord = {
 *   version: "elasticity-1", kind: "elasticity", seed: 1, params: {}, artifact: {},
 *   trained_from: "2024-01-01", trained_to: "2024-12-31", status: "champion", recorded_at: null,
 *   metrics: {
 *     holdout_from: "2024-12-01", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *     candidate: { wape: 0.31, bias: 0.02 }, seasonal_naive: { wape: 0.42, bias: 0 },
 *     champion: null,
 *   },
 * };
 * const features: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1.04, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const model = modelOfRecord(record);
 * assert.equal(model.version, "elasticity-1");
 * // the elasticity model: base units at the base price, less at a higher price
 * const [atBase, higher] = model.predict(features, [2.99, 3.49]);
 * assert.equal(atBase, 10);
 * assert.ok(higher < atBase);
 * ```
 */
export function modelOfRecord(record: ModelRecord): DemandModel {
  return LOADERS[record.kind](record);
}

/**
 * The demand model of a registered version, whatever its status.
 *
 * @param db The store.
 * @param version The model's version.
 * @returns The model.
 * @throws {RangeError} When the version is not in the registry.
 *
 * @example Usage
 * ```ts
 * import { modelOfVersion } from "./load.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendModel, type NewModel } from "../store/write/models.ts";
 * import assert from "node:assert/strict";
 *
 * const model: NewModel = {
 *   version: "elasticity-1", kind: "elasticity", seed: 1, params: {}, artifact: {},
 *   trainedFrom: "2024-01-01", trainedTo: "2024-12-31",
 *   metrics: {
 *     holdout_from: "2024-12-01", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *     candidate: { wape: 0.31, bias: 0.02 }, seasonal_naive: { wape: 0.42, bias: 0 },
 *     champion: null,
 *   },
 * };
 * const db = openStore(":memory:");
 * appendModel(db, model, "trainer", null);
 * assert.equal(modelOfVersion(db, "elasticity-1").kind, "elasticity");
 * assert.throws(() => modelOfVersion(db, "gbdt-9"), RangeError);
 * db.close();
 * ```
 */
export function modelOfVersion(db: DatabaseSync, version: string): DemandModel {
  const record = readModels(db, { version })[0];
  if (!record) throw new InputError(`Cannot load model ${version}: not in the registry`);
  return modelOfRecord(record);
}

/**
 * The demand model of the champion: the approved model that prices.
 *
 * @param db The store.
 * @returns The model, or null when no model is approved.
 *
 * @example Usage
 * ```ts
 * import { championModel } from "./load.ts";
 * import { approveModel } from "./approval.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendModel, type NewModel } from "../store/write/models.ts";
 * import assert from "node:assert/strict";
 *
 * const model: NewModel = {
 *   version: "elasticity-1", kind: "elasticity", seed: 1, params: {}, artifact: {},
 *   trainedFrom: "2024-01-01", trainedTo: "2024-12-31",
 *   metrics: {
 *     holdout_from: "2024-12-01", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *     candidate: { wape: 0.31, bias: 0.02 }, seasonal_naive: { wape: 0.42, bias: 0 },
 *     champion: null,
 *   },
 * };
 * const db = openStore(":memory:");
 * appendModel(db, model, "trainer", null);
 * assert.equal(championModel(db), null);
 * approveModel(db, "elasticity-1", { actor: "ann", reason: "beats naive", recordedAt: null });
 * assert.equal(championModel(db)?.version, "elasticity-1");
 * db.close();
 * ```
 */
export function championModel(db: DatabaseSync): DemandModel | null {
  const record = readChampion(db);
  return record ? modelOfRecord(record) : null;
}
