/**
 * Objectives and business rules: what a store (or one of its categories) asks
 * the optimizer to maximise and which rules its prices must keep, as settings
 * are written, stored and recorded with every run.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, IsoDate } from "./common.ts";

const /** @ignore */ _Objective = z.enum(["profit", "revenue"]);
/** What the optimizer maximises: expected gross profit or expected revenue. */
export const Objective: typeof _Objective = _Objective;
/** The type {@linkcode Objective} parses to. */
export type Objective = Infer<typeof Objective>;

const /** @ignore */ _RuleName = z.enum([
  "family",
  "ladder",
  "kvi_index",
  "price_index",
  "units_floor",
  "revenue_floor",
]);
/** Every business rule, resolved in `engine/pricing/rules.ts`. */
export const RuleName: typeof _RuleName = _RuleName;
/** The type {@linkcode RuleName} parses to. */
export type RuleName = Infer<typeof RuleName>;

const /** @ignore */ _RuleMode = z.strictObject({
  hard: z.boolean(),
  /** 1 binds first: when rules conflict, the soft rule with the largest number is relaxed first. */
  priority: z.number().int().min(1).max(99),
});
/** How a rule binds: a hard rule that cannot hold flags the decision infeasible; a soft one is relaxed. */
export const RuleMode: typeof _RuleMode = _RuleMode;
/** The type {@linkcode RuleMode} parses to. */
export type RuleMode = Infer<typeof RuleMode>;

const /** @ignore */ _IndexBand = z.tuple([
  z.number().finite().min(0).max(10),
  z.number().finite().gt(0).max(10),
])
  .refine((b) => b[0] <= b[1], { error: "band must be [low, high] with low <= high" });
/** A band `[low, high]` of own price over the competitor's. */
export const IndexBand: typeof _IndexBand = _IndexBand;
/** The type {@linkcode IndexBand} parses to. */
export type IndexBand = Infer<typeof IndexBand>;

const _share = z.number().finite().gt(0).max(2);

const /** @ignore */ _PricingRules = z.strictObject({
  /** Default "profit". */
  objective: Objective.optional(),
  /**
   * Category units ≥ this share of the trailing 28-day level (mean daily units on days
   * without promotion or stockout, weekday-adjusted). Default off.
   */
  units_floor: _share.nullable().optional(),
  /** Category revenue ≥ this share of the trailing 28-day level (weekday-adjusted). Default off. */
  revenue_floor: _share.nullable().optional(),
  /** The category's sales-weighted price index against the competitor stays in this band. Default off. */
  price_index: IndexBand.nullable().optional(),
  /**
   * Each key-value item's price over the competitor's stays in this band. Default: when
   * `price_index` is set, [its low, min(its high, 1)]; otherwise off.
   */
  kvi_index: IndexBand.nullable().optional(),
  /**
   * A floor is planned this share above itself, so that realised units and revenue, which
   * are noisy, stay above it on most weeks. Default 0.03.
   */
  floor_margin: z.number().finite().min(0).max(0.5).optional(),
  /**
   * The price index is planned this far inside its band, since the competitor reprices
   * between the plan and the day it is judged on. Default 0.005.
   */
  index_margin: z.number().finite().min(0).max(0.5).optional(),
  /** Hard or soft and priority, per rule (see `RULES` for the defaults). */
  modes: z.partialRecord(RuleName, RuleMode.partial()).optional(),
});
/**
 * The settings of one scope (the store or a category). A field left out inherits
 * (a category from the store, the store from the defaults); `null` turns a rule off.
 */
export const PricingRules: typeof _PricingRules = _PricingRules;
/** The type {@linkcode PricingRules} parses to. */
export type PricingRules = Infer<typeof PricingRules>;

const /** @ignore */ _RulesSettings = z.strictObject({
  store: PricingRules,
  categories: z.record(z.string().min(1).max(64), PricingRules),
});
/** The settings a run prices with: the store's and each category's. */
export const RulesSettings: typeof _RulesSettings = _RulesSettings;
/** The type {@linkcode RulesSettings} parses to. */
export type RulesSettings = Infer<typeof RulesSettings>;

const /** @ignore */ _SettingsScope = z.enum(["store", "category"]);
/** Where a stored setting applies. */
export const SettingsScope: typeof _SettingsScope = _SettingsScope;
/** The type {@linkcode SettingsScope} parses to. */
export type SettingsScope = Infer<typeof SettingsScope>;

const /** @ignore */ _PricingSettingsRequest = z.strictObject({
  scope: SettingsScope,
  /** The category, for scope "category"; null for the store. */
  target: z.string().min(1).max(64).nullable(),
  effective_from: IsoDate,
  settings: PricingRules,
  actor: z.string().trim().min(1, { error: "must name who acts (--by)" }).max(128),
  reason: z.string().trim().min(1, { error: "must give a reason (--reason)" }).max(1000),
}).superRefine((r, ctx) => {
  if ((r.scope === "store") !== (r.target === null)) {
    ctx.addIssue({
      code: "custom",
      path: ["target"],
      message: r.scope === "store" ? "must be empty for scope store" : "must name the category",
    });
  }
});
/** A pricing setting as written: the whole setting of one scope from a date on. */
export const PricingSettingsRequest: typeof _PricingSettingsRequest = _PricingSettingsRequest;
/** The type {@linkcode PricingSettingsRequest} parses to. */
export type PricingSettingsRequest = Infer<typeof PricingSettingsRequest>;

const /** @ignore */ _PricingSettingsRecord = z.strictObject({
  id: z.number().int().positive(),
  scope: SettingsScope,
  target: z.string().nullable(),
  effective_from: IsoDate,
  settings: PricingRules,
  actor: z.string(),
  reason: z.string(),
  recorded_at: z.string().nullable(),
});
/** A stored pricing setting. */
export const PricingSettingsRecord: typeof _PricingSettingsRecord = _PricingSettingsRecord;
/** The type {@linkcode PricingSettingsRecord} parses to. */
export type PricingSettingsRecord = Infer<typeof PricingSettingsRecord>;
