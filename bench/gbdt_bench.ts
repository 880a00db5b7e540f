/**
 * Timing of the gradient-boosted trees demand model: training seconds per data
 * size, holdout WAPE and prediction throughput. The data come from
 * `makeData` (synthetic counts for now; swap in simulator data there), the
 * timing code below only measures.
 *
 * Run: deno run -A bench/gbdt_bench.ts [rows,rows,...]
 * Side by side: /usr/bin/python3 bench/sklearn_hgbr.py 1000000
 *
 * @module
 */
import { trainGbdt } from "../engine/demand/gbdt/mod.ts";
import { syntheticDemand } from "../engine/demand/gbdt/synthetic.ts";

/** A data set to time on: training and holdout columns and targets. */
export interface BenchData {
  names: string[];
  train: { features: Float64Array[]; target: Float64Array };
  holdout: { features: Float64Array[]; target: Float64Array };
}

/** The data generator (the only place to change when real or simulator data arrive). */
export function makeData(rows: number, features: number): BenchData {
  const train = syntheticDemand(rows, { features, seed: 1 });
  const holdout = syntheticDemand(Math.max(1_000, Math.floor(rows / 10)), { features, seed: 2 });
  return { names: train.names, train, holdout };
}

/** Trains at each size; returns seconds, holdout WAPE and predicted rows per second. */
export async function benchGbdt(
  options: { rows: number[]; features: number; trees: number },
  data: (rows: number, features: number) => BenchData = makeData,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const rows of options.rows) {
    const d = data(rows, options.features);
    const monotone = d.names.map((_, f) => (f === 0 ? -1 : 0) as -1 | 0 | 1);
    const t0 = performance.now();
    const model = trainGbdt(d.train.features, d.train.target, d.names, {
      trees: options.trees,
      maxDepth: 6,
      maxBins: 255,
      monotone,
    });
    out[`train_seconds_${rows}`] = (performance.now() - t0) / 1000;
    const p = model.predict(d.holdout.features);
    let err = 0;
    let sum = 0;
    for (let i = 0; i < p.length; i++) {
      err += Math.abs(d.holdout.target[i] - p[i]);
      sum += d.holdout.target[i];
    }
    out[`holdout_wape_${rows}`] = err / sum;
    const t1 = performance.now();
    model.predict(d.train.features);
    out[`predict_rows_per_second_${rows}`] = rows / ((performance.now() - t1) / 1000);
    await Promise.resolve();
  }
  return out;
}

if (import.meta.main) {
  const rows = Deno.args[0]?.split(",").map(Number) ?? [5_000, 50_000, 1_000_000];
  const figures = await benchGbdt({ rows, features: 12, trees: 100 });
  for (const [k, v] of Object.entries(figures)) {
    console.log(`${k.padEnd(36)} ${v < 10 ? v.toFixed(4) : Math.round(v)}`);
  }
}
