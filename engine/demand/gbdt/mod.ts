/**
 * Histogram gradient-boosted trees for demand: poisson (log link) or squared
 * error on log1p, monotone constraints enforced while growing, deterministic,
 * and saved as plain JSON.
 *
 * @example Usage
 * ```ts
 * import { loadGbdt, syntheticDemand, trainGbdt } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * // feature 0 is the price: demand must not rise with it
 * const data = syntheticDemand(2000, { features: 3, seed: 1 });
 * const options = { trees: 20, monotone: [-1, 0, 0] as const };
 * const model = trainGbdt(data.features, data.target, data.names, options);
 * const again = loadGbdt(JSON.parse(JSON.stringify(model.toJSON())));
 * assert.deepEqual(again.predict(data.features), model.predict(data.features));
 * ```
 *
 * @module
 */
export { trainGbdt } from "./train.ts";
export { type GbdtModel, loadGbdt } from "./model.ts";
export type { GbdtTrainOptions } from "./options.ts";
export type { LossName } from "./_loss.ts";
export { GbdtModelJson, GbdtTreeJson } from "./schema.ts";
export { type SyntheticDemand, syntheticDemand } from "./synthetic.ts";
