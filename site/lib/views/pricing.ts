/**
 * The decisions of the latest successful run, as the pricing page shows them:
 * strategy, override, prices, expectations, binding constraints and reasons,
 * with each SKU's category.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { IsoDate, Sku } from "../../../engine/schema/common.ts";
import { type Decision, StrategyName } from "../../../engine/schema/pricing.ts";
import type { DecisionSummary } from "../../../engine/store/queries.ts";
import {
  latestSucceededRun,
  readCatalogBefore,
  readDecisionPage,
} from "../../../engine/store/queries.ts";
import { addDays } from "../../../engine/util/date.ts";
import { SiteRun, siteRun } from "./runs.ts";

/** One decision as the pricing and SKU pages show it. */
export const SiteDecision = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  sku: Sku,
  category: z.string().nullable(),
  strategy: StrategyName,
  override_kind: z.string().nullable(),
  previous_price: z.number().positive(),
  price: z.number().positive(),
  expected_units: z.number().min(0),
  expected_profit: z.number(),
  infeasible: z.boolean(),
  conflict: z.string().nullable(),
  binding: z.array(z.string()),
  reason_codes: z.array(z.string()),
});
export type SiteDecision = z.infer<typeof SiteDecision>;

/** The site's view of a decision (its category from `categoryOf`). */
export function siteDecision(
  d: Decision | DecisionSummary,
  categoryOf: ReadonlyMap<string, string> = new Map(),
): SiteDecision {
  const { run_id, run_date, sku, strategy, override_kind, previous_price, price } = d;
  const { expected_units, expected_profit, infeasible, conflict, binding, reason_codes } = d;
  return {
    run_id,
    run_date,
    sku,
    category: categoryOf.get(sku) ?? null,
    strategy,
    override_kind,
    previous_price,
    price,
    expected_units,
    expected_profit,
    infeasible,
    conflict,
    binding,
    reason_codes,
  };
}

/** The decisions of the latest successful run (none when no run succeeded yet). */
export const PricingData = z.object({
  run: SiteRun.nullable(),
  total: z.number().int().min(0),
  decisions: z.array(SiteDecision),
});
export type PricingData = z.infer<typeof PricingData>;

/** Options of {@linkcode pricingView}. */
export interface PricingOptions {
  offset?: number;
  /** Default: every decision. */
  limit?: number;
  strategy?: string;
  /** Only SKUs whose code contains this text. */
  sku?: string;
}

/** The latest successful run's decisions by SKU (a page of them when asked), with categories. */
export function pricingView(db: DatabaseSync, options: PricingOptions = {}): PricingData {
  const run = latestSucceededRun(db);
  if (!run) return { run: null, total: 0, decisions: [] };
  const page = readDecisionPage(db, run.run_id, { ...options, limit: options.limit ?? -1 });
  const categoryOf = new Map(
    readCatalogBefore(db, addDays(run.run_date, 1)).map((c) => [c.sku, c.category]),
  );
  return {
    run: siteRun(run),
    total: page.total,
    decisions: page.decisions.map((d) => siteDecision(d, categoryOf)),
  };
}
