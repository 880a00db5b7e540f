/**
 * A registered model's settings in one line, for listings and notebooks: the
 * settings live in its `params`, as training recorded them.
 *
 * @module
 */
import type { ModelRecord } from "../schema/models.ts";

/**
 * The settings a model was trained with, in words: for gbdt its depth, learning
 * rate, trees (and how many early stopping kept), leaves, minimum leaf size and
 * loss; for cart the rows it trained on; for both the price response.
 *
 * @param model The model's kind and params (a `ModelRecord` or `ModelSummary` will do).
 * @returns One line, e.g. `gbdt depth 4, learning rate 0.05, 300 trees (212 kept), ...`.
 *
 * @example Usage
 * ```ts
 * import { describeSettings } from "./settings.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   describeSettings({
 *     kind: "gbdt",
 *     params: {
 *       maxDepth: 4, learningRate: 0.05, trees: 300, trees_kept: 212, maxLeaves: 31,
 *       minLeafSize: 50, loss: "poisson", price_response: "elasticity",
 *     },
 *   }),
 *   "gbdt depth 4, learning rate 0.05, 300 trees (212 kept), 31 leaves, min leaf 50, " +
 *     "poisson loss; price response elasticity",
 * );
 * assert.equal(
 *   describeSettings({ kind: "cart", params: { max_rows: 5000, rows: 4200, price_response: "learned" } }),
 *   "cart on 4200 rows (at most 5000); price response learned",
 * );
 * assert.equal(
 *   describeSettings({ kind: "elasticity", params: {} }),
 *   "elasticity: each SKU's estimated constant-elasticity curve",
 * );
 * ```
 */
export function describeSettings(model: Pick<ModelRecord, "kind" | "params">): string {
  const p = model.params;
  const v = (key: string) => (p[key] === undefined || p[key] === null ? "?" : String(p[key]));
  const response = `; price response ${v("price_response")}`;
  switch (model.kind) {
    case "elasticity":
      return "elasticity: each SKU's estimated constant-elasticity curve";
    case "cart":
      return `cart on ${v("rows")} rows (at most ${v("max_rows")})${response}`;
    case "gbdt": {
      const extra = [
        p.subsample !== undefined && p.subsample !== 1 ? `, subsample ${v("subsample")}` : "",
        p.l2 !== undefined ? `, l2 ${v("l2")}` : "",
      ].join("");
      return `gbdt depth ${v("maxDepth")}, learning rate ${v("learningRate")}, ${
        v("trees")
      } trees (${v("trees_kept")} kept), ${v("maxLeaves")} leaves, min leaf ${v("minLeafSize")}, ${
        v("loss")
      } loss${extra}${response}`;
    }
  }
}
