/**
 * The tasks as a scheduler and pricing ops see them: real subprocesses, their
 * exit codes, and exactly one JSON object on stdout with --json.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { addDays } from "../engine/util/date.ts";
import { onlyJson, runTask, type TaskResult } from "./_run_task.ts";

function task(name: string, ...args: string[]): Promise<TaskResult> {
  return runTask(name, args);
}

for (
  const name of [
    "daily",
    "replay",
    "override",
    "models",
    "sim",
    "monitor",
    "alerts",
    "backtest",
    "init",
    "import",
    "export",
    "verify",
    "serve",
    "users",
    "settings",
  ]
) {
  Deno.test(`${name} --help prints its usage and exits 0`, async () => {
    const r = await task(name, "--help");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Usage:[\\s\\S]*deno task ${name}`));
  });

  Deno.test(`${name} with an unknown flag exits 2 naming the flag`, async () => {
    const command = name === "override" || name === "models" ? ["list"] : [];
    const r = await task(name, ...command, "--no-such-flag");
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--no-such-flag/);
  });
}

Deno.test("override without exactly one of --sku, --category or --all exits 2 saying so", async () => {
  for (const scope of [[], ["--sku", "SKU-00010", "--all"]]) {
    const r = await task(
      "override",
      "freeze",
      ...scope,
      "--until",
      "2030-01-01",
      "--by",
      "alice",
      "--reason",
      "test",
      "--db",
      "/nonexistent/pricing.db",
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /exactly one of --sku SKU, --category C or --all/);
  }
});

Deno.test("override on a missing store exits 2 naming the path and creates nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cli_test_" });
  try {
    const path = join(dir, "missing.db");
    const r = await task("override", "list", "--db", path, "--json");
    assert.equal(r.code, 2, r.stderr);
    assert.equal(onlyJson(r).status, "error");
    assert.ok(r.stderr.includes(path), r.stderr);
    assert.equal(existsSync(path), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a newcomer's first daily run creates the demo store, and override and replay work on it", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "cli_test_" });
  const db = join(dir, "pricing.db");
  try {
    let summary: Record<string, unknown> = {};
    await t.step(
      "daily --json on a missing store creates the demo store and prints one summary",
      async () => {
        const r = await task("daily", "--json", "--demo", "--db", db);
        assert.equal(r.code, 0, r.stderr);
        summary = onlyJson(r);
        for (const key of ["run_id", "run_date", "status", "skus", "output_digest", "infeasible"]) {
          assert.ok(key in summary, `summary has ${key}`);
        }
        assert.equal(summary.status, "succeeded");
        assert.ok(Number(summary.skus) > 0);
        const strategies = summary.strategies as Record<string, number>;
        assert.deepEqual(Object.keys(strategies).sort(), ["ml", "rule", "static"]);
        assert.equal(strategies.ml + strategies.rule + strategies.static, summary.skus);
        assert.match(String(summary.output_digest), /^[0-9a-f]{64}$/);
        const csv = readFileSync(
          join(dir, "exports", `prices-demo-${summary.run_date}.csv`),
          "utf8",
        );
        assert.equal(
          csv.split("\n")[0],
          "sku,price,effective_date,strategy,run_id,infeasible,conflict,held_back",
        );
        assert.equal(csv.trimEnd().split("\n").length, Number(summary.skus) + 1);
      },
    );

    await t.step("daily again on the same date reports already_succeeded with exit 0", async () => {
      const r = await task("daily", "--json", "--db", db, "--date", String(summary.run_date));
      assert.equal(r.code, 0, r.stderr);
      const again = onlyJson(r);
      assert.equal(again.status, "already_succeeded");
      assert.equal(again.output_digest, summary.output_digest);
    });

    let id = 0;
    const until = addDays(String(summary.run_date), 10);
    await t.step("override freeze then override list shows it", async () => {
      const r = await task(
        "override",
        "freeze",
        "--sku",
        "SKU-00010",
        "--until",
        until,
        "--by",
        "alice",
        "--reason",
        "test",
        "--db",
        db,
        "--json",
      );
      assert.equal(r.code, 0, r.stderr);
      const recorded = onlyJson(r);
      assert.equal(recorded.status, "recorded");
      id = Number(recorded.id);
      assert.ok(id > 0);
      const listed = onlyJson(await task("override", "list", "--db", db, "--json"));
      const overrides = listed.overrides as Record<string, unknown>[];
      const mine = overrides.find((o) => o.id === id);
      assert.ok(mine, `override ${id} is listed`);
      assert.equal(mine.kind, "PRICE_FREEZE");
      assert.equal(mine.scope, "sku");
      assert.equal(mine.target, "SKU-00010");
      assert.equal(mine.expires_at, until);
      assert.equal(mine.actor, "alice");
      assert.equal(mine.revocation_id, null);
      const active = onlyJson(
        await task("override", "list", "--active-on", until, "--db", db, "--json"),
      );
      assert.ok(
        !(active.overrides as { id: number }[]).some((o) => o.id === id),
        "it no longer applies on its until date",
      );
    });

    await t.step("override revoke records the revocation; revoking it again exits 2", async () => {
      const args = ["--by", "bob", "--reason", "campaign cancelled", "--db", db, "--json"];
      const r = await task("override", "revoke", String(id), ...args);
      assert.equal(r.code, 0, r.stderr);
      const revoked = onlyJson(r);
      assert.equal(revoked.status, "revoked");
      assert.equal(revoked.id, id);
      assert.equal((revoked.override as Record<string, unknown>).revoked_by, "bob");
      const twice = await task("override", "revoke", String(id), ...args);
      assert.equal(twice.code, 2, twice.stderr);
      assert.equal(onlyJson(twice).status, "error");
      assert.match(twice.stderr, /already revoked/);
    });

    await t.step("replay --run of the first run prints match true", async () => {
      const r = await task("replay", "--run", String(summary.run_id), "--db", db, "--json");
      assert.equal(r.code, 0, r.stderr);
      const report = onlyJson(r);
      assert.equal(report.match, true);
      assert.equal(report.run_id, summary.run_id);
      assert.equal(report.stored_digest, summary.output_digest);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("daily with an unknown --scenario exits 2 and creates no store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "daily-scenario-" });
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "-A",
      "tasks/daily.ts",
      "--demo",
      "--db",
      `${dir}/x.db`,
      "--scenario",
      "no-such-scenario",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /no-such-scenario/);
  assert.deepEqual([...Deno.readDirSync(dir)], []);
});
