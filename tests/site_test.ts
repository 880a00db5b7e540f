/**
 * The static site end to end: a small demo store run forward a few days, the
 * Observable Framework build against it (its data loaders read the store), with one
 * tiny backtest stored the way `deno task backtest` stores it, the
 * built files served on a random localhost port, and Debian's chromium driven
 * by playwright-core. Chromium missing is a failure, never a skip: CI installs it.
 */
import assert from "node:assert/strict";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { openStore } from "../engine/store/db.ts";
import { readDecisions } from "../engine/store/queries.ts";
import { appendBacktest, transaction } from "../engine/store/writer.ts";
import { type DailyReport, runDaily } from "../engine/pipeline/daily.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { championModel } from "../engine/registry/load.ts";
import { createDemoStore } from "../sim/demo.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { loadScenario } from "../sim/scenario.ts";
import { backtestRecord, type BacktestReport, runBacktest } from "../sim/backtest/mod.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function demoStore(
  dir: string,
): Promise<{ path: string; runs: DailyReport[]; backtest: BacktestReport }> {
  const path = join(dir, "pricing.db");
  const db = openStore(path);
  try {
    await createDemoStore(db, { skus: 40, days: 200, seed: 3 });
    const runs: DailyReport[] = [];
    for (let i = 0; i < 4; i++) {
      runs.push(runDaily(db, {
        runDate: defaultRunDate(db),
        model: championModel(db),
        recordActuals: recordSimulatedActuals,
        recordedAt: null,
      }));
    }
    // A tiny backtest (20 SKUs x 5 days, under a second), stored as the backtest task does.
    const backtest = runBacktest({
      scenario: await loadScenario("default"),
      seed: 1,
      skus: 20,
      days: 5,
      warmupDays: 150,
    });
    transaction(db, () => appendBacktest(db, backtestRecord(backtest), "2024-06-04T08:00:00Z"));
    return { path, runs, backtest };
  } finally {
    db.close();
  }
}

async function buildSite(store: string, output: string): Promise<void> {
  const site = join(ROOT, "site");
  // Loader outputs are cached by loader file time, not by store: drop them.
  await Deno.remove(join(site, "src", ".observablehq", "cache"), { recursive: true })
    .catch(() => {});
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "npm:@observablehq/framework@1.13.4", "build"],
    cwd: site,
    env: { PRICING_DB: store, SITE_OUTPUT: output, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(join(site, "src", ".observablehq", "cache"), { recursive: true })
    .catch(() => {});
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `site build failed:\n${text.slice(-4000)}`);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves the files of `dir` (clean URLs: /pricing → pricing.html, / → index.html). */
function serveStatic(dir: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname));
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    for (const candidate of [path, `${path}.html`, join(path, "index.html")]) {
      const file = join(dir, candidate);
      try {
        if (!(await Deno.stat(file)).isFile) continue;
        const body = await Deno.readFile(file);
        const type = TYPES[extname(file)] ?? "application/octet-stream";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        continue;
      }
    }
    return new Response("not found", { status: 404 });
  });
}

Deno.test("the site shows the store's runs, the latest decisions, a SKU's price history with reasons and the stored backtest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "site_test_" });
  const shots = Deno.env.get("SITE_SCREENSHOT_DIR") ?? join(dir, "screenshots");
  await Deno.mkdir(shots, { recursive: true });
  const { path, runs, backtest } = await demoStore(dir);
  const latest = runs[runs.length - 1];
  assert.equal(latest.status, "succeeded");
  await buildSite(path, join(dir, "dist"));
  const server = serveStatic(join(dir, "dist"));
  const base = `http://127.0.0.1:${server.addr.port}`;
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 1000 },
  });
  const problems: string[] = [];
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("request", (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith("data:")) {
        problems.push(`request outside the site: ${r.url()}`);
      }
    });

    // Health: the latest run, its status, the digests and the strategy mix.
    await page.goto(`${base}/`);
    await page.getByText(latest.run_id).first().waitFor({ timeout: 20_000 });
    const health = await page.locator("main").innerText();
    for (const r of runs) assert.ok(health.includes(r.run_id), `health lacks ${r.run_id}`);
    assert.ok(health.includes(latest.output_digest.slice(0, 12)), "health lacks the digest");
    assert.match(health, /succeeded/);
    assert.ok(await page.locator("main svg").count() >= 1, "no strategy mix chart");
    await page.screenshot({ path: join(shots, "health.png"), fullPage: true });

    // Pricing status: the decisions of the latest run with their reason codes.
    const decisions = (() => {
      const db = openStore(path, { readOnly: true });
      try {
        return readDecisions(db, latest.run_id);
      } finally {
        db.close();
      }
    })();
    await page.goto(`${base}/pricing`);
    await page.getByText(`Decisions of run ${latest.run_id}`).waitFor({ timeout: 20_000 });
    const pricing = await page.locator("main").innerText();
    assert.ok(pricing.includes(`${decisions.length} SKUs`), pricing.slice(0, 400));
    assert.ok(pricing.includes(`${latest.infeasible} infeasible`));
    assert.ok(pricing.includes(decisions[0].sku));
    for (const code of new Set(decisions.flatMap((d) => d.reason_codes))) {
      assert.ok(pricing.includes(code), `pricing lacks reason code ${code}`);
    }
    await page.screenshot({ path: join(shots, "pricing.png"), fullPage: true });

    // Per-SKU history: pick a SKU priced by ML and read its decisions and reasons.
    const pick = decisions.find((d) => d.strategy === "ml") ?? decisions[decisions.length - 1];
    await page.goto(`${base}/sku`);
    await page.locator("main select").waitFor({ timeout: 20_000 });
    await page.locator("main select").selectOption(pick.sku);
    await page.getByText(`${pick.sku}: `).waitFor({ timeout: 20_000 });
    const sku = await page.locator("main").innerText();
    assert.ok(sku.includes(`${runs.length} decisions`), sku.slice(0, 400));
    assert.ok(sku.includes(latest.run_id));
    for (const code of pick.reason_codes) assert.ok(sku.includes(code), `sku lacks ${code}`);
    await page.screenshot({ path: join(shots, "sku.png"), fullPage: true });

    // Backtests: the stored backtest's four strategies, ML's capture with its interval and the
    // profit vs static, the gross profit bars and one cumulative profit line per strategy.
    await page.goto(`${base}/backtest`);
    const table = page.locator('main [data-table="strategies"]');
    await table.locator("tbody tr").nth(3).waitFor({ timeout: 20_000 });
    const names = await table.locator("tbody tr td:nth-child(2)").allInnerTexts();
    assert.deepEqual(names, ["static", "rule", "ml", "oracle"]);
    const bt = await page.locator("main").innerText();
    const share = (x: number) => (100 * x).toFixed(1);
    const [lo, hi] = backtest.ml_oracle_capture_ci95!;
    const capture = page.locator(`main [data-kpi="ML's share of the oracle's uplift"]`);
    assert.equal(await capture.innerText(), `${share(backtest.ml_oracle_capture!)}%`);
    assert.ok(bt.includes(`95% interval [${share(lo)}, ${share(hi)}]`), bt.slice(0, 600));
    const ml = backtest.vs_static.ml!.profit;
    assert.ok(
      bt.includes(
        `${ml.pct > 0 ? "+" : ""}${ml.pct.toFixed(1)}% [${
          ml.pct_ci95.map((x) => x.toFixed(1)).join(", ")
        }]`,
      ),
    );
    assert.ok(bt.includes(Math.round(backtest.strategies.ml!.profit).toLocaleString("en-US")));
    assert.ok(
      bt.includes(`default · seed 1 · 20 SKUs × 5 days · ${backtest.from} to ${backtest.to}`),
    );
    const bars = page.locator('main svg[data-chart="profit"] [aria-label="bar"] rect');
    assert.equal(await bars.count(), 4, "gross profit chart lacks its bars");
    const lines = page.locator('main [data-chart="cumulative"] [aria-label="line"] path');
    assert.equal(await lines.count(), 4, "cumulative profit chart lacks its lines");
    await page.screenshot({ path: join(shots, "backtest.png"), fullPage: true });
    for (const name of ["health", "pricing", "sku", "backtest"]) {
      assert.ok((await Deno.stat(join(shots, `${name}.png`))).size > 10_000, `${name}.png`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
