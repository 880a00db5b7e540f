import assert from "node:assert/strict";

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
