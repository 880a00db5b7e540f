/**
 * Pricing settings as pricing ops type them: set the objective and rules of the
 * store or of one category from a date on, and show what is in force on a date,
 * resolved per category. The first day defaults to the store's next run date.
 *
 * @module
 */
import { InputError } from "../util/errors.ts";
import type { DatabaseSync } from "node:sqlite";
import type { PricingRules, PricingSettingsRecord, RulesSettings } from "../schema/rules.ts";
import { defaultRunDate, readCatalogBefore, readPricingSettings } from "../store/queries.ts";
import { appendPricingSettings, transaction } from "../store/writer.ts";
import { describeRules, resolveRules, rulesSettingsAt } from "./objectives.ts";

/** What pricing ops ask for. */
export interface SettingsIntent {
  /** The category, or null for the store. */
  category: string | null;
  /** First run date it applies to. Default: the store's next run date. */
  from?: string;
  /** The whole setting of the scope: fields left out inherit, null turns a rule off. */
  settings: PricingRules;
  /** Who sets it. */
  actor: string;
  /** Why, in a sentence: recorded with the setting. */
  reason: string;
}

/**
 * Records a setting and returns it as stored. Throws `RangeError` for a category the
 * catalog does not know, `TypeError` for a malformed setting.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, openStore } from "../mod.ts";
 * import { recordPricingSettings } from "./settings_requests.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * const intent = {
 *   category: "snacks", from: "2025-02-01", settings: { units_floor: 0.9 }, actor: "ops",
 *   reason: "keep volume through the promotion",
 * };
 * const stored = recordPricingSettings(db, intent, null);
 * assert.equal(stored.id, 1);
 * assert.equal(stored.scope, "category");
 * assert.equal(stored.target, "snacks");
 * assert.throws(() => recordPricingSettings(db, { ...intent, category: "toys" }, null), /no such/);
 * db.close();
 * ```
 */
export function recordPricingSettings(
  db: DatabaseSync,
  intent: SettingsIntent,
  recordedAt: string | null,
): PricingSettingsRecord {
  const from = intent.from ?? defaultRunDate(db);
  if (intent.category !== null) {
    const known = readCatalogBefore(db, "9999-12-31").some((c) => c.category === intent.category);
    if (!known) {
      throw new InputError(
        `Cannot set the pricing settings of category ${
          JSON.stringify(intent.category)
        }: no such category in the catalog`,
      );
    }
  }
  return transaction(db, () => {
    const id = appendPricingSettings(db, {
      scope: intent.category === null ? "store" : "category",
      target: intent.category,
      effective_from: from,
      settings: intent.settings,
      actor: intent.actor,
      reason: intent.reason,
    }, recordedAt);
    return readPricingSettings(db).find((r) => r.id === id)!;
  });
}

/** The settings in force on a date and what each category prices under. */
export interface SettingsView {
  /** The run date the view is of. */
  date: string;
  /** The settings a run of that date records (null: none, profit and no rules). */
  settings: RulesSettings | null;
  /** Per category of the catalog: its objective and the rules in force, resolved. */
  categories: Record<string, Record<string, unknown>>;
  /** Every setting recorded, in order. */
  history: PricingSettingsRecord[];
}

/**
 * What is in force on `date` (default: the store's next run date).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, openStore } from "../mod.ts";
 * import { pricingSettingsView, recordPricingSettings } from "./settings_requests.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * recordPricingSettings(db, {
 *   category: null, from: "2025-02-01", settings: { objective: "revenue" }, actor: "ops",
 *   reason: "grow the basket",
 * }, null);
 * assert.equal(pricingSettingsView(db, "2025-01-31").settings, null);
 * const view = pricingSettingsView(db, "2025-02-01");
 * assert.deepEqual(view.settings, { store: { objective: "revenue" }, categories: {} });
 * assert.equal(view.categories.snacks.objective, "revenue");
 * assert.equal(view.history.length, 1);
 * db.close();
 * ```
 */
export function pricingSettingsView(db: DatabaseSync, date?: string): SettingsView {
  const on = date ?? defaultRunDate(db);
  const history = readPricingSettings(db);
  const settings = rulesSettingsAt(history, on) ?? null;
  const names = [...new Set(readCatalogBefore(db, on).map((c) => c.category))].sort();
  return {
    date: on,
    settings,
    categories: Object.fromEntries(
      names.map((c) => [c, describeRules(resolveRules(settings ?? undefined, c))]),
    ),
    history,
  };
}
