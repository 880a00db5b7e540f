/**
 * The daily run's pre-write check re-hashes the newest link's input rows only up to a
 * bound (a first run over a loaded history commits to every row of it); `verify`
 * always re-hashes every row.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runDaily } from "../engine/pipeline/daily.ts";
import { checkBeforeRun, verifyStore } from "../engine/pipeline/verify.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { simulatedStore } from "./_stores.ts";

Deno.test("a run's pre-write check re-hashes the newest link's input rows up to its bound; verify re-hashes them all", async () => {
  const { db } = await simulatedStore({ skus: 12, days: 60, seed: 3 });
  try {
    runDaily(db, { runDate: defaultRunDate(db), model: null });
    assert.deepEqual(checkBeforeRun(db), []);
    // Rewrite one sales row the first run committed to, triggers put back as they were.
    const triggers = db.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sales'",
    ).all();
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    db.exec("UPDATE sales SET units = units + 1 WHERE id = 5");
    for (const t of triggers) db.exec(String(t.sql));

    const inputs = (findings: { check: string }[]) =>
      findings.filter((f) => f.check === "input_rows");
    // 12 SKUs x 60 days x 3 tables: far more rows than a bound of 100.
    assert.equal(inputs(checkBeforeRun(db)).length, 1, "within the default bound: found");
    assert.deepEqual(checkBeforeRun(db, 100), [], "above the bound: left to verify");
    assert.equal(inputs(verifyStore(db).findings).length, 1, "verify finds it whatever the size");
  } finally {
    db.close();
  }
});
