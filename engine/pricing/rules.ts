/**
 * The business rules, declared in one table in the style of the guardrails:
 * each rule says what it holds, where it acts, whether it is hard or soft by
 * default and its priority. Everything else (resolution, the category solver,
 * reports) reads these declarations.
 *
 * Rules act in two stages:
 * - `candidates`: family, ladder and the key-value-item band shape the candidate
 *   prices of each SKU, family or ladder before anything is optimised;
 * - `category`: the price index and the floors hold across a category's SKUs and
 *   are solved jointly (see `category_solver.ts`).
 *
 * When rules cannot all hold, the hard ones are kept first, then the soft ones,
 * each in priority order (1 first): a rule that cannot be met is held as close as
 * the rules before it allow. A soft rule given up that way is reported as relaxed
 * (`RULE_RELAXED_<NAME>`); a hard one flags the decisions infeasible with a
 * conflict code naming the rules, as a guardrail conflict does.
 *
 * @module
 */
import type { RuleMode, RuleName } from "../schema/rules.ts";

/** Where a rule acts. */
export type RuleStage = "candidates" | "category";

/** What each rule declares. */
export interface RuleDef {
  /** Where the rule acts: on each line's candidates, or across the category. */
  stage: RuleStage;
  /** Hard or soft and priority unless the settings say otherwise. */
  mode: Readonly<RuleMode>;
  /** One line on what the rule holds. */
  description: string;
}

/** The one place that says what each rule means. */
export const RULES: Readonly<Record<RuleName, RuleDef>> = Object.freeze({
  family: {
    stage: "candidates",
    mode: { hard: true, priority: 1 },
    description: "the SKUs of a family (of one size) share one price",
  },
  ladder: {
    stage: "candidates",
    mode: { hard: true, priority: 2 },
    description:
      "within a family of several sizes, the price per unit of size does not rise with size",
  },
  kvi_index: {
    stage: "candidates",
    mode: { hard: false, priority: 3 },
    description: "a key-value item's price over the competitor's stays within the KVI band",
  },
  price_index: {
    stage: "category",
    mode: { hard: false, priority: 4 },
    description:
      "the category's price index (Σ w·p / Σ w·competitor, w = trailing 28-day units) stays within the band",
  },
  units_floor: {
    stage: "category",
    mode: { hard: false, priority: 5 },
    description:
      "the category's expected demand (before stock caps) is at least the floor × its trailing 28-day level (mean daily units on days without promotion or stockout, weekday-adjusted)",
  },
  revenue_floor: {
    stage: "category",
    mode: { hard: false, priority: 6 },
    description:
      "the category's expected revenue is at least the floor × its trailing 28-day level (as for units, at those days' mean shelf price)",
  },
});

/** Every rule name, in the table's order. */
export const RULE_NAMES = Object.keys(RULES) as RuleName[];

/**
 * The reason code of a soft rule that was relaxed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { relaxedCode } from "./rules.ts";
 *
 * assert.equal(relaxedCode("units_floor"), "RULE_RELAXED_UNITS_FLOOR");
 * ```
 */
export function relaxedCode(rule: RuleName): string {
  return `RULE_RELAXED_${rule.toUpperCase()}`;
}

/**
 * The conflict code of a rule that could not hold, given the rules (or the
 * `guardrails`) it conflicts with: `units_floor_vs_price_index`,
 * `kvi_index_vs_guardrails`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { ruleConflictCode } from "./rules.ts";
 *
 * assert.equal(ruleConflictCode("units_floor", ["price_index"]), "units_floor_vs_price_index");
 * assert.equal(ruleConflictCode("kvi_index", []), "kvi_index_vs_guardrails");
 * ```
 */
export function ruleConflictCode(rule: RuleName, against: readonly string[]): string {
  return `${rule}_vs_${against.length ? against.join("+") : "guardrails"}`;
}
