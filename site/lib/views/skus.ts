/**
 * The SKU explorer's index: every SKU of the catalog with its category and how
 * the latest successful run priced it, and its open alerts.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { StrategyName } from "../../../engine/schema/pricing.ts";
import {
  latestSucceededRun,
  readAlerts,
  readCatalogBefore,
  readDecisionPage,
} from "../../../engine/store/queries.ts";

/** One SKU in the explorer. */
export const SkuSummary = z.object({
  sku: z.string(),
  /** The product's name from the catalog (null when the catalog gives none). */
  name: z.string().nullable(),
  category: z.string(),
  active: z.boolean(),
  /** How the latest successful run priced it (null when it did not). */
  strategy: StrategyName.nullable(),
  price: z.number().nullable(),
  previous_price: z.number().nullable(),
  override_kind: z.string().nullable(),
  infeasible: z.boolean(),
  reason_codes: z.array(z.string()),
  open_alerts: z.number().int().min(0),
});
export type SkuSummary = z.infer<typeof SkuSummary>;

/** The explorer's index: the latest successful run and every SKU by code. */
export const SkusData = z.object({
  run: z.object({ run_id: z.string(), run_date: z.string() }).nullable(),
  skus: z.array(SkuSummary),
});
export type SkusData = z.infer<typeof SkusData>;

/** Every SKU of the catalog (its latest terms) and how the latest successful run priced it. */
export function skusView(db: DatabaseSync): SkusData {
  const run = latestSucceededRun(db);
  const decided = new Map(
    run ? readDecisionPage(db, run.run_id, { limit: -1 }).decisions.map((d) => [d.sku, d]) : [],
  );
  const alerts = new Map<string, number>();
  for (const a of readAlerts(db, { open: true })) {
    if (a.sku) alerts.set(a.sku, (alerts.get(a.sku) ?? 0) + 1);
  }
  return {
    run: run && { run_id: run.run_id, run_date: run.run_date },
    skus: readCatalogBefore(db, "9999-12-31").map((c) => {
      const d = decided.get(c.sku);
      return {
        sku: c.sku,
        name: c.name ?? null,
        category: c.category,
        active: c.active,
        strategy: d?.strategy ?? null,
        price: d?.price ?? null,
        previous_price: d?.previous_price ?? null,
        override_kind: d?.override_kind ?? null,
        infeasible: d?.infeasible ?? false,
        reason_codes: d?.reason_codes ?? [],
        open_alerts: alerts.get(c.sku) ?? 0,
      };
    }),
  };
}

/** Every SKU code of the catalog, sorted. */
export function skuCodes(db: DatabaseSync): string[] {
  return readCatalogBefore(db, "9999-12-31").map((c) => c.sku);
}
