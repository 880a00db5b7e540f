/**
 * Per-SKU columnar histories from input records: sales joined with the day's
 * closing stock (a stockout censors sales) and the competitor's price.
 *
 * @module
 */
import type { SkuHistory } from "../elasticity/estimate.ts";
import type { FeatureInputs } from "./inputs.ts";
import { toDayNumber } from "../util/date.ts";

/** Groups the sales of `inputs` into one {@linkcode SkuHistory} per SKU, in date order. */
export function skuHistories(inputs: FeatureInputs): Map<string, SkuHistory> {
  const key = (sku: string, date: string) => `${sku}|${date}`;
  const closing = new Map<string, number>();
  for (const r of inputs.inventory) closing.set(key(r.sku, r.date), r.on_hand);
  const competitor = new Map<string, number>();
  for (const r of inputs.competitor) competitor.set(key(r.sku, r.date), r.competitor_price);
  const out = new Map<string, SkuHistory>();
  let start = 0;
  const sales = inputs.sales;
  for (let i = 1; i <= sales.length; i++) {
    if (i < sales.length && sales[i].sku === sales[start].sku) continue;
    const n = i - start;
    const h: SkuHistory = {
      day: new Int32Array(n),
      units: new Float64Array(n),
      price: new Float64Array(n),
      promo: new Uint8Array(n),
      censored: new Uint8Array(n),
      competitor: new Float64Array(n),
    };
    for (let j = 0; j < n; j++) {
      const r = sales[start + j];
      const k = key(r.sku, r.date);
      h.day[j] = toDayNumber(r.date);
      h.units[j] = r.units;
      h.price[j] = r.avg_price;
      h.promo[j] = r.promo ? 1 : 0;
      h.censored[j] = closing.get(k) === 0 ? 1 : 0;
      h.competitor[j] = competitor.get(k) ?? NaN;
    }
    out.set(sales[start].sku, h);
    start = i;
  }
  return out;
}
