/** The price export downstream systems apply: one CSV row per SKU. @module */
import type { Decision } from "../schema/pricing.ts";

/** The CSV header of the price export. */
export const PRICE_EXPORT_HEADER = "sku,price,effective_date,strategy,run_id";

/** The day's prices as CSV (header + one row per decision, by SKU). */
export function priceExportCsv(decisions: readonly Decision[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [...decisions].sort((a, b) => (a.sku < b.sku ? -1 : 1)).map((d) =>
    [d.sku, d.price.toFixed(2), d.run_date, d.strategy, d.run_id].map(quote).join(",")
  );
  return `${[PRICE_EXPORT_HEADER, ...lines].join("\n")}\n`;
}
