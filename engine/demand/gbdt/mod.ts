/**
 * Histogram gradient-boosted trees for demand: poisson (log link) or squared
 * error on log1p, monotone constraints enforced while growing, deterministic,
 * and saved as plain JSON.
 *
 * ```ts
 * const model = trainGbdt([price, promo], units, ["price", "promo"], { monotone: [-1, 0] });
 * const json = JSON.stringify(model.toJSON());
 * const again = loadGbdt(JSON.parse(json));
 * ```
 *
 * @module
 */
export { trainGbdt } from "./train.ts";
export { type GbdtModel, loadGbdt } from "./model.ts";
export type { GbdtTrainOptions } from "./options.ts";
export { GbdtModelJson, GbdtTreeJson } from "./schema.ts";
export { type SyntheticDemand, syntheticDemand } from "./synthetic.ts";
