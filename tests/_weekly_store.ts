/**
 * Test helper: a small weekly store (weeks from Thursday) of seeded sales whose
 * demand answers to price with a known elasticity, built as `deno task init
 * --period week` and `deno task import` build one.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { appendStoreSettings, transaction } from "../engine/store/writer.ts";
import { importFiles } from "../engine/ingest/import.ts";
import { contractText } from "../engine/data/real_store.ts";
import { addDays } from "../engine/util/date.ts";
import { createRandom } from "../engine/util/random.ts";

/** Options of {@linkcode weeklyStore}. */
export interface WeeklyStoreOptions {
  /** SKUs (two categories). Default 12. */
  skus?: number;
  /** Weeks of sales. Default 110. */
  weeks?: number;
  /** First week's Thursday. Default 2022-01-06. */
  start?: string;
  /** Seed of the sales. Default 1. */
  seed?: number;
  /** The true elasticity of every SKU. Default -2. */
  elasticity?: number;
  /** The true elasticity of the cereal SKUs (every other one). Default `elasticity`. */
  cerealElasticity?: number;
}

/** The contract files of a weekly store: catalog, sales and competitor prices. */
export function weeklyStoreFiles(options: WeeklyStoreOptions = {}): Record<string, string> {
  const { skus = 12, weeks = 110, start = "2022-01-06", seed = 1, elasticity = -2 } = options;
  const cereal = options.cerealElasticity ?? elasticity;
  const random = createRandom(seed);
  const catalog = [], sales = [], competitor = [];
  for (let k = 0; k < skus; k++) {
    const sku = `W${String(k + 1).padStart(3, "0")}`;
    const base = 2 + k * 0.25;
    const level = 40 + 15 * k;
    catalog.push({
      sku,
      effective_date: start,
      category: k % 2 ? "cereal" : "snacks",
      unit_cost: Math.round(base * 60) / 100,
      floor_price: Math.round(base * 70) / 100,
      ceiling_price: Math.round(base * 160) / 100,
      min_margin: 0.1,
      max_daily_change: 0.15,
      price_ending: "any",
      active: true,
    });
    for (let w = 0; w < weeks; w++) {
      const date = addDays(start, 7 * w);
      // Regular price blocks of 5 weeks, a temporary cut now and then, a promotion rarely.
      const block = [1, 0.9, 1.1, 0.95, 1.05][Math.floor((w + k) / 5) % 5];
      const cut = random() < 0.12 ? 0.8 : 1;
      const promo = random() < 0.05;
      const price = Math.round(base * block * cut * 100) / 100;
      const mean = level * (price / base) ** (k % 2 ? cereal : elasticity) * (promo ? 1.6 : 1) *
        (1 + 0.1 * Math.sin((2 * Math.PI * w) / 52));
      const units = poisson(mean, random);
      sales.push({
        sku,
        date,
        units,
        revenue: Math.round(units * price * 100) / 100,
        shelf_price: price,
        promo,
        returned_units: 0,
      });
      competitor.push({ sku, date, competitor_price: Math.round(base * 1.02 * 100) / 100 });
    }
  }
  return {
    "catalog.csv": contractText("catalog", catalog),
    "sales.csv": contractText("sales", sales),
    "competitor.csv": contractText("competitor", competitor),
  };
}

/** Opens `path` (or memory) as a weekly store (weeks from Thursday) with the files imported. */
export async function weeklyStore(
  path = ":memory:",
  options: WeeklyStoreOptions = {},
): Promise<DatabaseSync> {
  const db = openStore(path);
  transaction(
    db,
    () =>
      appendStoreSettings(db, { name: "weekly", period: "week", week_start: "thursday" }, {
        actor: "test",
        reason: "a weekly test store",
        recordedAt: null,
      }),
  );
  const files = weeklyStoreFiles(options);
  const { report } = await importFiles(
    db,
    Object.entries(files).map(([file, text]) => ({
      file,
      kind: file.replace(".csv", "") as "catalog" | "sales" | "competitor",
      bytes: new TextEncoder().encode(text),
    })),
    { asOf: "2100-01-01", actor: "test" },
  );
  if (report.status !== "imported") {
    throw new Error(`the weekly test store did not import: ${JSON.stringify(report.problems)}`);
  }
  return db;
}

function poisson(mean: number, random: () => number): number {
  // Knuth for small means, a rounded normal for large ones (enough for a test store).
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const l = Math.exp(-mean);
  let k = 0, p = 1;
  do {
    k++;
    p *= random();
  } while (p > l);
  return k - 1;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
