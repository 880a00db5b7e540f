/**
 * Prices a run's SKUs together, category by category: the one place where the
 * store's objective and rules meet the strategies. Without settings and without
 * price families it is `priceSku` for every SKU, exactly as before.
 *
 * In a category:
 * 1. every SKU's strategy is planned (override, default, ML's fallbacks); a
 *    family takes its strongest member's (static over rule over ML), so a frozen
 *    member freezes its family;
 * 2. static and rule lines are priced; a rule-priced family takes the shared
 *    compliant price nearest its members' mean rule price, and its ladder is
 *    repaired by raising the smaller sizes; a static family whose prices differ
 *    keeps them, flagged (a freeze is a person's word);
 * 3. ML lines: a lone SKU in a category without category rules goes through the
 *    optimizer as before (with the objective); families, ladders, key-value items
 *    under a band and every SKU of a category with a price index or a floor go
 *    through the category solver, the static and rule SKUs counting as fixed.
 *    Rules that cannot all hold are kept in order (hard first, then by priority),
 *    each as close as the ones before it allow.
 *
 * @module
 */
import type { RuleMode, RuleName } from "../schema/rules.ts";
import type { StrategyName } from "../schema/pricing.ts";
import { toDayNumber, weekdayOf } from "../util/date.ts";
import { round } from "../util/round.ts";
import { bindingConstraints, violations } from "./guardrails.ts";
import {
  buildItem,
  type BuiltItem,
  type CategoryOutcome,
  type CategoryTerm,
  itemDecisions,
} from "./category_items.ts";
import { maxLevel, solveCategory, type SolverConstraint } from "./category_solver.ts";
import { commonCandidates, commonSafePrice, type PriceLine, priceLines } from "./lines.ts";
import { hasCategoryRules, type ResolvedRules, resolveRules } from "./objectives.ts";
import { relaxedCode, ruleConflictCode } from "./rules.ts";
import {
  type DraftDecision,
  expectation,
  type Fallback,
  guardrailsOf,
  invalidPredictionFallback,
  mlFallback,
  plannedStrategy,
  priceMl,
  priceRule,
  priceSku,
  priceStatic,
  type PricingContext,
} from "./strategies.ts";
import { nextEnding } from "./price_ending.ts";

const _STRENGTH: Record<StrategyName, number> = { static: 2, rule: 1, ml: 0 };

/** A line with the strategy that prices it and each member's own reason codes. */
interface _Planned {
  line: PriceLine;
  strategy: StrategyName;
  codes: Map<number, string[]>;
}

/**
 * Prices every SKU of a run (contexts in snapshot order); decisions in the same order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { pricePortfolio } from "./portfolio.ts";
 * import { DEFAULT_PRICING_CONFIG, priceSku } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.1, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const ctx = (sku: string, unitCost: number, family?: string) => ({
 *   snapshot: { ...snapshot, sku, unit_cost: unitCost, ...(family ? { family } : {}) },
 *   snapshotId: "0".repeat(64),
 *   override: null,
 *   model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * });
 * // Without settings or families, every SKU is priced on its own (here by the rules).
 * const lone = [ctx("J1", 1.5), ctx("J2", 2.2)];
 * assert.deepEqual(pricePortfolio(lone), lone.map(priceSku));
 * assert.deepEqual(pricePortfolio(lone).map((d) => d.price), [2.89, 3.19]);
 * // As one family they share the price both allow nearest their mean.
 * const family = pricePortfolio([ctx("J1", 1.5, "juice"), ctx("J2", 2.2, "juice")]);
 * assert.deepEqual(family.map((d) => d.price), [2.99, 2.99]);
 * assert.ok(family.every((d) => d.reason_codes.includes("FAMILY_PRICE")));
 * ```
 */
export function pricePortfolio(ctxs: readonly PricingContext[]): DraftDecision[] {
  if (!ctxs.length) return [];
  const config = ctxs[0].config;
  if (config.rules === undefined && !ctxs.some((c) => c.snapshot.family !== undefined)) {
    return ctxs.map(priceSku);
  }
  const resolved = new Map<string, ResolvedRules>();
  const rulesOf = (category: string) => {
    let r = resolved.get(category);
    if (!r) resolved.set(category, r = resolveRules(config.rules, category));
    return r;
  };
  // Decisions record the rules only when the run has settings.
  const withRules = ctxs.map((c) =>
    config.rules === undefined ? c : { ...c, rules: rulesOf(c.snapshot.category) }
  );
  const byCategory = new Map<string, _Planned[]>();
  for (const line of priceLines(ctxs.map((c) => c.snapshot))) {
    const members = line.groups.flatMap((g) => g.members);
    const plans = members.map((m) => plannedStrategy(withRules[m]));
    const strategy = plans.reduce<StrategyName>(
      (a, p) => (_STRENGTH[p.strategy] > _STRENGTH[a] ? p.strategy : a),
      "ml",
    );
    const codes = new Map<number, string[]>();
    members.forEach((m, k) => {
      const own: string[] = [];
      if (plans[k].fallback && strategy === "rule") own.push(plans[k].fallback!);
      if (plans[k].strategy !== strategy) own.push("FAMILY_FOLLOWS_MEMBER");
      codes.set(m, own);
    });
    let list = byCategory.get(line.category);
    if (!list) byCategory.set(line.category, list = []);
    list.push({ line, strategy, codes });
  }
  const out = new Array<DraftDecision>(ctxs.length);
  for (const category of [...byCategory.keys()].sort()) {
    _priceCategory(byCategory.get(category)!, withRules, rulesOf(category), out);
  }
  return out;
}

function _priceCategory(
  planned: readonly _Planned[],
  ctxs: readonly PricingContext[],
  rules: ResolvedRules,
  out: DraftDecision[],
): void {
  const mlLines: _Planned[] = [];
  for (const p of planned) {
    if (p.strategy === "static") _priceStaticLine(p, ctxs, out);
    else if (p.strategy === "rule") _priceRuleLine(p, ctxs, rules, out);
    else mlLines.push(p);
  }
  const categoryRules = hasCategoryRules(rules);
  const solve: _Planned[] = [];
  for (const p of mlLines) {
    const lone = p.line.family === null;
    const banded = rules.kviIndex !== null &&
      ctxs[p.line.groups[0].members[0]].snapshot.key_value_item;
    if (lone && !categoryRules && !banded) {
      const m = p.line.groups[0].members[0];
      out[m] = priceMl(ctxs[m]);
    } else solve.push(p);
  }
  if (!solve.length) return;
  const category = ctxs[solve[0].line.groups[0].members[0]].snapshot.category;
  const terms = _terms(rules);
  const items: Extract<BuiltItem, { ok: true }>[] = [];
  for (const p of solve) {
    const built = buildItem(p.line, ctxs, rules, terms);
    if (built.ok) items.push(built);
    else {
      _priceRuleLine(
        { ...p, strategy: "rule" },
        ctxs,
        rules,
        out,
        ["ML_INVALID_PREDICTION"],
        (m) => invalidPredictionFallback(ctxs[m], built.problem),
      );
    }
  }
  if (!items.length) return;
  const inCategory = planned.flatMap((p) => p.line.groups.flatMap((g) => g.members));
  const solvedSet = new Set(items.flatMap((b) => b.groups.flatMap((g) => g.members)));
  const fixed = inCategory.filter((m) => !solvedSet.has(m));
  const constraints = _constraints(rules, terms, inCategory, fixed, ctxs, out);
  const outcome = _solve(items, constraints, rules, category, inCategory.length, fixed.length);
  items.forEach((b, i) => {
    for (const { position, decision } of itemDecisions(b, outcome.choice[i], ctxs, outcome)) {
      out[position] = decision;
    }
  });
  if (rules.priceIndex) {
    // The expected index at the decided prices (the explanation object is shared).
    let num = 0, den = 0;
    for (const m of inCategory) {
      const s = ctxs[m].snapshot;
      if (s.competitor_price === null) continue;
      num += s.units_28 * out[m].price;
      den += s.units_28 * s.competitor_price;
    }
    const report =
      (outcome.explanation.category as { rules: Record<string, Record<string, unknown>> })
        .rules.price_index;
    if (report) report.expected = den > 0 ? round(num / den, 6) : null;
  }
}

/** The terms of the category's rules (none without a price index or a floor). */
function _terms(rules: ResolvedRules): CategoryTerm[] {
  const terms: CategoryTerm[] = [];
  if (rules.priceIndex) {
    // Planned inside the band: the competitor reprices between the plan and the day.
    const mid = (rules.priceIndex[0] + rules.priceIndex[1]) / 2;
    const lo = Math.min(mid, rules.priceIndex[0] + rules.indexMargin);
    const hi = Math.max(mid, rules.priceIndex[1] - rules.indexMargin);
    const w = (s: PricingContext["snapshot"]) => s.competitor_price === null ? 0 : s.units_28;
    terms.push({
      name: "price_index_high",
      rule: "price_index",
      term: (s, p) => w(s) * (hi * (s.competitor_price ?? 0) - p),
    });
    if (rules.priceIndex[0] > 0) {
      terms.push({
        name: "price_index_low",
        rule: "price_index",
        term: (s, p) => w(s) * (p - lo * (s.competitor_price ?? 0)),
      });
    }
  }
  if (rules.unitsFloor !== null) {
    terms.push({ name: "units_floor", rule: "units_floor", term: (_s, _p, u) => u });
  }
  if (rules.revenueFloor !== null) {
    terms.push({ name: "revenue_floor", rule: "revenue_floor", term: (_s, p, u) => p * u });
  }
  return terms;
}

/** A constraint of the category with its rule, mode and what the decisions report. */
interface _Constraint extends SolverConstraint {
  rule: RuleName;
  mode: RuleMode;
  /** For reports: the floor's target level or the band, and the baseline. */
  info: Record<string, number | number[]>;
  /** Level contributed by the fixed (static and rule) SKUs. */
  fixed: number;
}

/** Targets of the category's rules: the fixed SKUs' share taken off. */
function _constraints(
  rules: ResolvedRules,
  terms: readonly CategoryTerm[],
  inCategory: readonly number[],
  fixed: readonly number[],
  ctxs: readonly PricingContext[],
  out: readonly DraftDecision[],
): _Constraint[] {
  // A fixed SKU's demand at its price: the model's when it can say, else its baseline.
  const demand = fixed.map((m) => {
    const ctx = ctxs[m];
    const x = ctx.model?.predict(ctx.snapshot, [out[m].price])[0];
    return x !== undefined && Number.isFinite(x) && x >= 0 ? x : ctx.snapshot.base_units;
  });
  const fixedLevel = (t: CategoryTerm) => {
    let sum = 0;
    fixed.forEach((m, k) => sum += t.term(ctxs[m].snapshot, out[m].price, demand[k]));
    return sum;
  };
  // The trailing 28-day level: mean daily units on the days without promotion or stockout
  // (the snapshot's demand baseline), moved to the run date's weekday; revenue at the mean
  // shelf price of those days.
  let baseUnits = 0;
  let baseRevenue = 0;
  for (const m of inCategory) {
    const s = ctxs[m].snapshot;
    const day = s.base_units * (s.dow_profile[weekdayOf(toDayNumber(s.run_date))] ?? 1);
    baseUnits += day;
    baseRevenue += day * s.base_price;
  }
  return terms.map((t): _Constraint => {
    const f = fixedLevel(t);
    const mode = rules.modes[t.rule];
    if (t.rule === "units_floor" || t.rule === "revenue_floor") {
      const share = t.rule === "units_floor" ? rules.unitsFloor! : rules.revenueFloor!;
      const baseline = t.rule === "units_floor" ? baseUnits : baseRevenue;
      const target = share * (1 + rules.floorMargin) * baseline;
      return {
        name: t.name,
        rule: t.rule,
        mode,
        target: target - f,
        fixed: f,
        info: { floor: share, baseline: round(baseline, 4), planned_level: round(target, 4) },
      };
    }
    // Index sides: Σ_solved term ≥ −Σ_fixed term.
    return {
      name: t.name,
      rule: t.rule,
      mode,
      target: -f,
      fixed: f,
      info: { band: rules.priceIndex! },
    };
  });
}

/** The solve with rules kept in order when they cannot all hold; the shared outcome. */
function _solve(
  items: readonly Extract<BuiltItem, { ok: true }>[],
  constraints: readonly _Constraint[],
  rules: ResolvedRules,
  category: string,
  skus: number,
  fixedSkus: number,
): CategoryOutcome & { choice: number[][] } {
  const solverItems = items.map((b) => b.item);
  const targets = constraints.map((c) => c.target);
  const held = constraints.map(() => true);
  const against: string[][] = constraints.map(() => []);
  let r = solveCategory(solverItems, constraints);
  if (!r.feasible) {
    const order = constraints.map((_, k) => k).sort((a, b) => {
      const ma = constraints[a].mode, mb = constraints[b].mode;
      if (ma.hard !== mb.hard) return ma.hard ? -1 : 1;
      return ma.priority - mb.priority || a - b;
    });
    const before: { index: number; target: number; name: string }[] = [];
    for (const k of order) {
      const reach = maxLevel(solverItems, k, before);
      const tol = 1e-9 * Math.max(1, Math.abs(targets[k]));
      if (reach && reach.level < targets[k] - tol) {
        const alone = before.length ? maxLevel(solverItems, k, []) : reach;
        const binding = reach.binding.map((n) => constraints.find((c) => c.name === n)!.rule);
        against[k] = alone && alone.level < targets[k] - tol
          ? ["guardrails"]
          : [...new Set(binding)].filter((x) => x !== constraints[k].rule);
        if (!against[k].length) against[k] = ["guardrails"];
        targets[k] = reach.level - tol;
        held[k] = false;
      }
      before.push({ index: k, target: targets[k], name: constraints[k].name });
    }
    r = solveCategory(
      solverItems,
      constraints.map((c, k) => ({ name: c.name, target: targets[k] })),
    );
    for (const name of r.violated) {
      const k = constraints.findIndex((c) => c.name === name);
      held[k] = false;
      if (!against[k].length) against[k] = ["guardrails"];
    }
  }
  const relaxed: RuleName[] = [];
  let conflict: string | null = null;
  const report: Record<string, Record<string, unknown>> = {};
  constraints.forEach((c, k) => {
    const level = r.levels[k] + c.fixed;
    const entry = report[c.rule] ??= { ...c.info, hard: c.mode.hard, priority: c.mode.priority };
    if (c.rule !== "price_index") entry.expected = round(level, 4);
    if (!held[k]) {
      entry.held = false;
      entry.against = against[k];
      if (c.mode.hard) conflict ??= ruleConflictCode(c.rule, against[k]);
      else if (!relaxed.includes(c.rule)) relaxed.push(c.rule);
    } else entry.held ??= true;
  });
  const binding = [
    ...new Set(constraints.filter((_, k) => r.multipliers[k] > 0).map((c) => c.rule)),
  ];
  return {
    choice: r.choice,
    binding,
    relaxed,
    conflict,
    explanation: {
      category: {
        name: category,
        skus: skus,
        fixed_skus: fixedSkus,
        rules: report,
        solver: {
          method: "lagrangian",
          multipliers: Object.fromEntries(
            constraints.map((c, k) => [c.name, round(r.multipliers[k], 6)]),
          ),
          objective: rules.objective,
          value: round(r.value, 4),
          dual_bound: Number.isFinite(r.dualBound) ? round(r.dualBound, 4) : null,
          gap: r.gap === null ? null : round(r.gap, 6),
          evaluations: r.evaluations,
        },
      },
    },
  };
}

/** A static line: each member keeps its price; a family whose prices differ is flagged. */
function _priceStaticLine(
  p: _Planned,
  ctxs: readonly PricingContext[],
  out: DraftDecision[],
): void {
  const broken = _lineBreaks(p.line, (m) => ctxs[m].snapshot.last_price);
  for (const g of p.line.groups) {
    for (const m of g.members) {
      const d = priceStatic(ctxs[m]);
      const codes = p.codes.get(m)!;
      const who = ctxs[m].override ? "freeze" : "static";
      const rule = broken.get(m);
      out[m] = rule
        ? {
          ...d,
          infeasible: true,
          conflict: d.conflict ?? ruleConflictCode(rule, [who]),
          reason_codes: [...d.reason_codes, ...codes, "RULE_CONFLICT"],
        }
        : codes.length
        ? { ...d, reason_codes: [...d.reason_codes, ...codes] }
        : d;
    }
  }
}

/** Members whose line's shared price or ladder the given prices break, with the rule. */
function _lineBreaks(line: PriceLine, priceOf: (m: number) => number): Map<number, RuleName> {
  const out = new Map<number, RuleName>();
  for (const g of line.groups) {
    if (new Set(g.members.map(priceOf)).size > 1) {
      for (const m of g.members) out.set(m, "family");
    }
  }
  if (line.ladder) {
    for (let k = 1; k < line.groups.length; k++) {
      const small = line.groups[k - 1], large = line.groups[k];
      const unit = (g: typeof small) => Math.min(...g.members.map(priceOf)) / g.size!;
      if (Math.max(...large.members.map(priceOf)) / large.size! > unit(small) + 1e-9) {
        for (const m of [...small.members, ...large.members]) if (!out.has(m)) out.set(m, "ladder");
      }
    }
  }
  return out;
}

/**
 * A rule-priced line: members priced by the rules, then a family's shared price (the
 * compliant price every member allows nearest their mean), then the ladder repaired by
 * raising smaller sizes to the larger size's unit price.
 */
function _priceRuleLine(
  p: _Planned,
  ctxs: readonly PricingContext[],
  rules: ResolvedRules,
  out: DraftDecision[],
  extra: string[] = [],
  failed?: (m: number) => Fallback,
): void {
  const first = new Map<number, DraftDecision>();
  for (const g of p.line.groups) {
    for (const m of g.members) {
      // A member ML fell back from says why, with the threshold it failed.
      const own = p.codes.get(m)!;
      const fallback = mlFallback(ctxs[m]);
      first.set(
        m,
        priceRule(
          ctxs[m],
          [...extra, ...own],
          failed ? failed(m) : fallback && own.includes(fallback.code) ? fallback : null,
        ),
      );
    }
  }
  if (p.line.family === null) {
    const m = p.line.groups[0].members[0];
    out[m] = first.get(m)!;
    return;
  }
  const price = new Map<number, number>();
  const codes = new Map<number, string[]>();
  const conflicts = new Map<number, string>();
  const add = (m: number, code: string) => {
    const list = codes.get(m) ?? [];
    if (!list.includes(code)) list.push(code);
    codes.set(m, list);
  };
  const groupCents: number[] = [];
  for (const g of p.line.groups) {
    const snaps = g.members.map((m) => ctxs[m].snapshot);
    const mean = g.members.reduce((a, m) => a + first.get(m)!.price, 0) / g.members.length;
    let cents: number;
    if (g.members.length === 1) cents = Math.round(first.get(g.members[0])!.price * 100);
    else {
      const common = commonCandidates(snaps);
      const target = Math.round(mean * 100);
      if (common.length) {
        cents = common.reduce((a, c) => (Math.abs(c - target) < Math.abs(a - target) ? c : a));
      } else if (rules.modes.family.hard) {
        cents = commonSafePrice(snaps).cents;
        for (const m of g.members) conflicts.set(m, ruleConflictCode("family", ["guardrails"]));
      } else {
        cents = NaN;
        for (const m of g.members) add(m, relaxedCode("family"));
      }
      for (const m of g.members) add(m, "FAMILY_PRICE");
    }
    groupCents.push(cents);
    for (const m of g.members) {
      price.set(m, Number.isNaN(cents) ? first.get(m)!.price : cents / 100);
    }
  }
  if (p.line.ladder && groupCents.every((c) => !Number.isNaN(c))) {
    // From the largest size down, each smaller size's unit price reaches the larger's.
    for (let k = p.line.groups.length - 2; k >= 0; k--) {
      const g = p.line.groups[k];
      const large = p.line.groups[k + 1];
      const need = groupCents[k + 1] / large.size!;
      if (groupCents[k] / g.size! >= need - 1e-9) continue;
      if (!rules.modes.ladder.hard) {
        for (const m of [...g.members, ...large.members]) add(m, relaxedCode("ladder"));
        continue;
      }
      const snaps = g.members.map((m) => ctxs[m].snapshot);
      const reach = commonCandidates(snaps).find((c) => c / g.size! >= need - 1e-9);
      const cents = reach ?? nextEnding(Math.ceil(need * g.size! - 1e-9), snaps[0].price_ending);
      if (reach === undefined) {
        for (const m of g.members) conflicts.set(m, ruleConflictCode("ladder", ["guardrails"]));
      }
      groupCents[k] = cents;
      for (const m of g.members) {
        price.set(m, cents / 100);
        add(m, "LADDER_REPAIRED");
      }
    }
  }
  const family = {
    family: p.line.family,
    ladder: p.line.ladder,
    groups: p.line.groups.map((g, k) => ({
      size: g.size,
      price: Number.isNaN(groupCents[k]) ? null : groupCents[k] / 100,
      unit_price: g.size === null || Number.isNaN(groupCents[k])
        ? null
        : round(groupCents[k] / 100 / g.size, 6),
      skus: g.members.map((m) => ctxs[m].snapshot.sku),
    })),
  };
  for (const g of p.line.groups) {
    for (const m of g.members) {
      const d = first.get(m)!;
      const ctx = ctxs[m];
      const x = price.get(m)!;
      const gr = guardrailsOf(ctx.snapshot);
      const broken = violations(x, gr);
      const conflict = conflicts.get(m) ?? (x === d.price ? d.conflict : null) ??
        (broken.length ? `guardrails_${broken.join("+")}` : null);
      out[m] = {
        ...d,
        price: x,
        ...expectation(ctx, x),
        infeasible: broken.length > 0 || conflicts.has(m),
        conflict,
        binding: bindingConstraints(x, gr),
        reason_codes: [...d.reason_codes, ...(codes.get(m) ?? [])],
        explanation: { ...d.explanation, family },
      };
    }
  }
}
