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

/** The settings in force on `date`: per scope, the latest record effective on or before it. */
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

/** The rules of `category`: its own settings over the store's over the defaults. */
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

/** True when the category's rules hold across SKUs (a price index or a floor). */
export function hasCategoryRules(r: ResolvedRules): boolean {
  return r.priceIndex !== null || r.unitsFloor !== null || r.revenueFloor !== null;
}

/** The resolved rules as a decision records them: the objective and each rule in force. */
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
