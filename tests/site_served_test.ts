/// <reference lib="dom" />
/**
 * The site served by the operations server (`deno task serve`) on a
 * regime-shift store run past its shift: Health turns red on the critical
 * drift alert, every page renders without a console error, and the forms
 * appear only to a signed-in user of the right role: an operator freezes a SKU
 * from its page, an approver approves the waiting candidate from the Models
 * page, each an appended row with their name; the freeze prices the next run.
 * Screenshots go to SITE_SCREENSHOT_DIR (default out/site-screenshots/).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import {
  openReadOnly,
  readAlerts,
  readDecisions,
  readModelEvents,
  readModelSummaries,
  readOverrides,
} from "../engine/store/queries.ts";
import { regimeShiftStore, runForward } from "./_ops_stores.ts";
import { browser, buildSite, open, screenshotDir, watchedPage } from "./_site.ts";
import { addUser, startServer } from "../serve/mod.ts";

Deno.test("served on a regime-shift store: Health is red on a critical alert, and signed-in users freeze a SKU and approve the candidate through the site's forms", async () => {
  const dir = await Deno.makeTempDir({ prefix: "site_served_test_" });
  const shots = await screenshotDir("regime-shift-served");
  const { path } = await regimeShiftStore(dir);
  const tokens = (() => {
    const db = openStore(path);
    try {
      const by = { actor: "test", recordedAt: null };
      return {
        operator: addUser(db, { name: "olga", role: "operator" }, by).token,
        approver: addUser(db, { name: "amir", role: "approver" }, by).token,
      };
    } finally {
      db.close();
    }
  })();
  const facts = (() => {
    const db = openReadOnly(path);
    try {
      return {
        critical: readAlerts(db, { open: true }).filter((a) => a.severity === "critical"),
        pending: readModelSummaries(db).filter((m) => m.status === "pending"),
      };
    } finally {
      db.close();
    }
  })();
  assert.ok(facts.critical.length >= 1, "the regime-shift store has a critical alert open");
  assert.equal(facts.pending.length, 1, "a candidate waits for approval");
  const candidate = facts.pending[0].version;
  await buildSite(path, join(dir, "dist"));
  const server = startServer({
    db: path,
    site: join(dir, "dist"),
    hostname: "127.0.0.1",
    port: 0,
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const context = await browser(join(dir, "profile"));
  const { page, problems } = await watchedPage(context, base);
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const signIn = async (token: string) => {
    await open(page, base, "controls.html");
    await page.locator('[data-form="sign-in"] input[name="token"]').fill(token);
    await page.locator('[data-form="sign-in"] button[type="submit"]').click();
    await page.locator("[data-session]").waitFor({ timeout: 20_000 });
  };
  const signOut = async () => {
    await open(page, base, "controls.html");
    await page.locator("[data-session] button").click();
    await page.locator('[data-form="sign-in"]').waitFor({ timeout: 20_000 });
  };
  try {
    // Health: red, naming the critical alert; the alerts and forecast pages show the drift.
    await open(page, base, "index.html");
    const health = page.locator("[data-health]");
    assert.equal(await health.getAttribute("data-health"), "critical");
    assert.match(await health.innerText(), /Something is wrong/);
    assert.match(await health.innerText(), /critical alert.*FORECAST_DRIFT/);
    await shot("health-critical");
    await open(page, base, "alerts.html");
    assert.match(await page.locator('[data-table="alerts"]').innerText(), /FORECAST_DRIFT/);
    assert.equal(await page.locator('[data-chart="volume"]').count(), 1);
    await shot("alerts");
    await open(page, base, "forecast.html");
    assert.match(await page.locator("main").innerText(), /Runs that detected drift/);
    await shot("forecast");

    for (
      const [name, file] of [["pricing", "pricing.html"], ["sku-explorer", "sku.html"], [
        "backtest",
        "backtest.html",
      ]]
    ) {
      await open(page, base, file);
      assert.equal(await page.locator("form.ops").count(), 0, `${name}: a form before sign-in`);
      await shot(name);
    }
    assert.match(await page.locator("main").innerText(), /No backtest stored yet/);

    // Not signed in: the commands, no forms.
    await open(page, base, "models.html");
    const pendingBox = page.locator(`[data-pending="${candidate}"]`);
    assert.match(await pendingBox.innerText(), new RegExp(`deno task models approve ${candidate}`));
    assert.equal(await page.locator("form.ops").count(), 0);
    await open(page, base, "controls.html");
    assert.equal(await page.locator('[data-form="sign-in"]').count(), 1);
    assert.equal(await page.locator('[data-form="override"]').count(), 0);

    // An operator freezes a SKU from its page.
    const sku = "SKU-00010";
    await signIn(tokens.operator);
    assert.match(
      await page.locator("[data-session]").innerText(),
      /Signed in as olga \(operator\)/,
    );
    await page.locator('[data-table="overrides"]').waitFor();
    await shot("controls-operator");
    await open(page, base, `sku/${sku}.html`);
    const form = page.locator('[data-form="override"]');
    await form.waitFor({ timeout: 20_000 });
    await form.locator('input[name="until"]').fill("2026-03-01");
    await form.locator('input[name="reason"]').fill("supplier deal");
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-status="ok"]').waitFor({ timeout: 20_000 });
    assert.match(
      await form.locator('[data-status="ok"]').innerText(),
      /Recorded override #\d+: PRICE_FREEZE for sku SKU-00010/,
    );
    await shot("sku-freeze");
    await open(page, base, "models.html");
    assert.equal(
      await page.locator('[data-form="verdict"]').count(),
      0,
      "an operator cannot approve",
    );
    await signOut();

    // An approver approves the candidate from the Models page.
    await signIn(tokens.approver);
    await open(page, base, "models.html");
    const verdict = page.locator(`[data-form="verdict"][data-version="${candidate}"]`);
    await verdict.locator('input[name="reason"]').fill("retrained after the shift");
    await shot("models-approver");
    await verdict.locator('[data-verdict="approve"]').click();
    await verdict.locator('[data-status="ok"]').waitFor({ timeout: 20_000 });
    assert.match(await verdict.innerText(), new RegExp(`Approved ${candidate}`));
    await open(page, base, "controls.html");
    assert.match(
      await page.locator('[data-summary="overrides"]').innerText(),
      /read live from the store/,
    );
    await shot("controls-approver");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.shutdown();
  }
  // What the forms did is in the store, appended with the users' names; the freeze prices
  // the next run, the approved candidate prices it.
  const db = openStore(path);
  try {
    const o = readOverrides(db).at(-1)!;
    assert.equal(o.kind, "PRICE_FREEZE");
    assert.equal(o.target, "SKU-00010");
    assert.equal(o.actor, "olga");
    assert.equal(o.reason, "supplier deal");
    const events = readModelEvents(db, { version: candidate }).map((e) => [e.event, e.actor]);
    assert.deepEqual(events.slice(1), [["approved", "amir"], ["promoted", "amir"]]);
    const [next] = runForward(db, 1);
    const frozen = readDecisions(db, next.run_id).find((d) => d.sku === "SKU-00010")!;
    assert.equal(frozen.strategy, "static");
    assert.equal(frozen.override_id, o.id);
    assert.ok(readDecisions(db, next.run_id).some((d) => d.model_version === candidate));
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
