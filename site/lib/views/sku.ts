/**
 * One SKU over time, as its page and `GET /api/skus/{sku}/history` show it: the
 * catalog terms as recorded (unit cost, floor, ceiling, ...), each day's shelf
 * price, units sold, promotion and competitor price, the decisions of the runs
 * that priced it (with their explanations on the site: "why this price") and
 * its alerts.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { Decision } from "../../../engine/schema/pricing.ts";
import { AlertRecord } from "../../../engine/schema/monitoring.ts";
import {
  DecisionSummary,
  latestSalesDate,
  readSkuCatalog,
  readSkuDays,
  readSkuDecisions,
  readSkuDecisionSummaries,
  SkuDay,
} from "../../../engine/store/queries.ts";
import { addDays } from "../../../engine/util/date.ts";
import { alertList } from "./alerts.ts";
import { StorePeriod, storePeriod } from "./period.ts";

/** A catalog record of the SKU as the page draws it. */
export const SkuTerms = z.object({
  effective_date: z.string(),
  unit_cost: z.number(),
  floor_price: z.number(),
  ceiling_price: z.number(),
  min_margin: z.number(),
  max_daily_change: z.number(),
  price_ending: z.string(),
  active: z.boolean(),
  reason: z.string(),
});

const SkuBase = z.object({
  sku: z.string(),
  category: z.string(),
  /** Dates of the days shown: [from, to). */
  from: z.string(),
  to: z.string(),
  terms: z.array(SkuTerms),
  /** One row per day, or per week on a weekly store (dated by the week's first day). */
  days: z.array(SkuDay),
  /** The store's pricing period: what one of `days` and a `max_daily_change` are counted in. */
  period: StorePeriod,
  alerts: z.array(AlertRecord),
});

/** A SKU's page: its history with every decision's explanation. */
export const SkuData = SkuBase.extend({ decisions: z.array(Decision) });
export type SkuData = z.infer<typeof SkuData>;

/** A SKU's history without the explanations (`GET /api/decisions/{run}/{sku}` has each). */
export const SkuHistory = SkuBase.extend({ decisions: z.array(DecisionSummary) });
export type SkuHistory = z.infer<typeof SkuHistory>;

/** Options of {@linkcode skuView}. */
export interface SkuViewOptions {
  /** Days of history up to the latest sales date. */
  days: number;
  /** Keep each decision's explanation. Default true. */
  explanations?: boolean;
}

/** One SKU over its last `days` days. Throws `RangeError` for a SKU not in the catalog. */
export function skuView(db: DatabaseSync, sku: string, options: SkuViewOptions): SkuData;
export function skuView(
  db: DatabaseSync,
  sku: string,
  options: SkuViewOptions & { explanations: false },
): SkuHistory;
export function skuView(
  db: DatabaseSync,
  sku: string,
  options: SkuViewOptions,
): SkuData | SkuHistory {
  const terms = readSkuCatalog(db, sku);
  if (!terms.length) throw new RangeError(`Cannot show SKU ${sku}: it is not in the catalog`);
  const to = addDays(latestSalesDate(db) ?? terms[terms.length - 1].effective_date, 1);
  const from = addDays(to, -options.days);
  const decisions = options.explanations === false
    ? readSkuDecisionSummaries(db, sku, { from })
    : readSkuDecisions(db, sku, { from });
  return {
    sku,
    category: terms[terms.length - 1].category,
    from,
    to,
    terms: terms.map(({ sku: _s, category: _c, ...t }) => t),
    days: readSkuDays(db, sku, from, to),
    period: storePeriod(db),
    alerts: alertList(db, { sku }),
    decisions,
  };
}
