import assert from "node:assert/strict";
import type { DemandModel } from "../engine/demand/model.ts";
import type { FeatureSnapshot } from "../engine/schema/features.ts";
import { loadFeatureInputs } from "../engine/features/inputs.ts";
import { buildSnapshots } from "../engine/features/snapshot.ts";
import { priceAll } from "../engine/pipeline/daily.ts";
import { DEFAULT_PRICING_CONFIG } from "../engine/pricing/strategies.ts";
import { violations } from "../engine/pricing/guardrails.ts";
import { guardrailsOf } from "../engine/pricing/strategies.ts";
import { overrideWatermark, readModelEvents } from "../engine/store/queries.ts";
import { addDays } from "../engine/util/date.ts";
import { createRandom } from "../engine/util/random.ts";
import { loadScenario } from "../sim/scenario.ts";
import { openStore } from "../engine/store/db.ts";
import { readPricingSettings } from "../engine/store/queries.ts";
import { memoryFromSales, trueDemandCurve } from "../sim/market.ts";
import { simulateHistory } from "../sim/simulate.ts";
import {
  BACKTEST_ACTOR,
  type BacktestConfig,
  backtestMarket,
  holdCurve,
  openWarmupStore,
  oracleModel,
  oracleRules,
  type Outcomes,
  reportMarkdown,
  retrainAndApprove,
  runBacktest,
  runBacktestParallel,
  runStrategy,
  trueObjective,
} from "../sim/backtest/mod.ts";

const scenario = await loadScenario("default");
const CONFIG: BacktestConfig = { scenario, seed: 7, skus: 40, warmupDays: 200, days: 20 };

/** A model under which the best compliant price is the highest one at or below `target`. */
function capAt(version: string, target: (s: FeatureSnapshot) => number): DemandModel {
  return {
    kind: "elasticity",
    version,
    predict: (s, prices) => prices.map((p) => (p <= target(s) + 1e-9 ? 1e6 : 0)),
    explain: () => [],
  };
}

function assertSameOutcomes(a: Outcomes, b: Outcomes) {
  for (const key of ["price", "units", "revenue", "profit", "lost", "expected"] as const) {
    for (let d = 0; d < a.days; d++) {
      assert.deepEqual(a[key][d], b[key][d], `${key} differs on day ${d}`);
    }
  }
}

Deno.test("runStrategy() gives identical outcomes to two strategies that set identical prices", () => {
  const rule = runStrategy("rule", CONFIG);
  const dates = new Map<string, number>();
  for (let d = 0; d < rule.outcomes.days; d++) dates.set(addDays(rule.outcomes.from, d), d);
  // ML through the optimizer with a model that makes the rule's price the optimum.
  const mimic = runStrategy("ml", CONFIG, {
    model: capAt("mimic-rule", (s) => {
      const d = dates.get(s.run_date)!;
      return rule.outcomes.price[d][rule.outcomes.skus.indexOf(s.sku)];
    }),
  });
  assert.equal(mimic.decisions.ml, 40 * 20, "every SKU was priced by the ML path");
  // A SKU out of stock has no optimum (every price earns 0), so compare SKU by SKU:
  // each SKU's market is its own, and equal price paths must give equal outcomes.
  const a = rule.outcomes;
  const b = mimic.outcomes;
  let same = 0;
  for (let i = 0; i < a.skus.length; i++) {
    const path = (o: Outcomes) => Array.from({ length: o.days }, (_, d) => o.price[d][i]);
    if (JSON.stringify(path(a)) !== JSON.stringify(path(b))) continue;
    same++;
    for (const key of ["units", "revenue", "profit", "lost", "expected"] as const) {
      for (let d = 0; d < a.days; d++) {
        assert.equal(a[key][d][i], b[key][d][i], `${a.skus[i]} ${key} differs on day ${d}`);
      }
    }
  }
  assert.ok(same >= 30, `only ${same} of 40 SKUs had the same prices`);
  assert.ok(a.changed.some((c) => c.some((x) => x === 1)), "the rule moves prices");
});

Deno.test("runStrategy() reproduces static exactly with a strategy that never changes a price", () => {
  const stat = runStrategy("static", CONFIG);
  const keeper = runStrategy("ml", CONFIG, { model: capAt("keep-price", (s) => s.last_price) });
  assert.equal(keeper.decisions.ml, 40 * 20);
  assert.ok(keeper.outcomes.changed.every((c) => c.every((x) => x === 0)));
  assertSameOutcomes(stat.outcomes, keeper.outcomes);
});

Deno.test("no strategy's price has a higher true expected objective than the oracle's on the same state", () => {
  const config = { ...CONFIG, skus: 150 };
  const market = backtestMarket(config);
  const db = openWarmupStore(config);
  try {
    const ml = retrainAndApprove(db, "test");
    assert.ok(
      readModelEvents(db).some((e) => e.actor === BACKTEST_ACTOR && e.event === "approved"),
    );
    const random = createRandom(3);
    const noise: DemandModel = {
      ...capAt("noise", () => 0),
      predict: (s, prices) =>
        prices.map((p) => s.base_units * (s.last_price / p) ** (4 * random())),
    };
    let compared = 0;
    for (const offset of [0, 3]) {
      const runDate = addDays(market.startDate, market.historyDays + offset);
      const { snapshots } = buildSnapshots(loadFeatureInputs(db, runDate));
      const price = (strategy: "static" | "rule" | "ml", model: DemandModel | null) =>
        priceAll(db, "test", runDate, snapshots, model, {
          ...DEFAULT_PRICING_CONFIG,
          defaultStrategy: strategy,
        }, overrideWatermark(db));
      const oracle = price("ml", oracleModel(market));
      const others = [
        price("static", null),
        price("rule", null),
        price("ml", ml),
        price("ml", noise),
      ];
      snapshots.forEach((s, k) => {
        const o = oracle[k];
        if (o.infeasible || !o.reason_codes.includes("ML_OPTIMIZED")) return;
        const best = trueObjective(market, s.features, o.price);
        for (const d of others.map((list) => list[k])) {
          if (d.infeasible || violations(d.price, guardrailsOf(s.features)).length) continue;
          const value = trueObjective(market, s.features, d.price);
          assert.ok(
            value <= best + 1e-9 * Math.max(1, Math.abs(best)),
            `${s.sku} on ${runDate}: ${d.strategy} at ${d.price} gives ${value} > oracle ${best} at ${o.price}`,
          );
          compared++;
        }
      });
    }
    assert.ok(compared > 800, `compared ${compared} decisions`);
  } finally {
    db.close();
  }
});

Deno.test("runBacktest() gives the same report bytes for the same seed", () => {
  const config = { ...CONFIG, skus: 25, days: 8 };
  const a = runBacktest(config, { resamples: 200 });
  const b = runBacktest(config, { resamples: 200 });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.equal(reportMarkdown(a), reportMarkdown(b));
  assert.deepEqual(Object.keys(a.strategies), ["static", "rule", "ml", "oracle"]);
  assert.ok(a.ml_oracle_capture !== null);
  assert.equal(a.series.ml!.profit.length, 8);
  const other = runBacktest({ ...config, seed: 8 }, { resamples: 200, strategies: ["static"] });
  assert.notEqual(other.strategies.static!.profit, a.strategies.static!.profit);
});

Deno.test("runBacktestParallel() gives the same report bytes as runBacktest", async () => {
  const config = { ...CONFIG, skus: 25, days: 8 };
  const sequential = runBacktest(config);
  const seen: string[] = [];
  const parallel = await runBacktestParallel(config, {
    workers: 2,
    onStrategyDone: (s) => seen.push(s),
  });
  assert.equal(JSON.stringify(parallel), JSON.stringify(sequential));
  assert.equal(reportMarkdown(parallel), reportMarkdown(sequential));
  assert.deepEqual([...seen].sort(), ["ml", "oracle", "rule", "static"]);
});

Deno.test("a backtest under rules writes them into each store, the oracle's traffic rule included", async () => {
  const traffic = await loadScenario("store-traffic");
  const dir = await Deno.makeTempDir({ prefix: "backtest-rules-" });
  try {
    const rules = { units_floor: 0.97, price_index: [0.97, 1.05] as [number, number] };
    const config = { scenario: traffic, seed: 7, skus: 30, warmupDays: 200, days: 3, rules };
    runStrategy("oracle", config, { path: `${dir}/oracle.db` });
    runStrategy("static", config, { path: `${dir}/static.db` });
    const read = (name: string) => {
      const db = openStore(`${dir}/${name}.db`);
      try {
        return readPricingSettings(db);
      } finally {
        db.close();
      }
    };
    const oracle = read("oracle");
    assert.deepEqual(oracle[0].settings, rules);
    const market = backtestMarket(config);
    const categories = [...new Set(market.skus.map((p) => p.category))].sort();
    assert.deepEqual(oracle.slice(1).map((r) => r.target), categories);
    for (const r of oracle.slice(1)) assert.deepEqual(r.settings.price_index, [0.97, 1.02]);
    assert.deepEqual(read("static").map((r) => r.settings), [rules]);
    assert.deepEqual(oracleRules(backtestMarket({ ...config, scenario }), rules), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the report judges every strategy against the rules under test", () => {
  const config = {
    ...CONFIG,
    skus: 25,
    days: 14,
    rules: { units_floor: 0.97, price_index: [0.97, 1.05] as [number, number] },
  };
  const r = runBacktest(config, { resamples: 100 });
  assert.deepEqual(r.rules, config.rules);
  assert.equal(r.capture_metric, "profit");
  for (const s of Object.values(r.strategies)) {
    assert.ok(s.price_index! > 0.8 && s.price_index! < 1.3, `index ${s.price_index}`);
    assert.ok(s.units_floor_met_share! >= 0 && s.units_floor_met_share! <= 1);
    assert.ok(s.price_index_met_share! >= 0 && s.price_index_met_share! <= 1);
    assert.ok(s.at_ceiling_share >= 0 && s.at_ceiling_share <= 1);
  }
  assert.equal(r.strategies.static!.at_ceiling_share, 0);
  const plain = runBacktest({ ...config, rules: undefined }, {
    resamples: 100,
    strategies: ["static"],
  });
  assert.equal(plain.strategies.static!.units_floor_met_share, null);
  assert.equal(
    plain.strategies.static!.profit,
    r.strategies.static!.profit,
    "static ignores rules",
  );
  assert.match(
    reportMarkdown(r),
    /Objective and rules: profit, units floor 0.97, price index 0.97–1.05/,
  );
});

Deno.test("the oracle's hold curve over one day is the true curve with the market's memory", async () => {
  const reference = await loadScenario("reference-price");
  const market = backtestMarket({ scenario: reference, seed: 7, skus: 10, warmupDays: 120 });
  const history = [...simulateHistory(market)];
  const day = market.endDay;
  const memory = memoryFromSales(market, history.flatMap((b) => b.sales), day)!;
  const prices = [1, 1.1, 1.2].map((f) => market.skus[2].referencePrice * f);
  assert.deepEqual(
    holdCurve(market, 2, day, prices, memory, 1),
    trueDemandCurve(market, 2, day, prices, { memory }),
  );
  // Held for 28 days, a rise costs less on average than on its first day.
  const held = holdCurve(market, 2, day, prices, memory, 28);
  const today = trueDemandCurve(market, 2, day, prices, { memory });
  const longRun = trueDemandCurve(market, 2, day, prices);
  assert.ok(held[2] / longRun[2] > today[2] / longRun[2]);
});

Deno.test("deno task backtest takes --objective, --units-floor and --price-index and reports the rule metrics", async () => {
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/backtest.ts", "--price-index", "1.05", "--json"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 2);
  assert.match(new TextDecoder().decode(bad.stderr), /--price-index: expected LOW,HIGH/);
  const dir = await Deno.makeTempDir({ prefix: "backtest-cli-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "tasks/backtest.ts",
        "--skus",
        "12",
        "--days",
        "3",
        "--warmup",
        "200",
        "--strategies",
        "static,oracle",
        "--objective",
        "revenue",
        "--units-floor",
        "0.97",
        "--price-index",
        "0.97,1.05",
        "--out",
        dir,
        "--db",
        `${dir}/results.db`,
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const j = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(j.rules, {
      objective: "revenue",
      units_floor: 0.97,
      price_index: [0.97, 1.05],
    });
    for (const s of ["static", "oracle"]) {
      for (
        const k of [
          "units",
          "revenue",
          "at_ceiling_share",
          "units_floor_met_share",
          "price_index_met_share",
        ]
      ) assert.ok(k in j.strategies[s], `${s}.${k}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
