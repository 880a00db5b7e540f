import assert from "node:assert/strict";
import { benchDaily, DAILY_TARGET, judgeDaily, verdictLine } from "./daily.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

async function bench(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("bench --json prints one object with the documented demand figures", async () => {
  const r = await bench("--quick", "--json", "--repeats", "1", "--only", "demand");
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 1, "exactly one line on stdout");
  const j = JSON.parse(lines[0]);
  assert.equal(j.status, "ok");
  for (const k of ["train_1m_s", "train_50k_s", "wape_50k", "predict_rows_per_s"]) {
    assert.equal(typeof j.gbdt[k], "number", `gbdt.${k}`);
    assert.ok(j.gbdt[k] > 0, `gbdt.${k} > 0`);
  }
  assert.equal(typeof j.gbdt.price_100k_skus_s, "number");
  for (const k of ["train_50k_s", "wape_50k"]) {
    assert.equal(typeof j.cart[k], "number", `cart.${k}`);
  }
  assert.equal(j.cart.skipped_50k, false);
  assert.equal(typeof j.naive.wape_50k, "number");
  if (j.sklearn === null) assert.equal(typeof j.sklearn_skipped, "string");
  else assert.equal(typeof j.sklearn.train_1m_s, "number");
  assert.equal(typeof j.ratios.gbdt_over_naive_wape_50k, "number");
  assert.equal(j.data.million.source, "synthetic");
});

Deno.test("bench --skip-cart-50k says so in the JSON", async () => {
  const r = await bench("--quick", "--json", "--repeats", "1", "--skip-cart-50k", "--no-sklearn");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.cart.skipped_50k, true);
  assert.equal(j.cart.train_50k_s, null);
  assert.equal(j.ratios.cart_over_gbdt_train_50k, null);
  assert.equal(j.sklearn, null);
  assert.equal(j.sklearn_skipped, "--no-sklearn");
});

Deno.test("bench rejects an unknown section with exit code 2", async () => {
  const r = await bench("--only", "nope", "--json");
  assert.equal(r.code, 2);
  assert.match(JSON.parse(r.stdout).error, /unknown section nope/);
  assert.equal((await bench("--help")).code, 0);
});

Deno.test("bench --only backtest times every strategy against static and states the target figure", async () => {
  const r = await bench("--quick", "--json", "--only", "backtest");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout.trim());
  const b = j.backtest;
  assert.deepEqual(Object.keys(b.per_strategy_seconds).sort(), ["ml", "oracle", "rule", "static"]);
  assert.equal(b.ratios_vs_static.static, 1);
  assert.equal(typeof b.target_1000x365x4_minutes, "number");
  assert.equal(b.target_measured, false);
  assert.match(b.target_note, /extrapolated/);
});

Deno.test("bench rejects a malformed --backtest-size with exit code 2", async () => {
  const r = await bench("--only", "backtest", "--backtest-size", "1000");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /SKUSxDAYS/);
});

Deno.test("bench --only serve drives deno task serve over loopback and reports latency percentiles and the server's memory", async () => {
  const r = await bench("--quick", "--json", "--only", "serve");
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout.trim()).serve;
  assert.equal(s.sequential.n, 200);
  for (const k of ["p50_ms", "p95_ms", "p99_ms", "max_ms"]) {
    assert.equal(typeof s.sequential[k], "number", k);
    assert.ok(s.sequential[k] > 0, k);
  }
  assert.ok(s.sequential.p50_ms <= s.sequential.p99_ms);
  assert.deepEqual(Object.keys(s.sequential.by_endpoint).sort(), [
    "alerts",
    "decision",
    "health",
    "models",
    "overrides",
    "pricing",
    "runs",
    "sku_history",
    "skus",
  ]);
  assert.equal(s.concurrent_8.n, 200);
  assert.ok(s.server_memory.peak_rss_mb > 10, JSON.stringify(s.server_memory));
  assert.equal(s.target_p99_ms, 20);
  assert.equal(typeof s.meets_target, "boolean");
});

Deno.test("bench --only site builds the site and reports the bytes each page downloads", async () => {
  const r = await bench("--quick", "--json", "--only", "site");
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout.trim()).site;
  assert.ok(s.build_seconds > 0);
  assert.ok(s.output_files > 12, "a page per SKU at least");
  for (const page of ["index.html", "pricing.html", "sku.html", "controls.html"]) {
    assert.ok(s.page_bytes[page] > 10_000, `${page}: ${s.page_bytes[page]}`);
  }
  assert.ok(Object.keys(s.page_bytes).some((p) => p.startsWith("sku/")));
  assert.equal(s.budget_bytes, 1_000_000);
  assert.equal(s.within_budget, s.largest_page.bytes <= 1_000_000);
});

Deno.test("bench --only import times deno task import in a fresh process, with its peak memory", async () => {
  const r = await bench("--quick", "--json", "--only", "import");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout.trim());
  const b = j.import;
  assert.equal(b.rows, 5000);
  assert.ok(b.catalog_rows > 0);
  assert.ok(b.seconds > 0);
  assert.ok(b.rows_per_s > 0);
  assert.match(b.files.sales, /\.bench\/import-5000\/sales\.csv$/);
  if (b.peak_rss_method === "none") assert.equal(b.peak_rss_mb, null);
  else assert.ok(b.peak_rss_mb > 20, `a deno process holds more than 20 MB: ${b.peak_rss_mb}`);
  assert.deepEqual(b.target, { rows: 1_000_000, seconds: 30, peak_rss_mb: 1500 });
  assert.equal(b.target_measured, false);
  assert.equal(b.within_target, null);
  assert.match(b.verdict, /not measured at the target size/);
});

Deno.test("bench daily at tiny sizes: two timed runs per size, the history comparison, and every target judged or said to be not measured", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "bench_daily_" });
  try {
    const lines: string[] = [];
    const { daily } = await benchDaily({
      sizes: [40],
      days: 60,
      historySkus: 20,
      historyDays: [50, 90],
      train: false,
      cacheDir,
      say: (m) => lines.push(m),
    });
    assert.equal(daily.sizes.length, 1);
    const size = daily.sizes[0];
    assert.equal(size.skus, 40);
    assert.equal(size.built, true, "the store was simulated by this run");
    assert.ok(size.build!.sim_seconds > 0);
    assert.equal(size.train, null, "train: false");
    assert.equal(size.runs.length, 2);
    // Steady days: a weekly refit day met on the way is kept apart.
    assert.ok(size.runs.every((r) => (r.fits_made ?? 0) <= r.skus / 2));
    assert.ok(size.refit === null || size.refit.fits_made! > size.refit.skus / 2);
    const [a, b] = size.runs;
    assert.match(a.run_date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(b.run_date > a.run_date, "the second run prices the next date");
    for (const r of size.runs) {
      assert.equal(r.skus, 40);
      assert.ok(r.seconds > 0);
      // From the unrounded seconds (the figure shown is rounded to 0.01 s).
      assert.ok(Math.abs(r.seconds_per_1000_skus - (r.seconds / 40) * 1000) <= 0.126);
      assert.ok(r.peak_rss_mb === null || r.peak_rss_mb > 20, `peak ${r.peak_rss_mb} MB`);
      assert.ok(r.fits_made === null || Number.isInteger(r.fits_made));
    }
    assert.deepEqual(daily.history.days, [50, 90]);
    assert.equal(daily.history.skus, 20);
    assert.equal(daily.history.peak_rss_mb.length, 2);
    assert.equal(daily.per_1000_ratio, null, "one size: no ratio");
    assert.deepEqual(daily.targets, DAILY_TARGET);
    // Tiny sizes are none of the target sizes: those targets are not measured; the history
    // ratio is judged whenever both peaks were measured.
    assert.equal(daily.verdicts.length, 7);
    const history = daily.verdicts.at(-1)!;
    assert.match(history.target, /^daily peak memory, 90 over 50 days of history <= 1\.2 x$/);
    if (daily.history.ratio === null) assert.equal(history.met, null);
    else {
      const [p0, p1] = daily.history.peak_rss_mb as number[];
      assert.equal(daily.history.ratio, Math.round((p1 / p0) * 100) / 100);
      assert.equal(history.figure, `${daily.history.ratio} x`);
      assert.equal(history.met, daily.history.ratio <= 1.2);
    }
    for (const v of daily.verdicts.slice(0, -1)) {
      assert.deepEqual([v.figure, v.met], ["not measured", null], v.target);
      assert.match(v.target, / <= [\d.]+ (s|MB|x)$/);
    }
    // Every verdict is printed, an over-target one as such.
    for (const v of daily.verdicts) assert.ok(lines.includes(verdictLine(v)), v.target);
    assert.ok(lines.some((l) => /^daily: .*: 40 SKUs in [\d.]+ s/.test(l)));
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("bench daily judges each figure against its target and prints the one over it as OVER TARGET", () => {
  const run = (skus: number, seconds: number, peak: number) => ({
    run_date: "2025-01-01",
    skus,
    seconds,
    seconds_per_1000_skus: Math.round((seconds / skus) * 1000 * 1000) / 1000,
    peak_rss_mb: peak,
    fits_made: 0,
  });
  const size = (skus: number, seconds: number, peak: number, train: number | null) => ({
    skus,
    days: 400,
    store: "x",
    built: false,
    build: null,
    // A slow warm-up run (the chain's first link) is reported, not judged.
    warmup: run(skus, 10 * seconds, 2 * peak),
    runs: [run(skus, seconds, peak), run(skus, seconds, peak)],
    // A weekly refit day met among the timed runs: judged on its own.
    refit: skus === 10_000 ? { ...run(skus, 11, peak), fits_made: skus } : null,
    train: train === null ? null : { seconds: train, peak_rss_mb: 5000, rows: 1 },
  });
  // 10,000 SKUs in 9 s (over 8 s), 100,000 in 50 s (met) at 3,000 MB; train 700 s (over).
  const j = judgeDaily(
    [size(10_000, 9, 900, null), size(100_000, 50, 3000, 700)],
    { days: [200, 800], peak_rss_mb: [500, 650] },
  );
  const by = Object.fromEntries(j.verdicts.map((v) => [v.target, v]));
  assert.deepEqual(by["daily at 10,000 SKUs, slower of two steady days <= 8 s"], {
    target: "daily at 10,000 SKUs, slower of two steady days <= 8 s",
    figure: "9 s",
    met: false,
  });
  assert.equal(by["daily at 100,000 SKUs, slower of two steady days <= 60 s"].met, true);
  assert.deepEqual(by["daily at 10,000 SKUs, a weekly refit day <= 8 s"], {
    target: "daily at 10,000 SKUs, a weekly refit day <= 8 s",
    figure: "11 s",
    met: false,
  });
  assert.equal(by["daily at 100,000 SKUs, a weekly refit day <= 60 s"], undefined);
  assert.equal(by["daily at 100,000 SKUs, peak memory <= 4000 MB"].met, true);
  assert.equal(j.per_1000_ratio, 0.56);
  assert.equal(by["time per 1,000 SKUs, 100,000 over 10,000 <= 1.5 x"].met, true);
  assert.equal(by["models train at 100,000 SKUs <= 600 s"].met, false);
  assert.equal(by["models train at 100,000 SKUs, peak memory <= 6000 MB"].met, true);
  assert.equal(j.history_ratio, 1.3);
  assert.equal(by["daily peak memory, 800 over 200 days of history <= 1.2 x"].met, false);
  assert.equal(
    verdictLine(by["daily at 10,000 SKUs, slower of two steady days <= 8 s"]),
    "daily: daily at 10,000 SKUs, slower of two steady days <= 8 s: 9 s  OVER TARGET",
  );
  assert.equal(
    verdictLine(by["daily at 100,000 SKUs, slower of two steady days <= 60 s"]),
    "daily: daily at 100,000 SKUs, slower of two steady days <= 60 s: 50 s  (met)",
  );
  assert.equal(
    verdictLine({ target: "t <= 1 s", figure: "not measured", met: null }),
    "daily: t <= 1 s: not measured",
  );
});
