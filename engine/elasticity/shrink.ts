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
  sku: string;
  category: string;
  /** Null when the SKU's history cannot identify it. */
  estimate: number | null;
  se: number | null;
}

/** A shrunk estimate. */
export interface ShrunkEstimate {
  sku: string;
  elasticity: number;
  se: number;
  raw: number | null;
  category: number;
}

/** Options of {@linkcode shrinkToCategory}. */
export interface ShrinkOptions {
  /** Used for a category with no identified SKU. Default -1.5. */
  priorMean?: number;
  /** Its standard error. Default 1. */
  priorSe?: number;
  /** Smallest between-SKU spread assumed (keeps some SKU signal). Default 0.05. */
  minSpread?: number;
}

/** Shrinks each SKU's estimate toward its category's. Output keeps the input order. */
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
  return estimates.map((e) => {
    const c = pooled.get(e.category) ?? { mean: priorMean, se: priorSe, tau2: priorSe ** 2 };
    if (e.estimate === null || e.se === null || !(e.se > 0)) {
      return {
        sku: e.sku,
        elasticity: c.mean,
        se: Math.sqrt(c.tau2 + c.se ** 2),
        raw: null,
        category: c.mean,
      };
    }
    const wOwn = 1 / (e.se * e.se);
    const wCat = 1 / c.tau2;
    return {
      sku: e.sku,
      elasticity: (wOwn * e.estimate + wCat * c.mean) / (wOwn + wCat),
      se: Math.sqrt(1 / (wOwn + wCat)),
      raw: e.estimate,
      category: c.mean,
    };
  });
}
