/**
 * The verdict of an evaluation: which categories and SKUs a model should
 * price, and which it should leave to the rule, with a reason code that says
 * why. The daily run applies the latest verdict recorded for its model (see
 * `deno task evaluate`): a SKU left to the rule is priced by it with the code.
 *
 * Week-to-week (or day-to-day) changes in units are noisy: even a model with the
 * true elasticity sees units move against the price on many moves (an expected
 * change of −0.2 in log units under noise of 0.4 agrees in sign 69% of the time).
 * So the verdict asks whether the model's predicted changes carry evidence, with
 * the thresholds named in {@linkcode VERDICT_RULES}:
 * - a category whose forecast is worse than the seasonal-naive one (model WAPE /
 *   naive WAPE above `maxWapeRatio`, on at least `minRowsCategory` rows) is left
 *   to the rule: `ML_WORSE_THAN_NAIVE`;
 * - a category whose price response cannot be trusted is left to the rule:
 *   `ML_UNTRUSTED_PRICE_RESPONSE`. It is judged on its own non-promotion price moves
 *   when it has at least `minMovesCategory`, else on the store's: its sign agreement
 *   is not above chance (the one-sided z of the agreeing moves against half of them,
 *   (a − n/2) / √(n/4), below `minSignZ`: 5%), or its calibration slope is at or below
 *   `minCalibrationSlope` (predicted changes that do not go with the actual ones);
 * - a SKU of a trusted category whose own moves go against the model (at least
 *   `minMovesSku` moves, z at or below `maxSkuSignZ`) is left to the rule:
 *   `ML_UNTRUSTED_PRICE_RESPONSE`.
 *
 * @module
 */
import { round } from "../util/round.ts";
import { type PriceMove, type PriceResponseStats, responseStats } from "./price_response.ts";
import { accuracy } from "./accuracy.ts";
import type { VerdictCode } from "../schema/evaluation.ts";

/** The thresholds of the verdict. */
export const VERDICT_RULES: Readonly<{
  maxWapeRatio: number;
  minRowsCategory: number;
  minMovesCategory: number;
  minSignZ: number;
  minCalibrationSlope: number;
  minMovesSku: number;
  maxSkuSignZ: number;
}> = Object.freeze({
  /** A category's model WAPE may be at most this times the seasonal-naive WAPE. */
  maxWapeRatio: 1,
  /** Rows a category needs before its forecast is judged. */
  minRowsCategory: 20,
  /** Non-promotion moves a category needs to be judged on its own (else on the store's). */
  minMovesCategory: 20,
  /** Sign agreement must be above chance: its z at least this (one-sided 5%). */
  minSignZ: 1.645,
  /** The calibration slope must be above this. */
  minCalibrationSlope: 0,
  /** Moves a SKU needs to be judged on its own. */
  minMovesSku: 6,
  /** A SKU whose own sign agreement has a z at or below this goes against the model. */
  maxSkuSignZ: -1.645,
});

/**
 * The sign test of moves: of those whose units changed, how many changed with the
 * predicted sign, and the z of that count against half of them.
 *
 * @param moves The moves.
 * @returns The moves judged, those agreeing, and z (0 when none is judged).
 *
 * @example Usage
 * ```ts
 * import { signTest } from "./verdict.ts";
 * import assert from "node:assert/strict";
 *
 * const moves = [-0.1, -0.2, 0.1, -0.3].map((actual) => ({ predicted: -0.2, actual }));
 * assert.deepEqual(signTest(moves), { n: 4, agree: 3, z: 1 });
 * ```
 */
export function signTest(
  moves: readonly { predicted: number; actual: number }[],
): { n: number; agree: number; z: number } {
  let n = 0, agree = 0;
  for (const m of moves) {
    if (!Number.isFinite(m.predicted) || !Number.isFinite(m.actual) || m.actual === 0) continue;
    n++;
    if (Math.sign(m.predicted) === Math.sign(m.actual)) agree++;
  }
  return { n, agree, z: n ? round((agree - n / 2) / Math.sqrt(n / 4), 4) : 0 };
}

/** What the verdict says of one category or SKU. */
export interface VerdictEntry {
  /** Who should price it: the model, or the rule. */
  verdict: "ml" | "rule";
  /** Why the rule (null when the model prices). */
  reason_code: VerdictCode | null;
  /** The evidence, in words. */
  detail: string;
}

/** The verdict of an evaluation. */
export interface EvaluationVerdict {
  /** The model it applies to, or null (a setting evaluated without a registered model). */
  model_version: string | null;
  /** The thresholds it applied. */
  rules: typeof VERDICT_RULES;
  /** Every category's verdict. */
  categories: (VerdictEntry & { category: string })[];
  /** The SKUs left to the rule (every other evaluated SKU is priced by the model). */
  skus: (VerdictEntry & { sku: string; category: string })[];
  /** How many SKUs it leaves to the rule, their share of the evaluated ones, and why. */
  left_to_rule: { skus: number; share: number; by_reason: Record<string, number> };
}

/** What the verdict is judged on. */
export interface VerdictEvidence {
  /** The model the verdict is for. */
  modelVersion: string | null;
  /** Evaluated rows without promotion or censoring: units and the model's and naive forecasts. */
  rows: readonly {
    sku: string;
    category: string;
    units: number;
    forecast: { model: number; naive: number };
  }[];
  /** The model's non-promotion price moves. */
  moves: readonly PriceMove[];
  /** Every evaluated SKU. */
  skus: readonly string[];
  /** Each SKU's category. */
  categoryOf: ReadonlyMap<string, string>;
}

/**
 * Judges an evaluation by {@linkcode VERDICT_RULES} (see the module notes).
 *
 * @param e The evaluated rows, the model's non-promotion moves and the SKUs.
 * @returns Categories with their verdict, the SKUs left to the rule and their share.
 *
 * @example Usage
 * ```ts
 * import { judge } from "./verdict.ts";
 * import assert from "node:assert/strict";
 *
 * // 30 moves in "juice" where units went up with the price half the time and more
 * const moves = Array.from({ length: 30 }, (_, i) => ({
 *   sku: `J${i % 3}`, category: "juice", date: "2025-01-01", promo: false,
 *   logPriceChange: 0.1, predicted: -0.2, actual: i % 3 === 0 ? -0.1 : 0.1,
 * }));
 * const rows = ["J0", "J1", "J2"].map((sku) => ({
 *   sku, category: "juice", units: 10, forecast: { model: 10, naive: 12 },
 * }));
 * const v = judge({
 *   modelVersion: "gbdt-1", rows, moves, skus: ["J0", "J1", "J2"],
 *   categoryOf: new Map([["J0", "juice"], ["J1", "juice"], ["J2", "juice"]]),
 * });
 * assert.equal(v.categories[0].verdict, "rule");
 * assert.equal(v.categories[0].reason_code, "ML_UNTRUSTED_PRICE_RESPONSE");
 * assert.equal(v.left_to_rule.share, 1);
 * ```
 */
export function judge(e: VerdictEvidence): EvaluationVerdict {
  const r = VERDICT_RULES;
  const categories = [...new Set(e.skus.map((s) => e.categoryOf.get(s)!))].sort();
  const lines = categories.map((category) => {
    const rows = e.rows.filter((x) => x.category === category);
    const moves = e.moves.filter((m) => m.category === category);
    return { category, ...judgeCategory(rows, moves, e.moves) };
  });
  const ruled = new Map(lines.map((l) => [l.category, l]));
  const skus: EvaluationVerdict["skus"] = [];
  for (const sku of e.skus) {
    const category = e.categoryOf.get(sku)!;
    const c = ruled.get(category)!;
    if (c.verdict === "rule") {
      skus.push({ sku, category, verdict: "rule", reason_code: c.reason_code, detail: c.detail });
      continue;
    }
    const own = signTest(e.moves.filter((m) => m.sku === sku));
    if (own.n >= r.minMovesSku && own.z <= r.maxSkuSignZ) {
      skus.push({
        sku,
        category,
        verdict: "rule",
        reason_code: "ML_UNTRUSTED_PRICE_RESPONSE",
        detail: `SKU ${sku}: units moved with the predicted sign on ${own.agree} of ${own.n} ` +
          `non-promotion moves of its own, against the model (z ${own.z}, at most ${r.maxSkuSignZ})`,
      });
    }
  }
  const byReason: Record<string, number> = {};
  for (const s of skus) byReason[s.reason_code!] = (byReason[s.reason_code!] ?? 0) + 1;
  return {
    model_version: e.modelVersion,
    rules: r,
    categories: lines,
    skus,
    left_to_rule: {
      skus: skus.length,
      share: e.skus.length ? round(skus.length / e.skus.length, 4) : 0,
      by_reason: byReason,
    },
  };
}

function judgeCategory(
  rows: VerdictEvidence["rows"],
  own: readonly PriceMove[],
  store: readonly PriceMove[],
): VerdictEntry {
  const r = VERDICT_RULES;
  const units = rows.map((x) => x.units);
  const model = accuracy(units, rows.map((x) => x.forecast.model));
  const naive = accuracy(units, rows.map((x) => x.forecast.naive));
  if (rows.length >= r.minRowsCategory && model.wape > r.maxWapeRatio * naive.wape) {
    return {
      verdict: "rule",
      reason_code: "ML_WORSE_THAN_NAIVE",
      detail:
        `forecast WAPE ${model.wape} above the seasonal-naive ${naive.wape} on ${rows.length} rows`,
    };
  }
  const mine = own.length >= r.minMovesCategory;
  const judged = mine ? own : store;
  const whose = mine ? "its" : `the store's (it has ${own.length} of its own)`;
  const forecast = `forecast WAPE ${model.wape} vs seasonal-naive ${naive.wape}`;
  if (judged.length < r.minMovesCategory) {
    return {
      verdict: "ml",
      reason_code: null,
      detail:
        `${forecast}; price response not judged: ${judged.length} non-promotion moves in the store (${r.minMovesCategory} needed)`,
    };
  }
  const stats: PriceResponseStats = responseStats(judged);
  const sign = signTest(judged);
  const slopeOk = stats.calibration_slope !== null &&
    stats.calibration_slope > r.minCalibrationSlope;
  const response = `units moved with the predicted sign on ${sign.agree} of ${sign.n} of ` +
    `${whose} non-promotion moves (share ${stats.sign_agreement}, z ${sign.z}), calibration slope ${stats.calibration_slope}`;
  if (sign.z < r.minSignZ || !slopeOk) {
    return {
      verdict: "rule",
      reason_code: "ML_UNTRUSTED_PRICE_RESPONSE",
      detail:
        `${response}: no better than chance (z at least ${r.minSignZ} and a slope above ${r.minCalibrationSlope} needed)`,
    };
  }
  return { verdict: "ml", reason_code: null, detail: `${forecast}; ${response}` };
}
