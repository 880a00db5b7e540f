/**
 * Objectives and business rules: what a store (or one of its categories) asks
 * the optimizer to maximise and which rules its prices must keep, as settings
 * are written, stored and recorded with every run.
 *
 * @module
 */
import { z } from "zod";
import { IsoDate } from "./common.ts";

/** What the optimizer maximises: expected gross profit or expected revenue. */
export const Objective = z.enum(["profit", "revenue"]);
export type Objective = z.infer<typeof Objective>;

/** Every business rule, resolved in `engine/pricing/rules.ts`. */
export const RuleName = z.enum([
  "family",
  "ladder",
  "kvi_index",
  "price_index",
  "units_floor",
  "revenue_floor",
]);
export type RuleName = z.infer<typeof RuleName>;

/** How a rule binds: a hard rule that cannot hold flags the decision infeasible; a soft one is relaxed. */
export const RuleMode = z.strictObject({
  hard: z.boolean(),
  /** 1 binds first: when rules conflict, the soft rule with the largest number is relaxed first. */
  priority: z.number().int().min(1).max(99),
});
export type RuleMode = z.infer<typeof RuleMode>;

/** A band `[low, high]` of own price over the competitor's. */
export const IndexBand = z.tuple([
  z.number().finite().min(0).max(10),
  z.number().finite().gt(0).max(10),
])
  .refine((b) => b[0] <= b[1], { error: "band must be [low, high] with low <= high" });
export type IndexBand = z.infer<typeof IndexBand>;

const _share = z.number().finite().gt(0).max(2);

/**
 * The settings of one scope (the store or a category). A field left out inherits
 * (a category from the store, the store from the defaults); `null` turns a rule off.
 */
export const PricingRules = z.strictObject({
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
export type PricingRules = z.infer<typeof PricingRules>;

/** The settings a run prices with: the store's and each category's. */
export const RulesSettings = z.strictObject({
  store: PricingRules,
  categories: z.record(z.string().min(1).max(64), PricingRules),
});
export type RulesSettings = z.infer<typeof RulesSettings>;

/** Where a stored setting applies. */
export const SettingsScope = z.enum(["store", "category"]);
export type SettingsScope = z.infer<typeof SettingsScope>;

/** A pricing setting as written: the whole setting of one scope from a date on. */
export const PricingSettingsRequest = z.strictObject({
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
export type PricingSettingsRequest = z.infer<typeof PricingSettingsRequest>;

/** A stored pricing setting. */
export const PricingSettingsRecord = z.strictObject({
  id: z.number().int().positive(),
  scope: SettingsScope,
  target: z.string().nullable(),
  effective_from: IsoDate,
  settings: PricingRules,
  actor: z.string(),
  reason: z.string(),
  recorded_at: z.string().nullable(),
});
export type PricingSettingsRecord = z.infer<typeof PricingSettingsRecord>;
