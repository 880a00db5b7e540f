/**
 * Scale: the daily run in chunks, its incremental per-SKU state (history
 * blocks, weekly elasticity fits) and sharded runs give the decisions of one
 * unchunked run computed from scratch.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { copyFileSync } from "node:fs";
import { openStore, statement } from "../engine/store/db.ts";
import { type DailyReport, runDaily, runDailyShard } from "../engine/pipeline/daily.ts";
import { PreconditionError } from "../engine/pipeline/preconditions.ts";
import { elasticityModel } from "../engine/demand/elasticity_model.ts";
import { defaultRunDate, readRuns, readSnapshots } from "../engine/store/queries.ts";
import { appendSales } from "../engine/store/write/inputs.ts";
import { addDays } from "../engine/util/date.ts";
import { InputError } from "../engine/util/errors.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { importFiles } from "../engine/ingest/import.ts";
import { onlyJson, runTask } from "./_run_task.ts";
import { simulatedStore } from "./_stores.ts";

const model = elasticityModel();

/** A store of 90 SKUs and 150 days, closed, and a function that copies it. */
async function base(): Promise<{ copy(): DatabaseSync; runDate: string; dir: string }> {
  const { db, path, dir } = await simulatedStore({ skus: 90, days: 150, seed: 5 });
  const runDate = defaultRunDate(db);
  db.close();
  let n = 0;
  return {
    runDate,
    dir,
    copy() {
      const to = `${dir}/copy-${++n}.db`;
      copyFileSync(path, to);
      return openStore(to);
    },
  };
}

const digests = (r: DailyReport) => [r.input_digest, r.output_digest, r.skus, r.skipped];

Deno.test("runs in chunks of 7, 40 and 5,000 SKUs give identical digests over 3 days", async () => {
  const store = await base();
  const results = [7, 40, 5_000].map((chunkSkus) => {
    const db = store.copy();
    const out = [0, 1, 2].map((i) => {
      const r = runDaily(db, {
        runDate: addDays(store.runDate, i),
        model,
        features: { chunkSkus },
        recordActuals: recordSimulatedActuals,
      });
      return digests(r);
    });
    db.close();
    return out;
  });
  assert.ok((results[0][0][2] as number) > 50);
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

/** Drops the derived state (history blocks, their sync state, fits): the next read rebuilds it. */
function dropDerivedState(db: DatabaseSync): void {
  db.exec("DELETE FROM history_blocks; DELETE FROM history_state; DELETE FROM elasticity_fits");
}

Deno.test("incremental history and stored fits give the snapshots of a full recomputation, also after a correction of an old date", async () => {
  const store = await base();
  const db = store.copy();
  // Days run one after another: the blocks are synced day by day, fits kept for the week.
  for (let i = 0; i < 4; i++) {
    runDaily(db, {
      runDate: addDays(store.runDate, i),
      model,
      recordActuals: recordSimulatedActuals,
    });
  }
  const fits = Number(statement(db, "SELECT count(*) AS n FROM elasticity_fits").get()!.n);
  assert.ok(fits > 50, `${fits} fits stored`);
  const next = addDays(store.runDate, 4);
  recordSimulatedActuals(db, next);
  const snapshot = (name: string) => {
    db.exec(`VACUUM INTO '${store.dir}/${name}.db'`);
    return openStore(`${store.dir}/${name}.db`);
  };
  const uncorrected = snapshot("uncorrected");
  // A correction of a day 100 days back: inside every fit's window, outside every other feature's.
  const old = addDays(store.runDate, -100);
  const sku = String(
    statement(db, "SELECT sku FROM sales WHERE date = ? ORDER BY sku LIMIT 1").get(old)!.sku,
  );
  const row = statement(db, "SELECT * FROM sales WHERE sku = ? AND date = ?").get(sku, old)!;
  appendSales(db, [{
    sku,
    date: old,
    units: Number(row.units) + 60,
    revenue: (Number(row.units) + 60) * Number(row.shelf_price),
    shelf_price: Number(row.shelf_price),
    promo: false,
    reason: "correction",
  }]);
  // The same store twice: as kept incrementally, and with its derived state rebuilt.
  const rebuilt = snapshot("rebuilt");
  dropDerivedState(rebuilt);
  const a = runDaily(db, { runDate: next, model });
  const b = runDaily(rebuilt, { runDate: next, model });
  assert.deepEqual(digests(a), digests(b));
  assert.deepEqual(
    readSnapshots(db, next).map((s) => s.snapshot_id),
    readSnapshots(rebuilt, next).map((s) => s.snapshot_id),
  );
  // The correction changed the corrected SKU's fit: the stored one was dropped and refitted.
  runDaily(uncorrected, { runDate: next, model });
  const raw = (d: DatabaseSync) =>
    readSnapshots(d, next).find((s) => s.sku === sku)!.features.elasticity_raw;
  assert.notEqual(raw(db), raw(uncorrected));
  for (const d of [db, rebuilt, uncorrected]) d.close();
});

Deno.test("sharded runs (N = 1, 2, 3) equal the unsharded run; a half-finished set is not a succeeded run; re-running a shard changes nothing", async () => {
  const store = await base();
  const whole = store.copy();
  const expected = digests(runDaily(whole, { runDate: store.runDate, model }));
  whole.close();
  for (const count of [1, 2, 3]) {
    const db = store.copy();
    // Shards in reverse order: the order they land in does not matter.
    let last: ReturnType<typeof runDailyShard> | null = null;
    for (let index = count; index >= 1; index--) {
      last = runDailyShard(db, { runDate: store.runDate, model, shard: { index, count } });
      if (index > 1) {
        assert.equal(last.status, "shard_committed");
        assert.equal(
          readRuns(db, { date: store.runDate }).some((r) => r.status === "succeeded"),
          false,
          `${count - index + 1} of ${count} shards committed is not a succeeded run`,
        );
        // A committed shard again: nothing written.
        const rows = Number(statement(db, "SELECT count(*) AS n FROM decisions").get()!.n);
        const again = runDailyShard(db, { runDate: store.runDate, model, shard: { index, count } });
        assert.equal(again.status, "shard_already_committed");
        assert.equal(Number(statement(db, "SELECT count(*) AS n FROM decisions").get()!.n), rows);
        // Neither an unsharded run nor another shard count can run meanwhile.
        assert.throws(() => runDaily(db, { runDate: store.runDate, model }), PreconditionError);
        assert.throws(
          () =>
            runDailyShard(db, {
              runDate: store.runDate,
              model,
              shard: { index: 1, count: count + 1 },
            }),
          InputError,
        );
      }
    }
    assert.equal(last!.status, "succeeded");
    assert.deepEqual(digests(last as DailyReport), expected, `${count} shards`);
    const again = runDailyShard(db, { runDate: store.runDate, model, shard: { index: 1, count } });
    assert.equal(again.status, "already_succeeded");
    db.close();
  }
});

Deno.test("a shard refuses when the inputs changed since its run opened, writing nothing", async () => {
  const store = await base();
  const db = store.copy();
  runDailyShard(db, { runDate: store.runDate, model, shard: { index: 1, count: 2 } });
  const before = Number(statement(db, "SELECT count(*) AS n FROM decisions").get()!.n);
  // The importer refuses while the run is open.
  await assert.rejects(
    () =>
      importFiles(db, [{ file: "sales.csv", kind: "sales", bytes: new Uint8Array() }], {
        asOf: store.runDate,
        actor: "test",
      }),
    /being priced in shards/,
  );
  appendSales(db, [{
    sku: String(statement(db, "SELECT sku FROM catalog LIMIT 1").get()!.sku),
    date: addDays(store.runDate, -3),
    units: 1,
    revenue: 2,
    shelf_price: 2,
    promo: false,
    reason: "correction",
  }]);
  assert.throws(
    () => runDailyShard(db, { runDate: store.runDate, model, shard: { index: 2, count: 2 } }),
    (e: Error) =>
      e instanceof PreconditionError && /inputs changed since the run opened/.test(e.message),
  );
  assert.equal(Number(statement(db, "SELECT count(*) AS n FROM decisions").get()!.n), before);
  db.close();
});

Deno.test("deno task daily --shard 1/3, 2/3 and 3/3 in parallel processes on one store: the last seals the run, writes its price file, and the digest is the unsharded run's", async () => {
  const store = await base();
  const whole = store.copy();
  const expected = runDaily(whole, { runDate: store.runDate, model: null }).output_digest;
  whole.close();
  const db = store.copy();
  const path = db.location()!;
  db.close();
  const shard = (k: number) =>
    runTask("daily", [
      "--db",
      path,
      "--date",
      store.runDate,
      "--shard",
      `${k}/3`,
      "--export-dir",
      `${store.dir}/exports`,
      "--json",
    ]);
  const results = await Promise.all([1, 2, 3].map(shard));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const outs = results.map((r) => onlyJson(r));
  const sealed = outs.filter((o) => o.status === "succeeded");
  assert.equal(sealed.length, 1, JSON.stringify(outs.map((o) => o.status)));
  assert.equal(sealed[0].output_digest, expected);
  assert.match(String((sealed[0].price_export as { file: string }).file), /^prices-.*\.csv$/);
  assert.ok(
    outs.filter((o) => o.status === "shard_committed").every((o) =>
      Array.isArray(o.committed) && o.shards === 3
    ),
  );
  // Bad shard specs name the flag.
  const bad = await runTask("daily", ["--db", path, "--shard", "4/3"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--shard 4\/3/);
});
