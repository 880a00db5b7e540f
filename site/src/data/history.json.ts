// Per SKU: shelf prices of the last SITE_HISTORY_DAYS days of sales, and the decisions of recent runs.
import {
  latestSalesDate,
  readDecisions,
  readRuns,
  readSales,
} from "../../../engine/store/queries.ts";
import { addDays } from "../../../engine/util/date.ts";
import { emit, HistoryData, siteDecision } from "../../lib/site_data.ts";

const DAYS = Number(Deno.env.get("SITE_HISTORY_DAYS") ?? 120);
emit(HistoryData, (db) => {
  const to = addDays(latestSalesDate(db) ?? "1970-01-01", 1);
  const sales = readSales(db, addDays(to, -DAYS), to)
    .map((s) => ({ sku: s.sku, date: s.date, price: s.shelf_price, units: s.units }));
  const runs = readRuns(db).filter((r) => r.status === "succeeded").slice(0, DAYS);
  const decisions = runs.flatMap((r) => readDecisions(db, r.run_id).map(siteDecision));
  return { skus: [...new Set(sales.map((s) => s.sku))].sort(), sales, decisions };
});
