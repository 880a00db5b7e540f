/**
 * Executes notebooks/model_development.ipynb on a small demo store and checks
 * that it ends with a pending candidate in the registry, with its settings,
 * source, note and backtest, that the approve command it prints works, and that its
 * tables render as HTML tables.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openReadOnly, readBacktests, readChampion } from "../engine/store/queries.ts";
import { registeredModel } from "../engine/registry/lookup.ts";
import { readModelEvents } from "../engine/store/queries.ts";
import {
  assertTablesRender,
  executedCells,
  executeNotebook,
  typeCheckNotebook,
} from "./_notebooks.ts";
import { onlyJson, runTask } from "./_run_task.ts";

Deno.test("notebooks/model_development.ipynb type-checks (nbconvert does not report type errors)", async () => {
  await typeCheckNotebook("model_development");
});

/** The words of a shell command line with single-quoted and double-quoted parts. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

Deno.test("notebooks/model_development.ipynb ends with a pending candidate, its settings, note and backtest in the registry", async () => {
  const dir = await Deno.makeTempDir({ prefix: "notebook_dev_test_" });
  try {
    const path = join(dir, "figures.json");
    const store = join(dir, "store", "pricing.db");
    await executeNotebook("model_development", dir, {
      DEV_DB: store,
      DEV_SKUS: "120",
      DEV_DAYS: "450",
      DEV_FORWARD: "14",
      DEV_BACKTEST_DAYS: "28",
      DEV_ACTOR: "notebook-test",
      DEV_FIGURES: path,
    });
    const f = JSON.parse(await Deno.readTextFile(path));
    assert.equal(f.created_store, true);
    // The settings compared: gbdt depths and learning rates, cart, elasticity, both responses.
    const kinds = new Set(f.variants.map((v: { kind: string }) => v.kind));
    assert.deepEqual([...kinds].sort(), ["cart", "elasticity", "gbdt"]);
    assert.ok(
      f.variants.some((v: { settings: string }) => /price response learned/.test(v.settings)),
    );
    assert.ok(
      new Set(f.variants.map((v: { version: string }) => v.version)).size === f.variants.length,
    );
    for (const v of f.variants) {
      assert.ok(v.wape > 0 && v.wape < v.seasonal_naive_wape, `${v.name}: WAPE ${v.wape}`);
      assert.ok(Number.isFinite(v.median_slope) && v.median_slope < 0, `${v.name}: slope`);
    }
    const best = f.variants.find((v: { name: string }) => v.name === f.best);
    assert.ok(best.eligible && best.rising_share === 0, "the best setting passes the price checks");
    assert.equal(best.version, f.candidate.version);

    const db = openReadOnly(store);
    let version: string;
    try {
      const m = registeredModel(db, f.candidate.version);
      version = m.version;
      assert.equal(m.status, "pending");
      assert.equal(m.source, "notebooks/model_development.ipynb");
      assert.equal(m.note, f.candidate.note);
      assert.match(m.note!, /vs champion/);
      assert.deepEqual(m.params, f.candidate.params);
      assert.equal(readModelEvents(db, { version })[0].actor, "notebook-test");
      const champion = readChampion(db)!;
      assert.equal(champion.version, f.champion.version);
      assert.notEqual(champion.version, version);
      // The backtests are stored with the models that priced ML.
      const [mine] = readBacktests(db, { mlModel: version });
      assert.equal(
        mine.strategies.find((s) => s.strategy === "ml")!.profit,
        f.backtest.candidate.profit,
      );
      const [theirs] = readBacktests(db, { mlModel: champion.version });
      assert.equal(
        theirs.strategies.find((s) => s.strategy === "ml")!.profit,
        f.backtest.champion.profit,
      );
    } finally {
      db.close();
    }
    // Tables render as tables (issue 16): the store, the settings compared and the backtest
    // of candidate against champion, each a text/html <table> in the executed notebook.
    const cells = await executedCells(join(dir, "model_development.executed.ipynb"));
    assert.equal(assertTablesRender(cells), 3);
    const b = f.backtest;
    assert.ok(b.oracle_profit >= b.candidate.profit && b.oracle_profit >= b.champion.profit);
    assert.ok(b.candidate.profit > b.static_profit);

    // models list shows it; the printed command approves it.
    const list = onlyJson(await runTask("models", ["list", "--db", store, "--json"]));
    const listed = (list.models as Record<string, unknown>[]).find((m) => m.version === version)!;
    assert.equal(listed.settings, best.settings);
    assert.equal((listed.backtests as unknown[]).length, 1);
    const command = words(f.approve_command);
    assert.deepEqual(command.slice(0, 5), ["deno", "task", "models", "approve", version]);
    assert.match(f.approve_command, /--by "\$USER" --reason '[^']+'$/);
    const args = command.slice(3).map((w) => (w === "$USER" ? "ops-test" : w));
    const approved = await runTask("models", [...args, "--json"]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(onlyJson(approved).version, version);
    const after = openReadOnly(store);
    try {
      assert.equal(registeredModel(after, version).status, "champion");
    } finally {
      after.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
