/**
 * Executes notebooks/offline_evaluation.ipynb (a CI-sized backtest of ML vs rule vs
 * static vs the oracle) and checks the figures it writes for sanity, and that its tables
 * render as HTML tables.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertTablesRender,
  executedCells,
  executeNotebook,
  typeCheckNotebook,
} from "./_notebooks.ts";

Deno.test("notebooks/offline_evaluation.ipynb type-checks (nbconvert does not report type errors)", async () => {
  await typeCheckNotebook("offline_evaluation");
});

Deno.test("notebooks/offline_evaluation.ipynb runs a backtest in which the oracle earns the most", async () => {
  const dir = await Deno.makeTempDir({ prefix: "notebook_eval_test_" });
  try {
    const path = join(dir, "figures.json");
    await executeNotebook("offline_evaluation", dir, { EVAL_FIGURES: path });
    const f = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual([f.scenario, f.skus, f.days], ["default", 120, 60]);
    const s = f.strategies;
    assert.deepEqual(Object.keys(s), ["static", "rule", "ml", "oracle"]);
    for (const [name, x] of Object.entries<Record<string, number & [number, number]>>(s)) {
      assert.ok(
        s.oracle.profit >= x.profit,
        `${name} earns ${x.profit} > oracle ${s.oracle.profit}`,
      );
      for (const k of ["profit", "revenue", "units", "stockout_days"]) {
        const [lo, hi] = x[`${k}_ci95`];
        assert.ok(lo <= x[k] && x[k] <= hi, `${name} ${k} ${x[k]} outside [${lo}, ${hi}]`);
      }
      // The bootstrap total, the report's total and the end of the cumulative curve agree.
      assert.ok(Math.abs(x.profit - x.report_profit) <= 0.5, `${name}: ${x.profit} vs report`);
      assert.ok(Math.abs(x.cumulative_last - x.report_profit) <= 0.01 * f.days, `${name} curve`);
    }
    // ML beats rule and static and captures most of the oracle's uplift (measured 98.1%).
    assert.ok(s.ml.profit > s.rule.profit && s.rule.profit > s.static.profit);
    assert.ok(f.ml_oracle_capture > 0.8 && f.ml_oracle_capture <= 1.05, `${f.ml_oracle_capture}`);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(f.wins.with_oracle) - 1) < 1e-9);
    assert.ok(Math.abs(sum(f.wins.without_oracle) - 1) < 1e-9);
    assert.ok(f.wins.without_oracle.ml > 0.5, `ML wins ${f.wins.without_oracle.ml} of the SKUs`);
    // Every breakdown of ML's gap to the oracle adds up to the whole gap.
    const gap = f.ml_gap;
    assert.ok(Math.abs(gap.total - (s.oracle.report_profit - s.ml.report_profit)) <= 1);
    for (const by of ["by_category", "by_elasticity", "by_stock"]) {
      const rows = Object.values<{ n: number; gap: number }>(gap[by]);
      const total = rows.reduce((a, r) => a + r.gap, 0);
      assert.ok(Math.abs(total - gap.total) <= 1, `${by}: ${total} vs ${gap.total}`);
      const n = rows.reduce((a, r) => a + r.n, 0);
      assert.equal(n, by === "by_stock" ? f.skus * f.days : f.skus, by);
    }
    assert.equal(new Set(f.price_path_skus).size, 6);
    // Tables render as tables (issue 16): the strategies, the three breakdowns of ML's gap
    // to the oracle, and the wins, each a text/html <table> in the executed notebook.
    const cells = await executedCells(join(dir, "offline_evaluation.executed.ipynb"));
    assert.equal(assertTablesRender(cells), 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
