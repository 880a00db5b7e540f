/**
 * Empirical-Bayes shrinkage of SKU elasticities toward their category: the
 * category estimate is a precision-weighted mean, the spread between SKUs is
 * estimated by DerSimonian–Laird, and each SKU's estimate moves toward the
 * category in proportion to its own uncertainty.
 *
 * @module
 */

/** One SKU's own estimate. */
export interface RawEstimate {
  /** The SKU. */
  sku: string;
  /** Its category: the group it is shrunk toward. */
  category: string;
  /** Null when the SKU's history cannot identify it. */
  estimate: number | null;
  /** Its standard error (null with the estimate). */
  se: number | null;
}

/**
 * The prior bounds of an own-price elasticity: every estimate the engine prices with
 * lies in [min, max]. Retail own-price elasticities lie well inside it (meta-analyses
 * of grocery and drug store data find means near −2.5, nearly all between −0.5 and
 * −6); an estimate outside it says more about the data (confounded promotions, too
 * little price variation) than about demand. A uniform prior on the interval makes the
 * bound the estimate (the mode of a normal likelihood truncated to it), and the SKU is
 * priced by the rule (`ML_ELASTICITY_OUT_OF_PRIOR`).
 */
export const ELASTICITY_BOUNDS: Readonly<{ min: number; max: number }> = Object.freeze({
  min: -8,
  max: -0.1,
});

/** A shrunk estimate. */
export interface ShrunkEstimate {
  /** The SKU. */
  sku: string;
  /** The SKU's estimate moved toward its category's; the category's when it had none. */
  elasticity: number;
  /** Its standard error. */
  se: number;
  /** The SKU's own estimate, or null. */
  raw: number | null;
  /** The category's estimate (the prior's mean for a category with no identified SKU). */
  category: number;
  /** The estimate before the prior bounds, when they moved it (else absent). */
  unbounded?: number;
}

/** Options of {@linkcode shrinkToCategory}. */
export interface ShrinkOptions {
  /** Used for a category with no identified SKU. Default -1.5. */
  priorMean?: number;
  /** Its standard error. Default 1. */
  priorSe?: number;
  /** Smallest between-SKU spread assumed (keeps some SKU signal). Default 0.05. */
  minSpread?: number;
  /** Bounds of every estimate and category estimate. Default {@linkcode ELASTICITY_BOUNDS}. */
  bounds?: { min: number; max: number };
}

/**
 * Shrinks each SKU's estimate toward its category's (empirical Bayes): the category
 * estimate is a precision-weighted mean, the spread between its SKUs is estimated by
 * DerSimonian–Laird (at least `minSpread`), and each SKU moves toward the category in
 * proportion to its own uncertainty. A SKU without an estimate gets its category's.
 *
 * @param estimates Each SKU's own estimate.
 * @param options The prior for a category with no identified SKU (`priorMean` default
 * -1.5, `priorSe` default 1), `minSpread` (default 0.05) and the prior `bounds` (default
 * {@linkcode ELASTICITY_BOUNDS}): a category estimate outside them is moved to the bound
 * before SKUs are shrunk toward it, and so is every SKU's result; `unbounded` then keeps
 * the estimate before (the category's, when that was bounded).
 * @returns One shrunk estimate per input, in the input's order.
 *
 * @example Usage
 * ```ts
 * import { shrinkToCategory } from "./shrink.ts";
 * import assert from "node:assert/strict";
 *
 * const [sure, unsure, none] = shrinkToCategory([
 *   { sku: "A", category: "snacks", estimate: -2, se: 0.1 },
 *   { sku: "B", category: "snacks", estimate: -1, se: 0.5 },
 *   { sku: "C", category: "snacks", estimate: null, se: null },
 * ]);
 * assert.ok(Math.abs(sure.elasticity - sure.raw!) < Math.abs(unsure.elasticity - unsure.raw!));
 * assert.equal(none.elasticity, none.category);
 * assert.equal(none.raw, null);
 * // a category whose SKUs say demand rises with price is bounded, and says so
 * const [odd] = shrinkToCategory([{ sku: "D", category: "odd", estimate: 2.25, se: 0.1 }]);
 * assert.deepEqual([odd.elasticity, odd.unbounded], [-0.1, 2.25]);
 * ```
 */
export function shrinkToCategory(
  estimates: readonly RawEstimate[],
  options: ShrinkOptions = {},
): ShrunkEstimate[] {
  const priorMean = options.priorMean ?? -1.5;
  const priorSe = options.priorSe ?? 1;
  const minSpread = options.minSpread ?? 0.05;
  const byCategory = new Map<string, RawEstimate[]>();
  for (const e of estimates) {
    if (e.estimate === null || e.se === null || !(e.se > 0)) continue;
    const list = byCategory.get(e.category) ?? [];
    list.push(e);
    byCategory.set(e.category, list);
  }
  const pooled = new Map<string, { mean: number; se: number; tau2: number }>();
  for (const [category, list] of byCategory) {
    let sw = 0, swx = 0, sw2 = 0;
    for (const e of list) {
      const w = 1 / (e.se! * e.se!);
      sw += w;
      swx += w * e.estimate!;
      sw2 += w * w;
    }
    const fixed = swx / sw;
    let q = 0;
    for (const e of list) q += (e.estimate! - fixed) ** 2 / (e.se! * e.se!);
    const denom = sw - sw2 / sw;
    const tau2 = Math.max(minSpread ** 2, denom > 0 ? (q - (list.length - 1)) / denom : 0);
    let rw = 0, rwx = 0;
    for (const e of list) {
      const w = 1 / (e.se! * e.se! + tau2);
      rw += w;
      rwx += w * e.estimate!;
    }
    pooled.set(category, { mean: rwx / rw, se: Math.sqrt(1 / rw), tau2 });
  }
  const { min, max } = options.bounds ?? ELASTICITY_BOUNDS;
  const bounded = (x: number) => (x < min ? min : x > max ? max : x);
  return estimates.map((e): ShrunkEstimate => {
    const c = pooled.get(e.category) ?? { mean: priorMean, se: priorSe, tau2: priorSe ** 2 };
    // The SKU moves toward its category's estimate, within the bounds.
    const toward = (mean: number) =>
      e.estimate === null || e.se === null || !(e.se > 0)
        ? mean
        : ((1 / (e.se * e.se)) * e.estimate + (1 / c.tau2) * mean) /
          (1 / (e.se * e.se) + 1 / c.tau2);
    const mean = bounded(c.mean);
    const own = e.estimate !== null && e.se !== null && e.se > 0;
    const out: ShrunkEstimate = {
      sku: e.sku,
      elasticity: bounded(toward(mean)),
      se: own ? Math.sqrt(1 / (1 / (e.se! * e.se!) + 1 / c.tau2)) : Math.sqrt(c.tau2 + c.se ** 2),
      raw: own ? e.estimate : null,
      category: mean,
    };
    const unbounded = toward(c.mean);
    return bounded(unbounded) === unbounded ? out : { ...out, unbounded };
  });
}
