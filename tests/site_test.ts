/// <reference lib="dom" />
/**
 * The static site end to end on a small default demo store (with one tiny
 * stored backtest and its price paths): built against the store, served by a
 * plain static server (no clean URLs), and read in Debian's chromium through
 * playwright-core. Every page renders without a console error and without
 * cut-off axis labels, every link resolves, tables keep to their column,
 * strategies keep their colour across pages, the SKU explorer finds a SKU and
 * its page says why it got its price, and no form appears (the static build is
 * read-only). Screenshots and the bytes each page downloads go to
 * SITE_SCREENSHOT_DIR (default out/site-screenshots/). Chromium missing is a
 * failure, never a skip: `deno task test` installs it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openStore } from "../engine/store/db.ts";
import { readDecisions } from "../engine/store/queries.ts";
import { defaultOpsStore } from "./_ops_stores.ts";
import {
  browser,
  buildSite,
  open,
  plainStaticServer,
  screenshotDir,
  watchedPage,
} from "./_site.ts";

const STRATEGY_COLORS = { ml: "#4269d0", rule: "#efb118", static: "#9498a0", oracle: "#3ca951" };

/** Texts of SVG labels that stick out of their chart on the left or right (cut off). */
async function cutLabels(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const out: string[] = [];
    for (const svg of document.querySelectorAll("main svg")) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0) continue;
      for (const t of svg.querySelectorAll("text")) {
        const r = t.getBoundingClientRect();
        if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)) {
          out.push(t.textContent ?? "");
        }
      }
    }
    return out;
  });
}

/** Tables wider than the column that holds them. */
async function overflowingTables(page: Page): Promise<string[]> {
  return await page.evaluate(() =>
    [...document.querySelectorAll("main form table")].filter((t) => {
      const holder = t.parentElement!;
      return t.scrollWidth > holder.clientWidth + 2;
    }).map((t) => `${t.scrollWidth} > ${t.parentElement!.clientWidth}`)
  );
}

Deno.test("the static site on a default store: every page renders behind a plain static server, links resolve, and the SKU explorer finds a SKU and says why its price", async () => {
  const dir = await Deno.makeTempDir({ prefix: "site_test_" });
  const shots = await screenshotDir("default");
  const { path, runs, backtest } = await defaultOpsStore(dir);
  const latest = runs[runs.length - 1];
  assert.equal(latest.status, "succeeded");
  const buildSeconds = await buildSite(path, join(dir, "dist"));
  const server = plainStaticServer(join(dir, "dist"));
  const base = `http://127.0.0.1:${server.addr.port}`;
  const context = await browser(join(dir, "profile"));
  const { page, problems, bytes, resetBytes } = await watchedPage(context, base);
  const sizes: Record<string, number> = {};
  const links = new Set<string>();
  const visit = async (name: string, file: string) => {
    resetBytes();
    await open(page, base, file);
    await page.waitForTimeout(300);
    sizes[name] = bytes();
    for (
      const href of await page.locator("a[href]").evaluateAll((as) =>
        as.map((a) => (a as HTMLAnchorElement).href)
      )
    ) {
      if (href.startsWith(base)) links.add(href.split("#")[0]);
    }
    assert.deepEqual(await cutLabels(page), [], `${name}: axis labels cut off`);
    assert.deepEqual(await overflowingTables(page), [], `${name}: a table overflows its column`);
    assert.equal(await page.locator("form.ops").count(), 0, `${name}: a form in the static build`);
  };
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  try {
    // Health: the latest runs and digests, and a state that says nothing critical is wrong.
    await visit("health", "index.html");
    const health = await page.locator("main").innerText();
    for (const r of runs) assert.ok(health.includes(r.run_id), `health lacks ${r.run_id}`);
    assert.ok(health.includes(latest.output_digest.slice(0, 12)), "health lacks the digest");
    const state = await page.locator("[data-health]").getAttribute("data-health");
    assert.ok(state === "ok" || state === "info", `a default store's health is ${state}`);
    assert.match(health, state === "ok" ? /Nothing wrong/ : /Waiting for a person/);
    await shot("health");

    // Alerts and forecast accuracy.
    await visit("alerts", "alerts.html");
    assert.ok(await page.locator('[data-summary="alerts"]').isVisible());
    await shot("alerts");
    await visit("forecast", "forecast.html");
    assert.ok(
      await page.locator(
        '[data-chart="predicted-vs-actual"] svg, svg[data-chart="predicted-vs-actual"]',
      ).count() >= 1,
    );
    assert.ok(await page.locator('[data-chart="wape-trend"]').count() === 1);
    await shot("forecast");

    // Models: the champion and the commands.
    await visit("models", "models.html");
    const models = await page.locator("main").innerText();
    assert.ok(models.includes(latest.model_version!), "models lacks the champion");
    await shot("models");

    // Pricing status: every SKU links to its page; strategy bars in the strategy colours.
    const decisions = (() => {
      const db = openStore(path, { readOnly: true });
      try {
        return readDecisions(db, latest.run_id);
      } finally {
        db.close();
      }
    })();
    await visit("pricing", "pricing.html");
    const pricing = await page.locator("main").innerText();
    assert.ok(pricing.includes(`Decisions of run ${latest.run_id}`));
    assert.ok(pricing.includes(`${decisions.length} SKUs, ${latest.infeasible} infeasible`));
    for (const code of new Set(decisions.flatMap((d) => d.reason_codes))) {
      assert.ok(pricing.includes(code), `pricing lacks reason code ${code}`);
    }
    const first = page.locator('[data-table="decisions"] tbody tr').first().locator("a");
    assert.equal(await first.getAttribute("href"), `./sku/${decisions[0].sku}.html`);
    const fills = await page.locator('[data-chart="strategy"] [aria-label="bar"] rect').evaluateAll(
      (rs) => rs.map((r) => r.getAttribute("fill")),
    );
    const used = new Set(decisions.map((d) => d.strategy));
    assert.deepEqual(
      new Set(fills),
      new Set([...used].map((s) => STRATEGY_COLORS[s])),
      "strategy colours on the pricing page",
    );
    await shot("pricing");

    // The SKU explorer's search finds a SKU priced by ML; its page says why this price.
    const pick = decisions.find((d) =>
      d.strategy === "ml" && d.reason_codes.includes("ML_OPTIMIZED")
    ) ??
      decisions[0];
    await visit("sku-explorer", "sku.html");
    await page.locator("main input[type=text]").fill(pick.sku);
    await page.locator('[data-summary="found"]').getByText(`1 of ${decisions.length} SKUs match`)
      .waitFor({ timeout: 10_000 });
    await shot("sku-explorer");
    await page.locator('[data-table="skus"] tbody a', { hasText: pick.sku }).click();
    await page.waitForURL(`**/sku/${pick.sku}.html`);
    resetBytes();
    await page.reload({ waitUntil: "networkidle" });
    await page.locator("[data-explanation]").waitFor({ timeout: 20_000 });
    sizes["sku-page"] = bytes();
    const why = page.locator("[data-explanation]");
    assert.equal(await why.getAttribute("data-explanation"), pick.strategy);
    assert.equal(await why.getAttribute("data-run"), latest.run_id);
    const explanation = await why.innerText();
    for (const code of pick.reason_codes) {
      assert.ok(explanation.includes(code), `why lacks ${code}`);
    }
    assert.ok(explanation.includes(pick.price.toFixed(2)), explanation.slice(0, 300));
    assert.ok(await page.locator('[data-chart="price-history"]').count() === 1);
    assert.ok(await page.locator('[data-chart="units"]').count() === 1);
    const skuText = await page.locator("main").innerText();
    assert.ok(skuText.includes(`${runs.length} decisions`), skuText.slice(0, 400));
    assert.deepEqual(await cutLabels(page), [], "sku page: axis labels cut off");
    for (
      const href of await page.locator("a[href]").evaluateAll((as) =>
        as.map((a) => (a as HTMLAnchorElement).href)
      )
    ) {
      if (href.startsWith(base)) links.add(href.split("#")[0]);
    }
    await shot("sku-page");

    // Backtests: the stored backtest, its cumulative profit and the sampled SKUs' price paths.
    await visit("backtest", "backtest.html");
    const table = page.locator('main [data-table="strategies"]');
    await table.locator("tbody tr").nth(3).waitFor({ timeout: 20_000 });
    const names = await table.locator("tbody tr td:nth-child(2)").allInnerTexts();
    assert.deepEqual(names, ["static", "rule", "ml", "oracle"]);
    const capture = page.locator(`main [data-kpi="ML's share of the oracle's uplift"]`);
    assert.equal(await capture.innerText(), `${(100 * backtest.ml_oracle_capture!).toFixed(1)}%`);
    const bars = page.locator('main svg[data-chart="profit"] [aria-label="bar"] rect');
    assert.equal(await bars.count(), 4, "gross profit chart lacks its bars");
    assert.deepEqual(
      await bars.evaluateAll((rs) => rs.map((r) => r.getAttribute("fill"))),
      ["static", "rule", "ml", "oracle"].map((s) => STRATEGY_COLORS[s as "ml"]),
      "strategy colours on the backtests page",
    );
    const lines = page.locator('main [data-chart="cumulative"] [aria-label="line"] path');
    assert.equal(await lines.count(), 4, "cumulative profit chart lacks its lines");
    const paths = page.locator('main [data-chart="price-paths"] svg');
    assert.equal(await paths.count(), 6, "one price path chart per sampled SKU");
    assert.equal(
      await page.locator('main [data-chart="price-paths"] [aria-label="line"] path').count(),
      24,
      "four strategies' price paths per SKU",
    );
    await shot("backtest");

    // Controls: a static copy says where the forms are.
    await visit("controls", "controls.html");
    assert.ok(await page.locator('[data-controls="static"]').isVisible());
    assert.match(await page.locator("main").innerText(), /deno task serve/);
    await shot("controls");

    // Every link found resolves on a plain static server (the sidebar's too).
    assert.ok(links.size >= 15, `${links.size} links`);
    for (const href of links) {
      const r = await fetch(href);
      await r.body?.cancel();
      assert.equal(r.status, 200, `${href} answers ${r.status} on a plain static server`);
    }
    for (const [name, n] of Object.entries(sizes)) {
      assert.ok(n < 1_000_000, `${name} downloads ${n} bytes`);
    }
    await Deno.writeTextFile(
      join(shots, "page-bytes.json"),
      JSON.stringify(
        { store: "default, 40 SKUs", build_seconds: buildSeconds, bytes: sizes },
        null,
        2,
      ),
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
