/**
 * Objectives and rules resolved in one place: which settings are in force on a
 * run date (the latest setting of each scope effective on it), and what a
 * category prices under (its own fields over the store's over the defaults).
 *
 * @module
 */
import type {
  IndexBand,
  Objective,
  PricingRules,
  PricingSettingsRecord,
  RuleMode,
  RuleName,
  RulesSettings,
} from "../schema/rules.ts";
import { RULE_NAMES, RULES } from "./rules.ts";

/** The default share a floor is planned above itself (see `PricingRules.floor_margin`). */
export const DEFAULT_FLOOR_MARGIN = 0.03;

/** The default distance the price index is planned inside its band (see `index_margin`). */
export const DEFAULT_INDEX_MARGIN = 0.005;

/** What one category prices under, every field resolved. */
export interface ResolvedRules {
  /** What the optimizer maximises: expected profit or expected revenue. */
  objective: Objective;
  /** Share of the trailing 28-day units, or null (off). */
  unitsFloor: number | null;
  /** Share of the trailing 28-day revenue, or null (off). */
  revenueFloor: number | null;
  /** The band of the category's sales-weighted price index against the competitor, or null (off). */
  priceIndex: IndexBand | null;
  /** The band of each key-value item's price over the competitor's, or null (off). */
  kviIndex: IndexBand | null;
  /** The share a floor is planned above itself. */
  floorMargin: number;
  /** How far inside its band the price index is planned. */
  indexMargin: number;
  /** Hard or soft and priority of every rule: the settings' over the defaults in `RULES`. */
  modes: Record<RuleName, RuleMode>;
}

/**
 * The settings in force on `date`: per scope, the latest record effective on or before it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PricingSettingsRecord } from "../schema/rules.ts";
 * import { rulesSettingsAt } from "./objectives.ts";
 *
 * const by = { actor: "ops", reason: "plan", recorded_at: null };
 * const records: PricingSettingsRecord[] = [
 *   { ...by, id: 1, scope: "store", target: null, effective_from: "2025-01-01", settings: {} },
 *   {
 *     ...by, id: 2, scope: "store", target: null, effective_from: "2025-02-01",
 *     settings: { objective: "revenue" },
 *   },
 *   {
 *     ...by, id: 3, scope: "category", target: "snacks", effective_from: "2025-01-15",
 *     settings: { units_floor: 0.9 },
 *   },
 * ];
 * assert.equal(rulesSettingsAt(records, "2024-12-31"), undefined);
 * assert.deepEqual(rulesSettingsAt(records, "2025-01-20"), {
 *   store: {},
 *   categories: { snacks: { units_floor: 0.9 } },
 * });
 * assert.equal(rulesSettingsAt(records, "2025-02-01")?.store.objective, "revenue");
 * ```
 */
export function rulesSettingsAt(
  records: readonly PricingSettingsRecord[],
  date: string,
): RulesSettings | undefined {
  let store: PricingSettingsRecord | null = null;
  const categories = new Map<string, PricingSettingsRecord>();
  for (const r of records) {
    if (r.effective_from > date) continue;
    if (r.scope === "store") {
      if (!store || _later(r, store)) store = r;
    } else {
      const prev = categories.get(r.target!);
      if (!prev || _later(r, prev)) categories.set(r.target!, r);
    }
  }
  if (!store && categories.size === 0) return undefined;
  return {
    store: store?.settings ?? {},
    categories: Object.fromEntries(
      [...categories.keys()].sort().map((c) => [c, categories.get(c)!.settings]),
    ),
  };
}

/** Later effective date wins; at equal dates the later recording. */
function _later(a: PricingSettingsRecord, b: PricingSettingsRecord): boolean {
  return a.effective_from !== b.effective_from ? a.effective_from > b.effective_from : a.id > b.id;
}

/**
 * The rules of `category`: its own settings over the store's over the defaults.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RulesSettings } from "../schema/rules.ts";
 * import { resolveRules } from "./objectives.ts";
 *
 * const settings: RulesSettings = {
 *   store: { objective: "revenue", price_index: [0.95, 1.05] },
 *   categories: { snacks: { units_floor: 0.9, modes: { units_floor: { hard: true } } } },
 * };
 * const snacks = resolveRules(settings, "snacks");
 * assert.equal(snacks.objective, "revenue"); // the store's
 * assert.equal(snacks.unitsFloor, 0.9); // its own
 * assert.deepEqual(snacks.kviIndex, [0.95, 1]); // from the price index: [low, min(high, 1)]
 * assert.equal(snacks.floorMargin, 0.03); // the default
 * assert.deepEqual(snacks.modes.units_floor, { hard: true, priority: 5 });
 * assert.equal(resolveRules(settings, "drinks").unitsFloor, null);
 * assert.equal(resolveRules(undefined, "drinks").objective, "profit");
 * ```
 */
export function resolveRules(settings: RulesSettings | undefined, category: string): ResolvedRules {
  const store = settings?.store ?? {};
  const own = settings?.categories[category] ?? {};
  const pick = <K extends keyof PricingRules>(key: K): PricingRules[K] =>
    own[key] !== undefined ? own[key] : store[key];
  const priceIndex = pick("price_index") ?? null;
  const kvi = pick("kvi_index");
  const modes = {} as Record<RuleName, RuleMode>;
  for (const name of RULE_NAMES) {
    modes[name] = { ...RULES[name].mode, ...store.modes?.[name], ...own.modes?.[name] };
  }
  return {
    objective: pick("objective") ?? "profit",
    unitsFloor: pick("units_floor") ?? null,
    revenueFloor: pick("revenue_floor") ?? null,
    priceIndex,
    kviIndex: kvi !== undefined
      ? kvi
      : priceIndex
      ? [priceIndex[0], Math.max(priceIndex[0], Math.min(priceIndex[1], 1))]
      : null,
    floorMargin: pick("floor_margin") ?? DEFAULT_FLOOR_MARGIN,
    indexMargin: pick("index_margin") ?? DEFAULT_INDEX_MARGIN,
    modes,
  };
}

/**
 * True when the category's rules hold across SKUs (a price index or a floor).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasCategoryRules, resolveRules } from "./objectives.ts";
 *
 * assert.equal(hasCategoryRules(resolveRules(undefined, "snacks")), false);
 * const floor = { store: { revenue_floor: 0.8 }, categories: {} };
 * assert.equal(hasCategoryRules(resolveRules(floor, "snacks")), true);
 * ```
 */
export function hasCategoryRules(r: ResolvedRules): boolean {
  return r.priceIndex !== null || r.unitsFloor !== null || r.revenueFloor !== null;
}

/**
 * The resolved rules as a decision records them: the objective and each rule in force.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeRules, resolveRules } from "./objectives.ts";
 *
 * assert.deepEqual(describeRules(resolveRules(undefined, "snacks")), {
 *   objective: "profit",
 *   rules: { family: { hard: true, priority: 1 }, ladder: { hard: true, priority: 2 } },
 * });
 * const floor = { store: { units_floor: 0.9 }, categories: {} };
 * const described = describeRules(resolveRules(floor, "snacks"));
 * assert.deepEqual((described.rules as Record<string, unknown>).units_floor, {
 *   value: 0.9,
 *   hard: false,
 *   priority: 5,
 * });
 * assert.equal(described.floor_margin, 0.03);
 * ```
 */
export function describeRules(r: ResolvedRules): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  const on: [RuleName, unknown][] = [
    ["family", true],
    ["ladder", true],
    ["kvi_index", r.kviIndex],
    ["price_index", r.priceIndex],
    ["units_floor", r.unitsFloor],
    ["revenue_floor", r.revenueFloor],
  ];
  for (const [name, value] of on) {
    if (value === null) continue;
    rules[name] = { ...(value === true ? {} : { value }), ...r.modes[name] };
  }
  const out: Record<string, unknown> = { objective: r.objective, rules };
  if (r.unitsFloor !== null || r.revenueFloor !== null) out.floor_margin = r.floorMargin;
  if (r.priceIndex !== null) out.index_margin = r.indexMargin;
  return out;
}
