/**
 * A feature snapshot: everything the pricing engine knows about one SKU on the
 * morning of a run date, built only from inputs dated before that date.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, IsoDate, Price, Sku } from "./common.ts";
import { GuardrailTerms } from "./guardrails.ts";

const Count = z.number().finite().min(0);

const /** @ignore */ _FeatureSnapshot = z.object({
  run_date: IsoDate,
  sku: Sku,
  category: z.string().min(1),
  /**
   * The shelf price now: on the last day with a sales record, or the price this engine
   * decided for a later day whose sales are not in yet. The previous price of the decision.
   */
  last_price: Price,
  last_sales_date: IsoDate,
  ...GuardrailTerms.shape,
  /** Closing stock of the last inventory record; null when inventory is not tracked. */
  on_hand: Count.nullable(),
  on_order: Count.nullable(),
  next_receipt_date: IsoDate.nullable(),
  /** on_hand / mean daily units over 28 days; null when nothing sold. */
  days_of_cover: Count.nullable(),
  units_7: Count,
  units_28: Count,
  units_90: Count,
  /** Daily rate over 28 days / daily rate over 90 days; null when nothing sold in 90 days. */
  trend_ratio: Count.nullable(),
  /** Mean units per weekday (Monday first) / mean units, over the last 91 days; 1s without data. */
  dow_profile: z.array(Count).length(7),
  /** last_price / mean shelf price over 28 days. */
  price_rel_28: z.number().finite().positive(),
  competitor_price: Price.nullable(),
  /** last_price / competitor_price. */
  competitor_index: z.number().finite().positive().nullable(),
  /** Days in the last 28 that ended with no stock. */
  stockout_days_28: z.number().int().min(0).max(28),
  /** Mean daily units on the last 28 days without promotion or stockout (the demand baseline). */
  base_units: Count,
  /** Mean shelf price on those days. */
  base_price: Price,
  /** Days of sales history on record. */
  history_days: z.number().int().min(0),
  /** Own-price elasticity, shrunk toward the category's estimate. */
  elasticity: z.number().finite(),
  elasticity_se: z.number().finite().positive(),
  /** The SKU's own estimate before shrinkage (null when its history cannot identify it). */
  elasticity_raw: z.number().finite().nullable(),
  elasticity_category: z.number().finite(),
  /** The elasticities were estimated from inputs dated up to this day (the last Sunday before run_date). */
  elasticity_as_of: IsoDate,
  /** The catalog's price family; absent when none. */
  family: z.string().min(1).max(64).optional(),
  /** The catalog's pack size; absent when none. */
  size: z.number().finite().positive().optional(),
  /** Present (true) for a key-value item. */
  key_value_item: z.literal(true).optional(),
  /**
   * The shrunk estimate before the prior bounds (`ELASTICITY_BOUNDS`), present only when
   * they moved it: the SKU's data contradicts what retail demand can be, and ML leaves it
   * to the rule (`ML_ELASTICITY_OUT_OF_PRIOR`).
   */
  elasticity_unbounded: z.number().finite().optional(),
  /**
   * Days in the store's pricing period, on a weekly store only (absent: a day). There the
   * counts above count weeks: units_7 is the last week's units, units_28 the last 4 weeks',
   * units_90 the last 12 weeks', history_days and stockout_days_28 count weeks, base_units
   * and days_of_cover are per week, and dow_profile is all 1.
   */
  period_days: z.literal(7).optional(),
  /**
   * Present only when an input row of the SKU failed its checks and has no correction yet
   * (see `input_quarantine`): the rows, e.g. "sales row 37808: revenue = Infinity". The
   * SKU is then kept at its last price (`DATA_QUARANTINED`).
   */
  quarantined: z.array(z.string().min(1)).min(1).optional(),
});
/** The features of one SKU for one run date. */
export const FeatureSnapshot: typeof _FeatureSnapshot = _FeatureSnapshot;
/** The type {@linkcode FeatureSnapshot} parses to. */
export type FeatureSnapshot = Infer<typeof FeatureSnapshot>;

const /** @ignore */ _SnapshotRow = z.object({
  run_date: IsoDate,
  sku: Sku,
  snapshot_id: z.string().regex(/^[0-9a-f]{64}$/),
  features: FeatureSnapshot,
});
/** A stored snapshot: its features and their content hash. */
export const SnapshotRow: typeof _SnapshotRow = _SnapshotRow;
/** The type {@linkcode SnapshotRow} parses to. */
export type SnapshotRow = Infer<typeof SnapshotRow>;
