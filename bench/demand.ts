/**
 * The demand-model benchmark: on simulated data, training time and holdout
 * WAPE of `gbdt` and the `cart` baseline at two sizes and of a seasonal-naive
 * forecast; gbdt at a million rows next to scikit-learn's
 * HistGradientBoostingRegressor in the same run; prediction throughput and the
 * time to price many SKUs over their candidate prices through the same
 * interface the daily run uses.
 *
 * @module
 */
import { trainCart } from "../engine/demand/cart.ts";
import { DEMAND_MONOTONE, featureColumns } from "../engine/demand/features.ts";
import { learnedModel } from "../engine/demand/learned_model.ts";
import { type GbdtModel, trainGbdt } from "../engine/demand/gbdt/mod.ts";
import { syntheticDemand } from "../engine/demand/gbdt/synthetic.ts";
import { accuracy } from "../engine/registry/accuracy.ts";
import { DEFAULT_GBDT } from "../engine/registry/train.ts";
import type { TrainingRow } from "../engine/demand/rolling.ts";
import { FEATURE_NAMES, latestRows, learnerData, simulatedDemand } from "./_demand_data.ts";
import { runSklearn, sklearnStatus, writeMatrix } from "./_sklearn.ts";
import { median, sig, timed } from "./_timing.ts";

/** Sizes and switches of the demand benchmark; every field documents its default. */
export interface DemandBenchOptions {
  /** Training rows of the small and the large comparison. Default [5000, 50000]. */
  sizes?: [number, number];
  /** Simulated store the rows come from. Default 300 SKUs x 300 days. */
  store?: { skus: number; days: number };
  /** Rows, features and trees of the large gbdt timing. Default 1,000,000 x 12 x 100. */
  big?: { rows: number; features: number; trees: number };
  /** SKUs priced over `candidates` prices each. Default 100,000 x 25. */
  pricing?: { skus: number; candidates: number };
  /** Timed runs of each gbdt and sklearn measurement (median reported). Default 3. */
  repeats?: number;
  /** Skip cart at the large size (it takes minutes). Default false. */
  skipCartLarge?: boolean;
  /** Run the scikit-learn baseline when it is installed. Default true. */
  sklearn?: boolean;
  /** Progress lines (stderr in the task). */
  say?: (message: string) => void;
}

/** The benchmark's figures, keyed as `deno task bench --json` prints them. */
export interface DemandBenchResult {
  data: Record<string, unknown>;
  gbdt: Record<string, number | number[] | string>;
  cart: Record<string, number | boolean | null>;
  naive: Record<string, number>;
  sklearn: Record<string, number | number[] | string> | null;
  sklearn_skipped?: string;
  ratios: Record<string, number | null>;
  targets: Record<string, boolean | null>;
}

const GBDT_BIG = { maxDepth: 6, maxLeaves: 31, minLeafSize: 20, maxBins: 255 } as const;

/** Runs the demand benchmark. */
export async function benchDemand(options: DemandBenchOptions = {}): Promise<DemandBenchResult> {
  const [small, large] = options.sizes ?? [5_000, 50_000];
  const store = options.store ?? { skus: 300, days: 300 };
  const big = options.big ?? { rows: 1_000_000, features: 12, trees: 100 };
  const pricing = options.pricing ?? { skus: 100_000, candidates: 25 };
  const repeats = options.repeats ?? 3;
  const say = options.say ?? (() => {});

  say(`demand: simulating ${store.skus} SKUs x ${store.days} days (default scenario)`);
  const sim = await simulatedDemand(store);
  say(
    `demand: ${sim.fit.length} fit rows, ${sim.holdout.length} holdout rows from ${sim.holdoutFrom}`,
  );
  const hold = learnerData(sim.holdout, sim.categories);
  const actual = hold.target;
  const naive = accuracy(actual, sim.holdout.map((r) => r.lastWeekUnits ?? r.snapshot.units_7 / 7));

  const gbdt: DemandBenchResult["gbdt"] = {};
  const cart: DemandBenchResult["cart"] = {};
  let production: GbdtModel | null = null;
  for (const [size, key] of [[small, "5k"], [large, "50k"]] as const) {
    const { train, valid } = latestRows(sim.fit, size);
    const tr = learnerData(train, sim.categories);
    const va = learnerData(valid, sim.categories);
    const runs: number[] = [];
    let model: GbdtModel | null = null;
    for (let i = 0; i < repeats; i++) {
      const t = timed(() =>
        trainGbdt(tr.features, tr.target, FEATURE_NAMES, {
          ...DEFAULT_GBDT,
          monotone: DEMAND_MONOTONE,
          validation: va,
        })
      );
      runs.push(t.seconds);
      model = t.value;
    }
    gbdt[`train_${key}_s`] = sig(median(runs));
    gbdt[`train_${key}_runs_s`] = runs.map((s) => sig(s));
    gbdt[`trees_kept_${key}`] = model!.trees;
    gbdt[`wape_${key}`] = accuracy(actual, model!.predict(hold.features)).wape;
    say(`demand: gbdt ${size} rows: ${gbdt[`train_${key}_s`]} s, WAPE ${gbdt[`wape_${key}`]}`);
    production = model;

    if (key === "50k" && options.skipCartLarge) {
      cart[`train_${key}_s`] = null;
      cart[`wape_${key}`] = null;
      cart.skipped_50k = true;
      say("demand: cart at the large size skipped (--skip-cart-50k)");
      continue;
    }
    say(`demand: cart ${size} rows (quadratic: minutes at 50,000)`);
    const all = learnerData([...train, ...valid], sim.categories);
    const c = timed(() => trainCart(all.features, all.target));
    cart[`train_${key}_s`] = sig(c.seconds);
    cart[`wape_${key}`] = accuracy(actual, c.value.predict(hold.features)).wape;
    say(`demand: cart ${size} rows: ${cart[`train_${key}_s`]} s, WAPE ${cart[`wape_${key}`]}`);
  }
  if (!("skipped_50k" in cart)) cart.skipped_50k = false;

  // Prediction and pricing with the large-size model, through the daily run's interface.
  const priced = _pricingBench(production!, sim.holdout, sim.categories, pricing, repeats);
  Object.assign(gbdt, priced);
  say(
    `demand: predict ${gbdt.predict_rows_per_s} rows/s; ${pricing.skus} SKUs x ${pricing.candidates} prices in ${gbdt.price_100k_skus_s} s`,
  );

  // A million rows: simulated rows cost ~buildSeconds/row and heap/row as measured above.
  const rowsMeasured = sim.fit.length + sim.holdout.length;
  const perRowS = sim.buildSeconds / rowsMeasured;
  const perRowBytes = sim.heapBytes / rowsMeasured;
  const bigData = {
    source: "synthetic",
    why: `building ${big.rows} simulated training rows would take about ${
      Math.round(perRowS * big.rows)
    } s and ${
      sig(perRowBytes * big.rows / 1e9, 2)
    } GB of heap (measured here: ${rowsMeasured} rows in ${
      sig(sim.buildSeconds, 3)
    } s); syntheticDemand draws the same kind of price-driven poisson counts`,
    rows: big.rows,
    features: big.features,
    trees: big.trees,
  };
  say(`demand: ${big.rows} x ${big.features} synthetic rows, ${big.trees} trees`);
  const syn = syntheticDemand(big.rows, { features: big.features, seed: 1 });
  const monoBig = syn.names.map((_, f) => (f === 0 ? -1 : 0) as -1 | 0);
  const sk = options.sklearn === false ? { skipped: "--no-sklearn" } : await sklearnStatus();
  const dir = await Deno.makeTempDir({ prefix: "pricing-bench-" });
  const matrix = `${dir}/matrix.f64`;
  const gbdtRuns: number[] = [];
  const skRuns: number[] = [];
  let skPredict = 0;
  let bigModel: GbdtModel | null = null;
  try {
    if ("version" in sk) await writeMatrix(matrix, syn.features, syn.target);
    for (let i = 0; i < repeats; i++) {
      const t = timed(() =>
        trainGbdt(syn.features, syn.target, syn.names, {
          ...GBDT_BIG,
          trees: big.trees,
          monotone: monoBig,
        })
      );
      gbdtRuns.push(t.seconds);
      bigModel = t.value;
      say(`demand: gbdt ${big.rows} rows run ${i + 1}: ${sig(t.seconds)} s`);
      if ("version" in sk) {
        const r = await runSklearn(matrix, {
          rows: big.rows,
          features: big.features,
          monotone: monoBig,
          trees: big.trees,
          ...GBDT_BIG,
        });
        skRuns.push(r.train_s);
        skPredict = Math.max(skPredict, r.predict_rows_per_s);
        say(`demand: sklearn ${big.rows} rows run ${i + 1}: ${r.train_s} s`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  gbdt.train_1m_s = sig(median(gbdtRuns));
  gbdt.train_1m_runs_s = gbdtRuns.map((s) => sig(s));
  const predictBig = timed(() => bigModel!.predict(syn.features));
  gbdt.predict_rows_per_s_1m_model = Math.round(big.rows / predictBig.seconds);
  const sklearn = "version" in sk
    ? {
      train_1m_s: sig(median(skRuns)),
      train_1m_runs_s: skRuns,
      predict_rows_per_s: skPredict,
      version: sk.version,
      settings: "loss=poisson max_iter=100 max_depth=6 max_leaf_nodes=31 min_samples_leaf=20 " +
        "max_bins=255 early_stopping=False, same monotone constraints, OMP_WAIT_POLICY=passive",
    }
    : null;

  const ratio = (a: number | null | undefined, b: number | null | undefined) =>
    a != null && b != null && b > 0 ? sig(a / b) : null;
  // Each gbdt run is followed by a sklearn run: under a changing machine load the
  // median of the per-pair ratios is steadier than the ratio of the medians.
  const paired = skRuns.length === gbdtRuns.length && skRuns.length > 0
    ? sig(median(gbdtRuns.map((g, i) => g / skRuns[i])))
    : null;
  const ratios = {
    gbdt_over_sklearn_train_1m: ratio(gbdt.train_1m_s as number, sklearn?.train_1m_s),
    gbdt_over_sklearn_train_1m_paired: paired,
    cart_over_gbdt_train_50k: ratio(cart.train_50k_s as number | null, gbdt.train_50k_s as number),
    gbdt_over_cart_wape_50k: ratio(gbdt.wape_50k as number, cart.wape_50k as number | null),
    gbdt_over_naive_wape_50k: ratio(gbdt.wape_50k as number, naive.wape),
    cart_over_gbdt_train_5k: ratio(cart.train_5k_s as number, gbdt.train_5k_s as number),
    gbdt_over_cart_wape_5k: ratio(gbdt.wape_5k as number, cart.wape_5k as number),
  };
  const atMost = (v: number | null, limit: number) => (v === null ? null : v <= limit);
  return {
    data: {
      simulated: {
        scenario: sim.scenario,
        skus: sim.skus,
        days: sim.days,
        fit_rows: sim.fit.length,
        holdout_rows: sim.holdout.length,
        holdout_from: sim.holdoutFrom,
        sizes: [small, large],
        features: FEATURE_NAMES.length,
        gbdt_settings: "registry DEFAULT_GBDT (early stopping on the last tenth of the days)",
      },
      million: bigData,
      repeats,
    },
    gbdt,
    cart,
    naive: { wape_5k: naive.wape, wape_50k: naive.wape },
    sklearn,
    ...("skipped" in sk ? { sklearn_skipped: sk.skipped } : {}),
    ratios,
    targets: {
      gbdt_1m_at_most_sklearn: atMost(ratios.gbdt_over_sklearn_train_1m_paired, 1),
      gbdt_50k_100x_faster_than_cart: ratios.cart_over_gbdt_train_50k === null
        ? null
        : ratios.cart_over_gbdt_train_50k >= 100,
      gbdt_50k_wape_below_cart: atMost(ratios.gbdt_over_cart_wape_50k, 1 - 1e-9),
      gbdt_50k_wape_at_most_085_naive: atMost(ratios.gbdt_over_naive_wape_50k, 0.85),
    },
  };
}

/** Batch prediction throughput and pricing `skus` x `candidates` through `learnedModel`. */
function _pricingBench(
  model: GbdtModel,
  rows: readonly TrainingRow[],
  categories: readonly string[],
  pricing: { skus: number; candidates: number },
  repeats: number,
): Record<string, number> {
  const { skus, candidates } = pricing;
  const snapshots = Array.from({ length: skus }, (_, i) => rows[i % rows.length].snapshot);
  const ladder = Array.from({ length: candidates }, (_, k) => 0.8 + (0.4 * k) / (candidates - 1));
  const demand = learnedModel("gbdt", "bench", {
    monotone: true,
    predict: (cols) => model.predict(cols),
  }, categories);
  const perSku: number[] = [];
  for (let i = 0; i < repeats; i++) {
    perSku.push(
      timed(() => {
        for (const s of snapshots) demand.predict(s, ladder.map((m) => s.last_price * m));
      }).seconds,
    );
  }
  const pairs = snapshots.flatMap((s) =>
    ladder.map((m) => ({ snapshot: s, price: s.last_price * m }))
  );
  const codes = new Map(categories.map((c, i) => [c, i]));
  const built = timed(() => featureColumns(pairs, (c) => codes.get(c) ?? -1));
  const predict: number[] = [];
  for (let i = 0; i < repeats; i++) predict.push(timed(() => model.predict(built.value)).seconds);
  const predictS = median(predict);
  return {
    predict_rows_per_s: Math.round(pairs.length / predictS),
    predict_rows: pairs.length,
    price_100k_skus_s: sig(median(perSku)),
    price_100k_skus_batch_s: sig(built.seconds + predictS),
    pricing_skus: skus,
    pricing_candidates: candidates,
    trees_in_pricing_model: model.trees,
  };
}
