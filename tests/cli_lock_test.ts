/**
 * While another process holds the store's write lock (a daily run in progress),
 * every task that writes exits 3 with the same message as `daily`, never 1 with
 * SQLite's bare "database is locked"; once the lock is free the same command
 * goes through.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { defaultRunDate } from "../engine/store/queries.ts";
import { readCatalogBefore } from "../engine/store/queries.ts";
import { recordOverride } from "../engine/pricing/override_requests.ts";
import { addDays } from "../engine/util/date.ts";
import { simulatedStore } from "./_stores.ts";
import { onlyJson, runTask } from "./_run_task.ts";

const SAME_AS_DAILY = /another run holds this store's write lock; wait for it to finish and retry/;

Deno.test("override, models approve/reject and daily exit 3 alike while the write lock is held", async () => {
  const { db, dir, path } = await simulatedStore({ skus: 12, days: 60 });
  const next = defaultRunDate(db);
  const sku = readCatalogBefore(db, next)[0].sku;
  const existing = recordOverride(db, {
    kind: "PRICE_FREEZE",
    scope: "sku",
    target: sku,
    until: addDays(next, 5),
    actor: "alice",
    reason: "to revoke",
  }, null);
  db.close();
  const who = ["--by", "alice", "--reason", "test", "--db", path, "--json"];
  const freeze = ["freeze", "--sku", sku, "--until", addDays(next, 3), ...who];
  const commands: [string, string[]][] = [
    ["daily", ["--db", path, "--json"]],
    ["override", freeze],
    ["override", ["force-rule", "--all", "--until", addDays(next, 3), ...who]],
    ["override", ["revoke", String(existing.id), ...who]],
    ["models", ["approve", "gbdt-2025-01-01-0000000000", ...who]],
    ["models", ["reject", "gbdt-2025-01-01-0000000000", ...who]],
  ];
  const other = new DatabaseSync(path, { timeout: 0 });
  try {
    other.exec("BEGIN IMMEDIATE");
    for (const [name, args] of commands) {
      const r = await runTask(name, args);
      const what = `${name} ${args[0]}`;
      assert.equal(r.code, 3, `${what}: ${r.stderr}`);
      assert.match(r.stderr, SAME_AS_DAILY, what);
      assert.doesNotMatch(r.stderr, /^[a-z]+: database is locked/m, what);
      const report = onlyJson(r);
      assert.equal(report.exit_code, 3, what);
      assert.match(String(report.error), SAME_AS_DAILY, what);
    }
    other.exec("ROLLBACK");
    const free = await runTask("override", freeze);
    assert.equal(free.code, 0, `the lock released, the override is recorded: ${free.stderr}`);
    const unknown = await runTask("models", ["approve", "gbdt-2025-01-01-0000000000", ...who]);
    assert.equal(unknown.code, 2, "unlocked, the unknown version is the user's to fix");
    assert.match(unknown.stderr, /not in the registry/);
  } finally {
    other.close();
    await Deno.remove(dir, { recursive: true });
  }
});
