/**
 * The rule-based strategy: documented retail rules applied in order, each a small
 * pure function on a price in cents.
 *
 * 1. cost plus: `unitCost / (1 - targetMargin)` (`COST_PLUS`);
 * 2. competitor band: when the competitor price is known, clamp into
 *    `[band[0], band[1]] × competitor` (`COMPETITOR_BAND` when it moved the price);
 * 3. inventory: mark down by `markdownPct` when days of cover exceed
 *    `markdownCoverDays` (`MARKDOWN_OVERSTOCK`), mark up by `markupPct` when below
 *    `markupCoverDays` (`MARKUP_LOW_COVER`);
 * 4. guardrails: the compliant price in `[lo, hi]` nearest the result
 *    (`GUARDRAIL_CLAMPED` when a bound moved it, `PRICE_ENDING` when only the ending
 *    did); when no price honours every guardrail, the safe price and the conflict
 *    (`GUARDRAIL_CONFLICT`).
 *
 * @module
 */
import {
  bindingConstraints,
  type Conflict,
  type ConstraintName,
  feasibility,
  type Guardrails,
  priceBounds,
  safePrice,
} from "./guardrails.ts";
import { nearestEnding } from "./price_ending.ts";
import { round } from "../util/round.ts";

/** The rule strategy's settings. */
export interface RuleConfig {
  /** Cost-plus margin, fraction of price. Default 0.30. */
  targetMargin: number;
  /** Allowed own/competitor price ratio. Default [0.95, 1.08]. */
  competitorBand: [number, number];
  /** Mark down above this many days of cover. Default 45. */
  markdownCoverDays: number;
  /** Markdown fraction. Default 0.10. */
  markdownPct: number;
  /** Mark up below this many days of cover. Default 7. */
  markupCoverDays: number;
  /** Markup fraction. Default 0.05. */
  markupPct: number;
}

/** The defaults every field of `RuleConfig` falls back to. */
export const DEFAULT_RULE_CONFIG: Readonly<RuleConfig> = Object.freeze({
  targetMargin: 0.30,
  competitorBand: [0.95, 1.08] as [number, number],
  markdownCoverDays: 45,
  markdownPct: 0.10,
  markupCoverDays: 7,
  markupPct: 0.05,
});

/** What the rules look at. */
export interface RuleInput {
  /** The SKU's guardrails; the last step honours them. */
  guardrails: Guardrails;
  /** The competitor's price, or null when unknown. */
  competitorPrice: number | null;
  /** Stock on hand / expected daily sales, or null when unknown. */
  daysOfCover: number | null;
}

/** The reason codes `rulePrice()` can give. */
export type RuleReasonCode =
  | "COST_PLUS"
  | "COMPETITOR_BAND"
  | "MARKDOWN_OVERSTOCK"
  | "MARKUP_LOW_COVER"
  | "GUARDRAIL_CLAMPED"
  | "PRICE_ENDING"
  | "GUARDRAIL_CONFLICT";

/** One applied rule and the price after it. */
export interface RuleStep {
  /** `cost_plus`, `competitor_band`, `markdown`, `markup` or `guardrails`. */
  rule: string;
  /** The price after it, in currency units. */
  price: number;
}

/** The rule strategy's decision. */
export interface RuleResult {
  /** `infeasible` when no price honours every guardrail (the price is then the safe price). */
  status: "ok" | "infeasible";
  /** The price, in currency units. */
  price: number;
  /** Each rule applied, in order, with the price after it. */
  steps: RuleStep[];
  /** The bound constraints the price sits on. */
  binding: ConstraintName[];
  /** The guardrails' conflict when infeasible, else null. */
  conflict: Conflict | null;
  /** The reason codes of the rules that acted, in order. */
  reasonCodes: RuleReasonCode[];
}

/** A step's outcome: the new price in cents and the reason code when it acted. */
export interface RuleOutcome {
  /** The price after the step, in cents. */
  cents: number;
  /** The step's reason code when it changed the price, else null. */
  reason: RuleReasonCode | null;
}

/**
 * The cost-plus price: the price whose margin on `unitCost` is `targetMargin`,
 * rounded up to the cent.
 *
 * @param unitCost What a unit costs, in currency units.
 * @param targetMargin The margin as a fraction of the price, in [0, 1).
 * @returns The price in cents.
 *
 * @example Usage
 * ```ts
 * import { costPlus } from "./rule.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(costPlus(1.5, 0.3), 215); // 1.50 / 0.70 = 2.1428…
 * assert.equal(costPlus(1.4, 0.3), 200);
 * ```
 */
export function costPlus(unitCost: number, targetMargin: number): number {
  return Math.ceil(round((unitCost * 100) / (1 - targetMargin), 6));
}

/**
 * Clamps a price into the band around the competitor's price.
 *
 * @param cents The price in cents.
 * @param competitorPrice The competitor's price in currency units, or null when unknown.
 * @param band The allowed own/competitor price ratio, low and high.
 * @returns The clamped price, with `COMPETITOR_BAND` when it moved; unchanged when the
 * competitor's price is unknown.
 *
 * @example Usage
 * ```ts
 * import { competitorBand } from "./rule.ts";
 * import assert from "node:assert/strict";
 *
 * const band = [0.95, 1.08] as const;
 * assert.deepEqual(competitorBand(215, 3.09, band), { cents: 294, reason: "COMPETITOR_BAND" });
 * assert.deepEqual(competitorBand(300, 3.09, band), { cents: 300, reason: null });
 * assert.deepEqual(competitorBand(215, null, band), { cents: 215, reason: null });
 * ```
 */
export function competitorBand(
  cents: number,
  competitorPrice: number | null,
  band: readonly [number, number],
): RuleOutcome {
  if (competitorPrice === null) return { cents, reason: null };
  const lo = Math.ceil(round(competitorPrice * 100 * band[0], 6));
  const hi = Math.floor(round(competitorPrice * 100 * band[1], 6));
  const out = Math.min(Math.max(cents, lo), hi);
  return { cents: out, reason: out === cents ? null : "COMPETITOR_BAND" };
}

/**
 * Marks the price down when the days of cover exceed `markdownCoverDays`, up when
 * they are below `markupCoverDays`.
 *
 * @param cents The price in cents.
 * @param daysOfCover Stock on hand / expected daily sales, or null when unknown.
 * @param config The rule settings.
 * @returns The adjusted price (rounded to the cent) with its reason code; unchanged when
 * the cover is unknown or in between.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_RULE_CONFIG, inventoryAdjust } from "./rule.ts";
 * import assert from "node:assert/strict";
 *
 * const config = DEFAULT_RULE_CONFIG;
 * assert.deepEqual(inventoryAdjust(300, 60, config), { cents: 270, reason: "MARKDOWN_OVERSTOCK" });
 * assert.deepEqual(inventoryAdjust(300, 3, config), { cents: 315, reason: "MARKUP_LOW_COVER" });
 * assert.deepEqual(inventoryAdjust(300, 20, config), { cents: 300, reason: null });
 * ```
 */
export function inventoryAdjust(
  cents: number,
  daysOfCover: number | null,
  config: RuleConfig,
): RuleOutcome {
  if (daysOfCover === null) return { cents, reason: null };
  if (daysOfCover > config.markdownCoverDays) {
    return { cents: Math.round(cents * (1 - config.markdownPct)), reason: "MARKDOWN_OVERSTOCK" };
  }
  if (daysOfCover < config.markupCoverDays) {
    return { cents: Math.round(cents * (1 + config.markupPct)), reason: "MARKUP_LOW_COVER" };
  }
  return { cents, reason: null };
}

function _assertConfig(c: RuleConfig, input: RuleInput): void {
  const fail = (why: string) => {
    throw new RangeError(`Cannot apply rule pricing as ${why}`);
  };
  const frac = (name: keyof RuleConfig, v: number) => {
    if (!Number.isFinite(v) || v < 0 || v >= 1) fail(`${name} ${v} is outside [0, 1)`);
  };
  frac("targetMargin", c.targetMargin);
  frac("markdownPct", c.markdownPct);
  frac("markupPct", c.markupPct);
  const [lo, hi] = c.competitorBand;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo > 0 && lo <= hi)) {
    fail(`competitor band [${lo}, ${hi}] is not 0 < low <= high`);
  }
  if (!(c.markupCoverDays >= 0 && c.markupCoverDays <= c.markdownCoverDays)) {
    fail(
      `markup cover days ${c.markupCoverDays} must be in [0, markdown cover days ${c.markdownCoverDays}]`,
    );
  }
  const cp = input.competitorPrice;
  if (cp !== null && !(Number.isFinite(cp) && cp > 0)) {
    fail(`competitor price ${cp} is not a positive finite number`);
  }
  const d = input.daysOfCover;
  if (d !== null && (Number.isNaN(d) || d < 0)) fail(`days of cover ${d} is negative or NaN`);
}

/**
 * Prices a SKU by the retail rules, in order: cost plus, competitor band, inventory,
 * then the guardrails (see the module doc for each rule's reason code).
 *
 * @param input The guardrails, the competitor's price and the days of cover.
 * @param config Settings that replace the defaults of {@linkcode DEFAULT_RULE_CONFIG}.
 * @returns The price with every step and reason code; when the guardrails clash, the
 * safe price, status `infeasible` and the conflict.
 * @throws {RangeError} When a setting or input is out of range (e.g. a margin outside
 * [0, 1) or a negative days of cover), or the guardrails make no sense.
 *
 * @example Usage
 * ```ts
 * import { rulePrice } from "./rule.ts";
 * import type { Guardrails } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * const r = rulePrice({ guardrails: g, competitorPrice: 3.09, daysOfCover: 12 });
 * // cost plus 2.15, raised into the competitor band to 2.94, then the nearest price ending in 9
 * assert.deepEqual(r.steps.map((s) => s.price), [2.15, 2.94, 2.89]);
 * assert.equal(r.price, 2.89);
 * assert.deepEqual(r.reasonCodes, ["COST_PLUS", "COMPETITOR_BAND", "PRICE_ENDING"]);
 * ```
 */
export function rulePrice(input: RuleInput, config: Partial<RuleConfig> = {}): RuleResult {
  const c: RuleConfig = { ...DEFAULT_RULE_CONFIG, ...config };
  _assertConfig(c, input);
  const g = input.guardrails;
  const steps: RuleStep[] = [];
  const reasonCodes: RuleReasonCode[] = [];
  const record = (rule: string, o: RuleOutcome) => {
    steps.push({ rule, price: o.cents / 100 });
    if (o.reason) reasonCodes.push(o.reason);
    return o.cents;
  };

  let cents = record("cost_plus", {
    cents: costPlus(g.unitCost, c.targetMargin),
    reason: "COST_PLUS",
  });
  if (input.competitorPrice !== null) {
    cents = record(
      "competitor_band",
      competitorBand(cents, input.competitorPrice, c.competitorBand),
    );
  }
  const inv = inventoryAdjust(cents, input.daysOfCover, c);
  if (inv.reason) cents = record(inv.reason === "MARKDOWN_OVERSTOCK" ? "markdown" : "markup", inv);

  const feas = feasibility(g);
  if (!feas.feasible) {
    const safe = safePrice(g).price;
    record("guardrails", { cents: Math.round(safe * 100), reason: "GUARDRAIL_CONFLICT" });
    return {
      status: "infeasible",
      price: safe,
      steps,
      binding: bindingConstraints(safe, g),
      conflict: feas.conflict,
      reasonCodes,
    };
  }
  const b = priceBounds(g);
  const target = Math.max(1, cents);
  const snapped = nearestEnding(target, g.priceEnding, b.lo, b.hi)!;
  const reason: RuleReasonCode | null = target < b.lo || target > b.hi
    ? "GUARDRAIL_CLAMPED"
    : snapped !== target
    ? "PRICE_ENDING"
    : null;
  cents = record("guardrails", { cents: snapped, reason });
  const price = cents / 100;
  return {
    status: "ok",
    price,
    steps,
    binding: bindingConstraints(price, g),
    conflict: null,
    reasonCodes,
  };
}
