/**
 * Wrong input as users meet it on the command line: every error names the flag
 * and the value (and the path of a file), dates stay within 2000–2199 and
 * `--days` within 3,660, nothing is written before input is refused, a failed
 * `sim` leaves no file, stores this code cannot use are refused with exit 2,
 * and control characters are refused in flags and escaped when printed.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordOverride } from "../engine/pricing/override_requests.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { readCatalogBefore } from "../engine/store/queries.ts";
import { openStore } from "../engine/store/db.ts";
import { addDays } from "../engine/util/date.ts";
import { hasControl } from "../tasks/_text.ts";
import { simulatedStore } from "./_stores.ts";
import { onlyJson, ROOT, runTask } from "./_run_task.ts";

async function tempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cli_input_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("every task names the flag and the value of a bad date", async () => {
  const who = ["--by", "alice", "--reason", "r", "--db", "/nonexistent/pricing.db"];
  const cases: [string, string[], string][] = [
    ["daily", ["--date", "2025-02-30", "--db", "/nonexistent/pricing.db"], "--date"],
    ["monitor", ["--date", "2025-02-30"], "--date"],
    ["override", ["freeze", "--all", "--until", "2025-02-30", ...who], "--until"],
    [
      "override",
      ["force-rule", "--all", "--from", "2025-13-01", "--until", "2026-01-01", ...who],
      "--from",
    ],
    ["override", ["list", "--active-on", "2025-02-30"], "--active-on"],
    ["models", ["train", "--from", "2025-02-30"], "--from"],
    ["models", ["train", "--to", "20250101"], "--to"],
  ];
  for (const [name, args, flag] of cases) {
    const r = await runTask(name, args);
    const value = args[args.indexOf(flag) + 1];
    assert.equal(r.code, 2, `${name} ${flag}: ${r.stderr}`);
    assert.ok(
      r.stderr.includes(
        `${flag}: expected a calendar date YYYY-MM-DD from 2000-01-01 to 2199-12-31 (got "${value}")`,
      ),
      r.stderr,
    );
  }
});

Deno.test("daily refuses dates outside 2000-2199 and --days over 3,660 before writing anything", async () => {
  await tempDir(async (dir) => {
    const db = join(dir, "pricing.db");
    const refused: [string[], RegExp][] = [
      [
        ["--date", "9999-12-31", "--days", "2"],
        /--date: .*from 2000-01-01 to 2199-12-31 \(got "9999-12-31"\)/,
      ],
      [["--date", "1999-12-31"], /--date: .* \(got "1999-12-31"\)/],
      [
        ["--date", "2199-12-31", "--days", "2"],
        /dates must lie from 2000-01-01 to 2199-12-31 \(the last would be 2200-01-01; lower --days\)/,
      ],
      [
        ["--days", "1000000000"],
        /--days: expected a whole number from 1 to 3,660 \(got "1000000000"\)/,
      ],
      [["--days", "3661"], /--days: expected a whole number from 1 to 3,660 \(got "3661"\)/],
    ];
    for (const [args, message] of refused) {
      const r = await runTask("daily", [...args, "--db", db, "--json"]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(onlyJson(r).exit_code, 2);
      assert.deepEqual(readdirSync(dir), [], `${args.join(" ")} wrote nothing`);
    }
  });
});

Deno.test("sim and backtest cap --days and --skus, naming the cap", async () => {
  const cases: [string, string[], RegExp][] = [
    ["sim", ["--db", "/nonexistent/x.db", "--days", "3661"], /--days: .*1 to 3,660 \(got "3661"\)/],
    [
      "sim",
      ["--db", "/nonexistent/x.db", "--skus", "1000001"],
      /--skus: .*1 to 1,000,000 \(got "1000001"\)/,
    ],
    ["backtest", ["--days", "5000"], /--days: .*1 to 3,660 \(got "5000"\)/],
    ["backtest", ["--skus", "0"], /--skus: .*1 to 1,000,000 \(got "0"\)/],
  ];
  for (const [name, args, message] of cases) {
    const r = await runTask(name, args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});

Deno.test("a sim refused or failed half way leaves no file, so the retry does not find one", async () => {
  await tempDir(async (dir) => {
    const out = join(dir, "out");
    Deno.mkdirSync(out);
    const db = join(out, "sim.db");
    const capped = await runTask("sim", ["--db", db, "--skus", "1000001"]);
    assert.equal(capped.code, 2, capped.stderr);
    assert.deepEqual(readdirSync(out), []);
    // A scenario that passes its schema but whose catalog cannot be priced fails inside the build.
    const scenario = JSON.parse(readFileSync(join(ROOT, "sim/scenarios/default.json"), "utf8"));
    scenario.pricing.floorCostMultiple = 100;
    const file = join(dir, "impossible.json");
    writeFileSync(file, JSON.stringify(scenario));
    const failed = await runTask("sim", ["--db", db, "--scenario", file, "--skus", "20"]);
    assert.equal(failed.code, 2, failed.stderr);
    assert.match(failed.stderr, /Cannot price SKU-\d+: floor .* exceeds ceiling/);
    assert.deepEqual(readdirSync(out), [], "no store and no temporary file is left behind");
    const retry = await runTask("sim", ["--db", db, "--skus", "20", "--days", "30", "--json"]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(onlyJson(retry).status, "written");
    assert.deepEqual(readdirSync(out), ["sim.db"]);
    const again = await runTask("sim", ["--db", db, "--skus", "20", "--days", "30"]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
  });
});

Deno.test("a file that is not SQLite is refused with exit 2 naming its path, and left as it was", async () => {
  await tempDir(async (dir) => {
    const path = join(dir, "notes.db");
    const text = "not a database at all\n".repeat(100);
    writeFileSync(path, text);
    for (const [name, args] of [["override", ["list"]], ["daily", []], ["alerts", []]] as const) {
      const r = await runTask(name, [...args, "--db", path]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`${path} is not a SQLite database`), r.stderr);
    }
    assert.equal(readFileSync(path, "utf8"), text);
  });
});

Deno.test("a store from newer code or with an extra column is refused with exit 2 naming the difference", async () => {
  const { db, dir, path } = await simulatedStore({ skus: 5, days: 40 });
  db.close();
  try {
    const raw = new DatabaseSync(path);
    raw.exec("INSERT INTO schema_migrations (version, name) VALUES (42, 'from the future')");
    raw.close();
    for (const name of ["daily", "alerts"]) {
      const r = await runTask(name, ["--db", path, "--json"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /its schema version 42 is newer than this code's latest schema version \d+/,
      );
      assert.ok(r.stderr.includes(path));
    }
    const fix = new DatabaseSync(path);
    fix.exec(
      "DELETE FROM schema_migrations WHERE version = 42; ALTER TABLE sales ADD COLUMN note TEXT",
    );
    fix.close();
    const r = await runTask("override", ["list", "--db", path]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /table sales has an extra column note TEXT/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("control characters are refused in flags and escaped when override list prints them", async () => {
  const { db, dir, path } = await simulatedStore({ skus: 5, days: 40 });
  try {
    const next = defaultRunDate(db);
    const sku = readCatalogBefore(db, next)[0].sku;
    const until = addDays(next, 5);
    const base = ["freeze", "--sku", sku, "--until", until, "--db", path];
    for (const [flag, value] of [["--by", "eve\u001b[2J"], ["--reason", "line one\nline two"]]) {
      const args = [...base, "--by", "alice", "--reason", "ok"];
      args[args.indexOf(flag) + 1] = value;
      const r = await runTask("override", args);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(
        r.stderr.includes(
          `${flag}: must not contain control characters such as a newline, a tab or ESC (got ${
            JSON.stringify(value)
          })`,
        ),
        r.stderr,
      );
    }
    db.close();
    const none = onlyJson(await runTask("override", ["list", "--db", path, "--json"]));
    assert.deepEqual(none.overrides, [], "nothing was recorded");
    // Text that reached the store another way (the engine's API) is escaped when printed.
    const store = openStore(path);
    recordOverride(store, {
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: sku,
      until,
      actor: "mallory\u001b]0;owned\u0007",
      reason: "first\nforged line",
    }, null);
    store.close();
    const text = await runTask("override", ["list", "--db", path]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(
      ![...text.stderr].some((c) => c !== "\n" && hasControl(c)),
      "no raw control character",
    );
    assert.ok(text.stderr.includes("mallory\\x1b]0;owned\\x07"), text.stderr);
    assert.ok(text.stderr.includes("first\\nforged line"), text.stderr);
    assert.equal(text.stderr.trim().split("\n").length, 3, "header, rule and one row");
    const json = onlyJson(await runTask("override", ["list", "--db", path, "--json"]));
    const [o] = json.overrides as { actor: string; reason: string }[];
    assert.equal(o.actor, "mallory\u001b]0;owned\u0007", "the JSON keeps the value exactly");
    assert.equal(o.reason, "first\nforged line");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad --export-dir is refused naming the path before any run is made", async () => {
  const { db, dir, path } = await simulatedStore({ skus: 5, days: 40 });
  db.close();
  try {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const r = await runTask("daily", ["--db", path, "--export-dir", join(file, "exports")]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(`--export-dir ${join(file, "exports")}`), r.stderr);
    const runs = new DatabaseSync(path, { readOnly: true });
    assert.equal(runs.prepare("SELECT count(*) AS n FROM runs").get()?.n, 0, "no run was made");
    runs.close();
    assert.equal(existsSync(join(file, "exports")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
