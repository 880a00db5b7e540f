/**
 * Overrides are intent resolved by each run for its own run date: their window,
 * expiry, revocation and precedence take effect on the run date, never on the
 * date they were typed, and past runs replay with the overrides they saw.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { readCatalogBefore, readDecisions, readSales } from "../engine/store/queries.ts";
import { appendOverride, appendRevocation } from "../engine/store/writer.ts";
import { type DailyReport, runDaily } from "../engine/pipeline/daily.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { championModel, modelOfVersion } from "../engine/registry/load.ts";
import { listOverrides, recordOverride } from "../engine/pricing/override_requests.ts";
import type { Decision, OverrideRequest } from "../engine/schema/pricing.ts";
import { addDays } from "../engine/util/date.ts";
import { createDemoStore } from "../sim/demo.ts";
import { recordSimulatedActuals } from "../sim/store.ts";

interface Demo {
  db: DatabaseSync;
  /** The first run date of the store. */
  d: string;
  /** SKUs with a full history the demo overrides leave to the model (not frozen, not household). */
  free: { sku: string; category: string }[];
  close(): Promise<void>;
}

async function demoStore(): Promise<Demo> {
  const dir = await Deno.makeTempDir({ prefix: "overrides_test_" });
  const db = openStore(join(dir, "pricing.db"));
  await createDemoStore(db, { skus: 60, days: 200, seed: 7 });
  const d = defaultRunDate(db);
  const demo = new Set(
    listOverrides(db).filter((o) => o.scope === "sku").map((o) => o.target),
  );
  const demoCategories = new Set(
    listOverrides(db).filter((o) => o.scope === "category").map((o) => o.target),
  );
  const sold = new Map<string, number>();
  for (const r of readSales(db, addDays(d, -60), d)) sold.set(r.sku, (sold.get(r.sku) ?? 0) + 1);
  const free = readCatalogBefore(db, d)
    .filter((c) => c.active && !demo.has(c.sku) && !demoCategories.has(c.category))
    .filter((c) => sold.get(c.sku) === 60)
    .map((c) => ({ sku: c.sku, category: c.category }));
  return {
    db,
    d,
    free,
    close: async () => {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function run(db: DatabaseSync, runDate: string): DailyReport {
  return runDaily(db, { runDate, model: championModel(db), recordActuals: recordSimulatedActuals });
}

function decisionOf(db: DatabaseSync, summary: DailyReport, sku: string): Decision {
  const found = readDecisions(db, summary.run_id).find((x) => x.sku === sku);
  assert.ok(found, `run ${summary.run_id} has a decision for ${sku}`);
  return found;
}

function override(partial: Partial<OverrideRequest>): OverrideRequest {
  return {
    kind: "PRICE_FREEZE",
    scope: "sku",
    target: null,
    effective_from: "2000-01-01",
    expires_at: "2100-01-01",
    actor: "ops-test",
    reason: "test",
    ...partial,
  };
}

Deno.test("a freeze typed before run D but effective from D+2 leaves D and D+1 to the model and freezes D+2 on", async () => {
  const s = await demoStore();
  try {
    const { sku } = s.free[0];
    const id = appendOverride(
      s.db,
      override({ target: sku, effective_from: addDays(s.d, 2), expires_at: addDays(s.d, 6) }),
      null,
    );
    const days = [0, 1, 2, 3].map((i) => run(s.db, addDays(s.d, i)));
    for (const i of [0, 1]) {
      const x = decisionOf(s.db, days[i], sku);
      assert.equal(x.strategy, "ml", `run ${days[i].run_date} prices ${sku} by the model`);
      assert.equal(x.override_id, null);
      assert.ok(!x.reason_codes.includes("OVERRIDE_PRICE_FREEZE"));
    }
    for (const i of [2, 3]) {
      const x = decisionOf(s.db, days[i], sku);
      assert.equal(x.strategy, "static", `run ${days[i].run_date} keeps ${sku}'s price`);
      assert.equal(x.override_id, id);
      assert.equal(x.override_kind, "PRICE_FREEZE");
      assert.ok(x.reason_codes.includes("OVERRIDE_PRICE_FREEZE"));
      assert.equal(x.price, x.previous_price);
    }
    assert.equal(
      decisionOf(s.db, days[3], sku).price,
      decisionOf(s.db, days[1], sku).price,
      "the frozen price is the last price before the freeze",
    );
  } finally {
    await s.close();
  }
});

Deno.test("an override no longer applies on its expires_at run date", async () => {
  const s = await demoStore();
  try {
    const { sku } = s.free[0];
    appendOverride(
      s.db,
      override({
        kind: "FORCE_RULE_BASED",
        target: sku,
        effective_from: s.d,
        expires_at: addDays(s.d, 2),
      }),
      null,
    );
    const strategies = [0, 1, 2, 3].map((i) => decisionOf(s.db, run(s.db, addDays(s.d, i)), sku));
    assert.deepEqual(strategies.map((x) => x.strategy), ["rule", "rule", "ml", "ml"]);
    assert.ok(strategies[1].reason_codes.includes("OVERRIDE_FORCE_RULE_BASED"));
    assert.equal(strategies[2].override_id, null);
  } finally {
    await s.close();
  }
});

Deno.test("an override recorded without a first day starts at the store's next run date", async () => {
  const s = await demoStore();
  try {
    const { sku } = s.free[1];
    const o = recordOverride(s.db, {
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: sku,
      until: addDays(s.d, 1),
      actor: "alice",
      reason: "campaign",
    }, "2099-12-31T23:59:59.000Z");
    assert.equal(o.effective_from, s.d, "the first day is the run date, not the wall clock");
    assert.equal(decisionOf(s.db, run(s.db, s.d), sku).override_id, o.id);
    assert.equal(decisionOf(s.db, run(s.db, addDays(s.d, 1)), sku).override_id, null);
    assert.throws(
      () =>
        recordOverride(s.db, {
          kind: "PRICE_FREEZE",
          scope: "sku",
          target: "SKU-NOT-THERE",
          until: addDays(s.d, 5),
          actor: "alice",
          reason: "typo",
        }, null),
      RangeError,
    );
  } finally {
    await s.close();
  }
});

Deno.test("a revocation recorded before run D+3 stops the freeze from D+3 on while earlier runs still replay", async () => {
  const s = await demoStore();
  try {
    const { sku } = s.free[0];
    const id = appendOverride(
      s.db,
      override({ target: sku, effective_from: s.d, expires_at: addDays(s.d, 30) }),
      null,
    );
    const before = [0, 1, 2].map((i) => run(s.db, addDays(s.d, i)));
    appendRevocation(s.db, { override_id: id, actor: "bob", reason: "campaign cancelled" }, null);
    const after = [3, 4].map((i) => run(s.db, addDays(s.d, i)));
    for (const r of before) assert.equal(decisionOf(s.db, r, sku).strategy, "static");
    for (const r of after) {
      const x = decisionOf(s.db, r, sku);
      assert.equal(x.strategy, "ml", `run ${r.run_date} no longer applies the revoked freeze`);
      assert.equal(x.override_id, null);
    }
    for (const r of [...before, ...after]) {
      const replay = replayRun(s.db, r.run_id, (v) => modelOfVersion(s.db, v));
      assert.equal(replay.match, true, `replay of ${r.run_id} matches`);
      assert.deepEqual(replay.differing_skus, []);
    }
  } finally {
    await s.close();
  }
});

Deno.test("an override recorded after a run changes neither that run nor its replay", async () => {
  const s = await demoStore();
  try {
    const { sku } = s.free[0];
    const first = run(s.db, s.d);
    appendOverride(s.db, override({ target: sku, effective_from: s.d }), null);
    const again = run(s.db, s.d);
    assert.equal(again.status, "already_succeeded");
    assert.equal(again.output_digest, first.output_digest);
    assert.equal(decisionOf(s.db, first, sku).strategy, "ml");
    assert.equal(replayRun(s.db, first.run_id, (v) => modelOfVersion(s.db, v)).match, true);
    assert.equal(decisionOf(s.db, run(s.db, addDays(s.d, 1)), sku).strategy, "static");
  } finally {
    await s.close();
  }
});

Deno.test("in a real run a sku freeze beats its category's force-rule, which beats an all-scope freeze", async () => {
  const s = await demoStore();
  try {
    const x = s.free[0];
    const sameCategory = s.free.filter((f) => f.category === x.category && f.sku !== x.sku);
    const elsewhere = s.free.filter((f) => f.category !== x.category);
    assert.ok(sameCategory.length > 0 && elsewhere.length > 1, "the scenario mixes categories");
    const [y, other] = elsewhere;
    const all = appendOverride(s.db, override({ scope: "all" }), null);
    const cat = appendOverride(
      s.db,
      override({ kind: "FORCE_RULE_BASED", scope: "category", target: x.category }),
      null,
    );
    const xFreeze = appendOverride(s.db, override({ target: x.sku }), null);
    // At equal scope a freeze beats force-rule even when the force-rule is recorded later.
    const yFreeze = appendOverride(s.db, override({ target: y.sku }), null);
    appendOverride(s.db, override({ kind: "FORCE_RULE_BASED", target: y.sku }), null);
    const r = run(s.db, s.d);
    const strategyOf = (sku: string) => {
      const d = decisionOf(s.db, r, sku);
      return [d.strategy, d.override_id];
    };
    assert.deepEqual(strategyOf(x.sku), ["static", xFreeze], "the sku freeze wins");
    for (const f of sameCategory) {
      assert.deepEqual(strategyOf(f.sku), ["rule", cat], `${f.sku} follows its category`);
      assert.ok(decisionOf(s.db, r, f.sku).reason_codes.includes("OVERRIDE_FORCE_RULE_BASED"));
    }
    assert.deepEqual(strategyOf(y.sku), ["static", yFreeze], "freeze beats force-rule");
    assert.deepEqual(strategyOf(other.sku), ["static", all], "the all-scope freeze");
    assert.equal(r.strategies.ml, 0, "the all-scope freeze leaves nothing to the model");
  } finally {
    await s.close();
  }
});

Deno.test("UPDATE and DELETE on decisions, overrides and override_revocations fail", async () => {
  const s = await demoStore();
  try {
    const id = appendOverride(s.db, override({ target: s.free[0].sku }), null);
    appendRevocation(s.db, { override_id: id, actor: "bob", reason: "test" }, null);
    run(s.db, s.d);
    const count = (table: string) =>
      Number(s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);
    for (const table of ["decisions", "overrides", "override_revocations"]) {
      const n = count(table);
      assert.ok(n > 0, `${table} has rows to protect`);
      const column = table === "decisions" ? "price" : "reason";
      const value = table === "decisions" ? "1" : "'changed'";
      assert.throws(
        () => s.db.exec(`UPDATE ${table} SET ${column} = ${value}`),
        /append-only: UPDATE refused/,
      );
      assert.throws(() => s.db.exec(`DELETE FROM ${table}`), /append-only: DELETE refused/);
      assert.equal(count(table), n, `${table} keeps its ${n} rows`);
    }
  } finally {
    await s.close();
  }
});
