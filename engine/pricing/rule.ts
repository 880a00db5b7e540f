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
  rule: string;
  price: number;
}

/** The rule strategy's decision. */
export interface RuleResult {
  status: "ok" | "infeasible";
  price: number;
  steps: RuleStep[];
  binding: ConstraintName[];
  conflict: Conflict | null;
  reasonCodes: RuleReasonCode[];
}

/** A step's outcome: the new price in cents and the reason code when it acted. */
export interface RuleOutcome {
  cents: number;
  reason: RuleReasonCode | null;
}

/** Cost plus target margin, rounded up to the cent. */
export function costPlus(unitCost: number, targetMargin: number): number {
  return Math.ceil(round((unitCost * 100) / (1 - targetMargin), 6));
}

/** Clamps `cents` into the band around the competitor price (unchanged when unknown). */
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

/** Marks down on overstock, up on low cover (unchanged when cover is unknown). */
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

/** Prices by the rules above; see the module doc for the order and reason codes. */
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
