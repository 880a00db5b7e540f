/**
 * The daily run end to end on small seeded demo stores: deterministic,
 * replayable, idempotent, locked against a concurrent run, and able to run the
 * demo store forward day after day within its guardrails.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../engine/store/db.ts";
import {
  overrideWatermark,
  readCatalogBefore,
  readDecisions,
  readRunStartDetails,
  readSales,
  readSnapshots,
} from "../engine/store/queries.ts";
import { RunStartDetails } from "../engine/schema/run.ts";
import { recordPricingSettings } from "../engine/pricing/settings_requests.ts";
import { buildSnapshots } from "../engine/features/snapshot.ts";
import { loadFeatureInputs } from "../engine/features/inputs.ts";
import { type DailyReport, priceAll, runDaily } from "../engine/pipeline/daily.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { LockHeldError } from "../engine/pipeline/lock.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { outputDigest } from "../engine/pipeline/digest.ts";
import { PRICE_EXPORT_HEADER, priceExportCsv } from "../engine/pipeline/export.ts";
import type { DemandModel } from "../engine/demand/model.ts";
import { championModel, modelOfVersion } from "../engine/registry/load.ts";
import { DEFAULT_PRICING_CONFIG, emptyStrategyCounts } from "../engine/pricing/strategies.ts";
import { StrategyName } from "../engine/schema/pricing.ts";
import { addDays } from "../engine/util/date.ts";
import { canonicalJson, sha256Hex } from "../engine/util/hash.ts";
import { createDemoStore } from "../sim/demo.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { elasticityModel } from "../engine/demand/elasticity_model.ts";
import { simulatedStore } from "./_stores.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Creates a small seeded demo store file, closed; returns its path and directory. */
async function demoStoreFile(
  options: { skus?: number; days?: number } = {},
): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "daily_test_" });
  const path = join(dir, "pricing.db");
  const db = openStore(path);
  await createDemoStore(db, { skus: options.skus ?? 60, days: options.days ?? 200, seed: 3 });
  db.close();
  return { dir, path };
}

function run(db: DatabaseSync, runDate: string, recordedAt: string | null = null): DailyReport {
  return runDaily(db, {
    runDate,
    model: championModel(db),
    recordActuals: recordSimulatedActuals,
    recordedAt,
  });
}

function decisionRows(db: DatabaseSync, runDate: string): Record<string, unknown>[] {
  return db.prepare("SELECT * FROM decisions WHERE run_date = ? ORDER BY sku").all(runDate)
    .map((r) => ({ ...r }));
}

function counts(db: DatabaseSync): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ["feature_snapshots", "decisions", "runs", "run_events", "sales"]) {
    out[t] = Number(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()?.n);
  }
  return out;
}

Deno.test("two copies of one store priced for the same dates give identical digests and decisions", async () => {
  const { dir, path } = await demoStoreFile();
  try {
    const copies = ["a.db", "b.db"].map((name) => {
      copyFileSync(path, join(dir, name));
      return openStore(join(dir, name));
    });
    const d = defaultRunDate(copies[0]);
    // Different wall-clock times: they are logged, never part of a decision or digest.
    const [a1, a2] = [d, addDays(d, 1)].map((x) => run(copies[0], x, "2030-01-01T00:00:00Z"));
    const [b1, b2] = [d, addDays(d, 1)].map((x) => run(copies[1], x, "1999-06-30T12:00:00Z"));
    for (const [a, b] of [[a1, b1], [a2, b2]]) {
      assert.equal(a.status, "succeeded");
      assert.equal(a.output_digest, b.output_digest, `output digests of ${a.run_date} agree`);
      assert.equal(a.input_digest, b.input_digest);
      assert.deepEqual(decisionRows(copies[0], a.run_date), decisionRows(copies[1], b.run_date));
    }
    assert.ok(a2.actuals_recorded > 0, "the second day answered the first day's prices");
    // Each stored snapshot is its canonical JSON, whose sha256 is its id.
    const stored = copies[0].prepare(
      "SELECT snapshot_id, features FROM feature_snapshots WHERE run_date = ?",
    ).all(d);
    assert.ok(stored.length > 0);
    for (const r of stored) {
      const text = String(r.features);
      assert.equal(text, canonicalJson(JSON.parse(text)));
      assert.equal(sha256Hex(text), r.snapshot_id);
    }
    assert.notEqual(a1.output_digest, a2.output_digest);
    for (const db of copies) db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run replays to its digest and a different model or pricing config would not", async () => {
  const { dir, path } = await demoStoreFile();
  const db = openStore(path);
  try {
    const s = run(db, defaultRunDate(db));
    assert.ok(s.model_version, "a champion model priced the run");
    const replay = replayRun(db, s.run_id, (v) => modelOfVersion(db, v));
    assert.equal(replay.match, true);
    assert.equal(replay.replayed_digest, s.output_digest);
    assert.equal(replay.decisions, s.skus);

    const skewed = (version: string): DemandModel => {
      const m = modelOfVersion(db, version);
      return {
        kind: m.kind,
        version: m.version,
        predict: (snapshot, prices) => m.predict(snapshot, prices).map((u) => u * 3),
        explain: (snapshot, price) => m.explain(snapshot, price),
      };
    };
    const wrong = replayRun(db, s.run_id, skewed);
    assert.equal(wrong.match, false, "a replay with another demand curve is caught");
    assert.ok(wrong.differing_skus.length > 0);

    const byRules = priceAll(
      db,
      s.run_id,
      s.run_date,
      readSnapshots(db, s.run_date),
      championModel(db),
      { ...DEFAULT_PRICING_CONFIG, defaultStrategy: "rule" },
      overrideWatermark(db),
    );
    assert.notEqual(outputDigest(byRules), s.output_digest, "another pricing config differs");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("running a date that already succeeded changes nothing and says so", async () => {
  const { dir, path } = await demoStoreFile();
  const db = openStore(path);
  try {
    const d = defaultRunDate(db);
    const first = run(db, d);
    const before = counts(db);
    const again = run(db, d, "2031-01-01T00:00:00Z");
    assert.equal(again.status, "already_succeeded");
    assert.equal(again.run_id, first.run_id);
    assert.equal(again.output_digest, first.output_digest);
    assert.deepEqual(counts(db), before);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runDaily() throws LockHeldError while another connection holds the write lock", async () => {
  const { dir, path } = await demoStoreFile();
  const db = openStore(path);
  const other = openStore(path);
  try {
    const d = defaultRunDate(db);
    const before = counts(db);
    other.exec("BEGIN IMMEDIATE");
    assert.throws(() => run(db, d), LockHeldError);
    other.exec("ROLLBACK");
    assert.deepEqual(counts(db), before, "a refused run leaves no trace");
    assert.equal(run(db, d).status, "succeeded", "the run goes through once the lock is free");
  } finally {
    other.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task daily exits 3 with a JSON error while another connection holds the write lock", async () => {
  const { dir, path } = await demoStoreFile({ skus: 30, days: 150 });
  const other = openStore(path);
  try {
    other.exec("BEGIN IMMEDIATE");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "tasks", "daily.ts"), "--db", path, "--json"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    other.exec("ROLLBACK");
    const stdout = new TextDecoder().decode(out.stdout).trim();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 3, `exit code 3 (stderr: ${stderr})`);
    assert.equal(stdout.split("\n").length, 1, "exactly one line on stdout");
    const report = JSON.parse(stdout);
    assert.equal(report.status, "error");
    assert.equal(report.exit_code, 3);
    assert.match(report.error, /write lock/);
  } finally {
    other.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the demo store runs forward 30 days: one decision per active SKU a day, all strategies, within the guardrails", async () => {
  const { dir, path } = await demoStoreFile({ skus: 40, days: 200 });
  const db = openStore(path);
  try {
    const first = defaultRunDate(db);
    const dates = Array.from({ length: 30 }, (_, i) => addDays(first, i));
    const summaries = dates.map((d) => run(db, d));
    const used = emptyStrategyCounts();
    for (const [i, s] of summaries.entries()) {
      assert.equal(s.status, "succeeded", `run ${s.run_date}`);
      const active = readCatalogBefore(db, s.run_date).filter((c) => c.active).map((c) => c.sku);
      const priced = readDecisions(db, s.run_id).map((d) => d.sku);
      assert.deepEqual(priced, active, `every active SKU has one decision on ${s.run_date}`);
      for (const k of StrategyName.options) used[k] += s.strategies[k];
      const sold = readSales(db, s.run_date, addDays(s.run_date, 1)).length;
      if (i < summaries.length - 1) {
        assert.equal(sold, priced.length, `actual sales recorded for ${s.run_date}`);
        assert.equal(summaries[i + 1].actuals_recorded, priced.length);
      } else {
        assert.equal(sold, 0, "the last priced day has no actuals yet");
      }
    }
    assert.ok(used.ml > 0 && used.rule > 0 && used.static > 0, JSON.stringify(used));
    const broken = db.prepare(
      `SELECT count(*) AS n FROM v_decision_audit WHERE infeasible = 0 AND (
         price < floor_price OR price > ceiling_price
         OR (price - unit_cost) / price < min_margin - 1e-9
         OR abs(price / previous_price - 1) > max_change + 1e-9)`,
    ).get();
    assert.equal(Number(broken?.n), 0, "no feasible decision breaks a guardrail");
    const audited = db.prepare("SELECT count(*) AS n FROM v_decision_audit").get();
    assert.equal(Number(audited?.n), summaries.reduce((n, s) => n + s.skus, 0));
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("priceExportCsv() writes one row per decision under its header, holding back infeasible prices", async () => {
  const { dir, path } = await demoStoreFile({ skus: 30, days: 150 });
  const db = openStore(path);
  try {
    const s = run(db, defaultRunDate(db));
    const decisions = readDecisions(db, s.run_id);
    const csv = priceExportCsv(decisions);
    assert.ok(csv.endsWith("\n"));
    const [header, ...lines] = csv.trimEnd().split("\n");
    assert.equal(header, "sku,price,effective_date,strategy,run_id,infeasible,conflict,held_back");
    assert.equal(header, PRICE_EXPORT_HEADER);
    assert.equal(lines.length, decisions.length);
    const bySku = new Map(decisions.map((d) => [d.sku, d]));
    for (const line of lines) {
      const [sku, price, date, strategy, runId, infeasible, conflict, held] = line.split(",");
      const d = bySku.get(sku);
      assert.ok(d, `${sku} was decided`);
      assert.deepEqual([Number(price), date, strategy, runId, infeasible, conflict, held], [
        d.infeasible ? d.previous_price : d.price,
        s.run_date,
        d.strategy,
        s.run_id,
        String(d.infeasible),
        d.conflict ?? "",
        d.infeasible ? `infeasible price ${d.price.toFixed(2)} held back` : "",
      ]);
      bySku.delete(sku);
    }
    assert.equal(bySku.size, 0, "no SKU is exported twice or left out");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultRunDate() moves past the last successful run when its sales come later", async () => {
  const { db } = await simulatedStore({ skus: 30, days: 150, seed: 9 });
  const first = defaultRunDate(db);
  runDaily(db, { model: elasticityModel(), recordActuals: recordSimulatedActuals });
  const second = defaultRunDate(db);
  assert.equal(second, addDays(first, 1));
  const r = runDaily(db, { model: elasticityModel(), recordActuals: recordSimulatedActuals });
  assert.equal(r.status, "succeeded");
  assert.equal(r.run_date, second);
  assert.equal(r.actuals_recorded, 30);
});

Deno.test("a failed run keeps nothing but its failed event, and the next attempt succeeds", async () => {
  const { db } = await simulatedStore({ skus: 20, days: 120, seed: 13 });
  const date = defaultRunDate(db);
  assert.throws(
    () =>
      runDaily(db, {
        model: elasticityModel(),
        recordActuals: () => {
          throw new Error("feed unavailable");
        },
      }),
    /feed unavailable/,
  );
  const count = (t: string) => Number(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()?.n);
  assert.equal(count("feature_snapshots"), 0);
  assert.equal(count("decisions"), 0);
  const failed = db.prepare("SELECT run_id, status, details FROM v_runs").all();
  assert.equal(failed.length, 1);
  assert.equal(failed[0].status, "failed");
  assert.match(String(failed[0].details), /feed unavailable/);
  const retry = runDaily(db, { model: elasticityModel() });
  assert.equal(retry.status, "succeeded");
  assert.equal(retry.run_date, date);
  assert.equal(retry.run_id, `${date}#2`);
  assert.equal(count("decisions"), 20);
});

Deno.test("a run prices under the store's pricing settings, records them, and replays to its digest", async () => {
  const { dir, path } = await demoStoreFile();
  const db = openStore(path);
  try {
    const runDate = defaultRunDate(db);
    const withoutRules = priceAll(
      db,
      "probe",
      runDate,
      readSnapshotsFor(db, runDate),
      championModel(db),
      DEFAULT_PRICING_CONFIG,
      overrideWatermark(db),
    );
    recordPricingSettings(db, {
      category: null,
      from: runDate,
      settings: { units_floor: 0.97, price_index: [0.97, 1.02] },
      actor: "alice",
      reason: "protect traffic",
    }, null);
    recordPricingSettings(db, {
      category: "snacks",
      from: runDate,
      settings: { objective: "revenue" },
      actor: "alice",
      reason: "push volume",
    }, null);
    const s = run(db, runDate);
    const details = RunStartDetails.parse(readRunStartDetails(db, s.run_id));
    assert.deepEqual(details.pricing.rules, {
      store: { units_floor: 0.97, price_index: [0.97, 1.02] },
      categories: { snacks: { objective: "revenue" } },
    });
    const decisions = readDecisions(db, s.run_id);
    for (const d of decisions) {
      const objective = d.explanation.objective as { objective: string; rules: object };
      assert.ok("price_index" in objective.rules, `${d.sku} records its rules`);
    }
    assert.ok(
      decisions.some((d) =>
        (d.explanation.objective as { objective: string }).objective === "revenue"
      ),
    );
    assert.notEqual(s.output_digest, outputDigest(withoutRules), "the rules changed prices");
    const replay = replayRun(db, s.run_id, (v) => modelOfVersion(db, v));
    assert.equal(replay.match, true);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

function readSnapshotsFor(db: DatabaseSync, runDate: string) {
  const { snapshots } = buildSnapshots(loadFeatureInputs(db, runDate));
  return snapshots;
}
