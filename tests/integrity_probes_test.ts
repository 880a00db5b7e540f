/**
 * The reliability probes of issue 12, our own: hundreds of small attacks on the
 * store and the tasks, in five categories, each of which must hold —
 *
 * 1. append-only: every audit table × every write form (UPDATE, DELETE, REPLACE,
 *    INSERT OR REPLACE, upserts, UPDATE OR REPLACE, REPLACE with recursive
 *    triggers on, INSERT OR IGNORE) is refused or changes nothing;
 * 2. tamper evidence: every trigger dropped, and per run a rewritten decision, a
 *    consistently rewritten snapshot, a rewritten sales row, a deleted chain link,
 *    deleted run events, a rewritten digest and a stray event, is found by
 *    `verifyStore` (and the dropped trigger by the daily run's own check);
 * 3. bad values × columns: each value the checks refuse, in each input column, is
 *    refused at write time, and when planted with the checks bypassed it stops no
 *    reader, is left out of every read and is quarantined naming its column;
 * 4. the tasks' command lines: unknown flags, impossible or out-of-range dates, a
 *    --days beyond its cap and control characters are refused with exit 2, naming
 *    the flag and the value; a store that is missing or not SQLite is named by path;
 * 5. locks and exit codes: a held store gives exit 3 (daily, an append, override),
 *    input 2, anything else 1.
 *
 * The test prints the count per category and fails naming every probe that did not hold.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { isBusyError, openStore, statement } from "../engine/store/db.ts";
import { AUDIT_TABLES } from "../engine/store/migrations.ts";
import { populateEveryAuditTable } from "../engine/store/_populate_test_helper.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  appendSales,
} from "../engine/store/writer.ts";
import {
  earliestSalesDate,
  latestSalesDate,
  readCatalogAfter,
  readCatalogBefore,
  readCatalogHistory,
  readCompetitorPrices,
  readInventory,
  readLastShelfPrices,
  readLatestValidInventory,
  readRowsFrom,
  readSales,
  readSkuCatalog,
  readSkuDays,
  readSkusWithCompetitorPrice,
  readSkusWithSales,
  readValidCompetitorPrices,
  readValidSales,
} from "../engine/store/queries.ts";
import { syncHistory } from "../engine/store/history/sync.ts";
import { COLUMN_CHECKS, type InputTable, VALID_ROW } from "../engine/store/read/valid_rows.ts";
import { checkBeforeRun, verifyStore } from "../engine/pipeline/verify.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { runDaily } from "../engine/pipeline/daily.ts";
import { PreconditionError } from "../engine/pipeline/preconditions.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { canonicalJson, sha256Hex } from "../engine/util/hash.ts";
import { InputError, IntegrityError, LockHeldError } from "../engine/util/errors.ts";
import { exitCodeOf, type Task, UsageError } from "../tasks/_cli.ts";
import { simulatedStore } from "./_stores.ts";

type Category =
  | "append-only"
  | "tamper evidence"
  | "bad values"
  | "command line"
  | "locks and exit codes";

interface Outcome {
  category: Category;
  name: string;
  held: boolean;
  why?: string;
}

const outcomes: Outcome[] = [];

/** Runs one probe: it holds when `check` returns without throwing. */
async function probe(
  category: Category,
  name: string,
  check: () => void | Promise<void>,
): Promise<void> {
  try {
    await check();
    outcomes.push({ category, name, held: true });
  } catch (error) {
    outcomes.push({ category, name, held: false, why: String((error as Error)?.message ?? error) });
  }
}

/** Runs `fn` in a transaction that is always rolled back (DDL included). */
function scratch<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN");
  try {
    return fn();
  } finally {
    db.exec("ROLLBACK");
  }
}

const rowsOf = (db: DatabaseSync, table: string) =>
  JSON.stringify(
    db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
    (_, v) => typeof v === "bigint" ? String(v) : v,
  );

// ---------------------------------------------------------------------------------------
// 1. Append-only: every audit table × every write form.

async function appendOnlyProbes(): Promise<void> {
  const db = openStore(":memory:");
  populateEveryAuditTable(db);
  for (const table of AUDIT_TABLES) {
    const cols = db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid").all(table)
      .map((c) => `"${String(c.name)}"`).join(", ");
    const keys = db.prepare("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
      .all(table).map((c) => String(c.name)).join(", ");
    const first = `SELECT ${cols} FROM ${table} WHERE rowid = (SELECT min(rowid) FROM ${table})`;
    const forms: [string, string, "refused" | "unchanged"][] = [
      ["UPDATE", `UPDATE ${table} SET rowid = rowid`, "refused"],
      ["UPDATE OR REPLACE", `UPDATE OR REPLACE ${table} SET rowid = rowid`, "refused"],
      ["DELETE", `DELETE FROM ${table}`, "refused"],
      [
        "DELETE of one row",
        `DELETE FROM ${table} WHERE rowid = (SELECT min(rowid) FROM ${table})`,
        "refused",
      ],
      ["REPLACE", `REPLACE INTO ${table} (${cols}) ${first}`, "refused"],
      ["INSERT OR REPLACE", `INSERT OR REPLACE INTO ${table} (${cols}) ${first}`, "refused"],
      [
        "upsert DO UPDATE",
        `INSERT INTO ${table} (${cols}) ${first} ON CONFLICT (${keys}) DO UPDATE SET rowid = rowid`,
        "refused",
      ],
      [
        "REPLACE with recursive_triggers on",
        `PRAGMA recursive_triggers = ON; REPLACE INTO ${table} (${cols}) ${first}`,
        "refused",
      ],
      [
        "INSERT OR IGNORE of an existing row",
        `INSERT OR IGNORE INTO ${table} (${cols}) ${first}`,
        "unchanged",
      ],
    ];
    for (const [form, sql, expect] of forms) {
      await probe("append-only", `${table}: ${form}`, () => {
        const before = rowsOf(db, table);
        let threw: unknown = null;
        try {
          db.exec(sql);
        } catch (error) {
          threw = error;
        } finally {
          db.exec("PRAGMA recursive_triggers = OFF");
        }
        if (expect === "refused") {
          assert.ok(threw, "the statement ran");
          assert.match(String(threw), /append-only/);
        }
        assert.equal(rowsOf(db, table), before, "the table changed");
      });
    }
  }
  db.close();
}

// ---------------------------------------------------------------------------------------
// 2. Tamper evidence on a store after three runs.

async function tamperProbes(): Promise<void> {
  const store = await simulatedStore({ skus: 6, days: 60 });
  const db = store.db;
  try {
    const reports = runDates(db, { days: 3, recordActuals: recordSimulatedActuals });
    await probe("tamper evidence", "an untouched store after three runs verifies", () => {
      const report = verifyStore(db);
      assert.deepEqual(report.findings, []);
      assert.equal(report.checked.links, 3);
    });
    const triggers = db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
      .all().map((r) => String(r.name));
    for (const name of triggers) {
      await probe("tamper evidence", `dropped trigger ${name}`, () =>
        scratch(db, () => {
          db.exec(`DROP TRIGGER ${name}`);
          assert.ok(
            verifyStore(db).findings.some((f) => f.check === "trigger" && f.key === name),
            "verify names it",
          );
          assert.ok(
            checkBeforeRun(db).some((f) => f.key === name),
            "the daily run's check names it",
          );
        }));
    }
    const dropAll = () => {
      for (const t of triggers) db.exec(`DROP TRIGGER ${t}`);
    };
    const broken = (pattern?: RegExp) => {
      const findings = verifyStore(db).findings.filter((f) => f.check !== "trigger");
      assert.ok(findings.length > 0, "verify found nothing");
      if (pattern) {
        assert.ok(
          findings.some((f) => pattern.test(`${f.check} ${f.table} ${f.key} ${f.message}`)),
          JSON.stringify(findings.slice(0, 3)),
        );
      }
    };
    for (const r of reports) {
      const id = r.run_id;
      const sku = String(
        statement(db, "SELECT min(sku) AS sku FROM decisions WHERE run_id = ?").get(id)!.sku,
      );
      await probe("tamper evidence", `${id}: a decision's price tripled`, () =>
        scratch(db, () => {
          dropAll();
          db.prepare("UPDATE decisions SET price = price * 3 WHERE run_id = ? AND sku = ?").run(
            id,
            sku,
          );
          broken(new RegExp(id));
          const replay = replayRun(db, id, () => {
            throw new Error("no model");
          });
          assert.equal(replay.match, false);
          assert.notEqual(replay.decisions_digest, replay.stored_digest, "two digests shown");
        }));
      await probe(
        "tamper evidence",
        `${id}: a snapshot rewritten with its id recomputed`,
        () =>
          scratch(db, () => {
            dropAll();
            const s = db.prepare(
              "SELECT features FROM feature_snapshots WHERE run_date = ? AND sku = ?",
            ).get(r.run_date, sku)!;
            const features = JSON.parse(String(s.features));
            features.floor_price = Number(features.floor_price) * 1.5;
            features.ceiling_price = Number(features.ceiling_price) * 1.5;
            const json = canonicalJson(features);
            db.prepare(
              "UPDATE feature_snapshots SET features = ?, snapshot_id = ? WHERE run_date = ? AND sku = ?",
            ).run(json, sha256Hex(json), r.run_date, sku);
            db.prepare("UPDATE decisions SET snapshot_id = ? WHERE run_id = ? AND sku = ?").run(
              sha256Hex(json),
              id,
              sku,
            );
            broken(new RegExp(id));
          }),
      );
      await probe(
        "tamper evidence",
        `${id}: a snapshot's features edited`,
        () =>
          scratch(db, () => {
            dropAll();
            db.prepare(
              `UPDATE feature_snapshots SET features = json_set(features, '$.unit_cost', 0.01)
             WHERE run_date = ? AND sku = ?`,
            ).run(r.run_date, sku);
            broken(/snapshot/);
          }),
      );
      await probe("tamper evidence", `${id}: its output digest rewritten`, () =>
        scratch(db, () => {
          dropAll();
          db.prepare(
            `UPDATE run_events SET details = json_set(details, '$.output_digest', ?)
             WHERE run_id = ? AND event = 'succeeded'`,
          ).run("0".repeat(64), id);
          broken(new RegExp(id));
        }));
      await probe("tamper evidence", `${id}: its chain link deleted`, () =>
        scratch(db, () => {
          dropAll();
          db.prepare("DELETE FROM run_chain WHERE run_id = ?").run(id);
          broken();
        }));
      await probe("tamper evidence", `${id}: its run events deleted`, () =>
        scratch(db, () => {
          dropAll();
          db.prepare("DELETE FROM run_events WHERE run_id = ?").run(id);
          broken();
        }));
      await probe(
        "tamper evidence",
        `${id}: a failed event appended after its success`,
        () =>
          scratch(db, () => {
            db.prepare("INSERT INTO run_events (run_id, event, details) VALUES (?, 'failed', '{}')")
              .run(id);
            broken(/stray_event/);
          }),
      );
      await probe(
        "tamper evidence",
        `${id}: a sales row it read rewritten`,
        () =>
          scratch(db, () => {
            dropAll();
            const link = db.prepare("SELECT payload FROM run_chain WHERE run_id = ?").get(id)!;
            const range = JSON.parse(String(link.payload)).inputs.sales;
            assert.ok(range.to_id > range.after_id, "the run read sales rows");
            db.prepare("UPDATE sales SET units = units + 1 WHERE id = ?").run(range.to_id);
            broken(/input_rows|sales/);
          }),
      );
    }
  } finally {
    db.close();
    await Deno.remove(store.dir, { recursive: true });
  }
}

// ---------------------------------------------------------------------------------------
// 3. Bad values × input columns.

/** Candidate bad values by declared column type, as SQL (those a column accepts are skipped). */
const CANDIDATES: Record<string, string[]> = {
  REAL: ["1e999", "-1e999", "-1", "0", "1"],
  INTEGER: ["-1", "2", "9007199254740992", "9223372036854775807"],
  TEXT: [
    "''",
    "'A' || char(10) || 'B'",
    "'x' || char(27) || '[31m'",
    "'2024-7-18'",
    "'2024-02-30'",
    "'1999-12-31'",
    "'2200-01-01'",
    "'abc'",
    "'bad sku!'",
    "printf('%0600d', 0)",
  ],
};

/** Every reader of a table's rows, as JSON (what they return with the planted row present). */
function readAll(db: DatabaseSync, table: InputTable): string {
  const sku = "A1";
  const out: unknown[] = [];
  if (table === "catalog") {
    out.push(
      readCatalogBefore(db, "2199-12-31"),
      readCatalogHistory(db, "2199-12-31"),
      readCatalogAfter(db, 0).rows.map((r) => r.record),
      readSkuCatalog(db, sku),
    );
  } else if (table === "sales") {
    out.push(
      readSales(db, "2000-01-01", "2199-12-31"),
      readValidSales(db, "2000-01-01", "2199-12-31"),
      latestSalesDate(db),
      earliestSalesDate(db),
      [...readLastShelfPrices(db, "2199-12-31")],
      [...readSkusWithSales(db, "2000-01-01", "2199-12-31")],
      readRowsFrom(db, "2024-01-01"),
      readSkuDays(db, sku, "2000-01-01", "2199-12-31"),
    );
  } else if (table === "inventory") {
    out.push(
      readInventory(db, "2000-01-01", "2199-12-31"),
      readLatestValidInventory(db, "2199-12-31", "2000-01-01"),
      readRowsFrom(db, "2024-01-01"),
      readSkuDays(db, sku, "2000-01-01", "2199-12-31"),
    );
  } else {
    out.push(
      readCompetitorPrices(db, "2000-01-01", "2199-12-31"),
      readValidCompetitorPrices(db, "2000-01-01", "2199-12-31"),
      readSkusWithCompetitorPrice(db, "2000-01-01", "2199-12-31"),
      readRowsFrom(db, "2024-01-01"),
      readSkuDays(db, sku, "2000-01-01", "2199-12-31"),
    );
  }
  return JSON.stringify(out);
}

async function badValueProbes(): Promise<void> {
  const db = openStore(":memory:");
  appendCatalog(db, [{
    sku: "A1",
    effective_date: "2024-01-01",
    category: "snacks",
    unit_cost: 1,
    floor_price: 1.5,
    ceiling_price: 4,
    min_margin: 0.1,
    max_daily_change: 0.2,
    price_ending: "9",
    active: true,
  }]);
  appendSales(db, [{
    sku: "A1",
    date: "2024-02-01",
    units: 3,
    revenue: 7.47,
    shelf_price: 2.49,
    promo: false,
  }]);
  appendInventory(db, [{
    sku: "A1",
    date: "2024-02-01",
    on_hand: 20,
    on_order: 0,
    next_receipt_date: null,
  }]);
  appendCompetitorPrices(db, [{ sku: "A1", date: "2024-02-01", competitor_price: 2.59 }]);
  syncHistory(db);
  // The checks are bypassed with ignore_check_constraints; the one a trigger makes, by
  // dropping it (inside the rolled-back transaction).
  const plantable = () => db.exec("DROP TRIGGER catalog_size_check");
  for (const table of Object.keys(COLUMN_CHECKS) as InputTable[]) {
    const types = new Map(
      db.prepare("SELECT name, type FROM pragma_table_info(?)").all(table).map((
        c,
      ) => [String(c.name), String(c.type)]),
    );
    const columns = [...types.keys()].filter((c) => c !== "id");
    const baseline = readAll(db, table);
    for (const column of Object.keys(COLUMN_CHECKS[table])) {
      for (const value of CANDIDATES[types.get(column)!] ?? []) {
        const select = columns.map((c) => (c === column ? `${value} AS "${c}"` : `"${c}"`))
          .join(", ");
        const insert = `INSERT INTO ${table} (${
          columns.map((c) => `"${c}"`).join(", ")
        }) SELECT ${select} FROM ${table} WHERE id = 1`;
        // Is the value bad for this column at all? Plant it and ask the checks.
        const bad = scratch(db, () => {
          plantable();
          db.exec("PRAGMA ignore_check_constraints = ON");
          try {
            db.exec(insert);
          } finally {
            db.exec("PRAGMA ignore_check_constraints = OFF");
          }
          return !statement(
            db,
            `SELECT ${
              VALID_ROW[table]
            } AS ok FROM ${table} WHERE id = (SELECT max(id) FROM ${table})`,
          ).get()!.ok;
        });
        if (!bad) continue;
        const name = `${table}.${column} = ${value}`;
        await probe("bad values", `${name}: refused at write time`, () =>
          scratch(db, () => {
            assert.throws(() => db.exec(insert), /CHECK constraint failed/);
            assert.equal(readAll(db, table), baseline);
          }));
        await probe(
          "bad values",
          `${name}: planted, stops no reader, quarantined`,
          () =>
            scratch(db, () => {
              plantable();
              db.exec("PRAGMA ignore_check_constraints = ON");
              try {
                db.exec(insert);
              } finally {
                db.exec("PRAGMA ignore_check_constraints = OFF");
              }
              const id = Number(statement(db, `SELECT max(id) AS id FROM ${table}`).get()!.id);
              assert.equal(readAll(db, table), baseline, "the readers see the row");
              const report = syncHistory(db, { recordedBy: "probe" });
              const q = report.quarantined.find((r) => r.table === table && r.row_id === id);
              assert.ok(q, "not quarantined");
              assert.match(q.problem, new RegExp(`\\b${column} = `));
            }),
        );
      }
    }
  }
  db.close();
}

// ---------------------------------------------------------------------------------------
// 4. The tasks' command lines.

/** Each synopsis of a task: its command (if any), positionals and flags with placeholders. */
function synopses(
  task: Task,
): { command: string | null; positionals: string[]; flags: Map<string, string> }[] {
  const block = task.usage.split("\n\n")[0].replace(/^Usage:\n/, "");
  return block.split(/(?=deno task )/).filter((s) => s.trim()).map((s) => {
    const words = s.trim().split(/\s+/); // deno task NAME [COMMAND] ...
    const command = words[3] && /^[a-z][a-z-]*$/.test(words[3]) ? words[3] : null;
    const flags = new Map<string, string>();
    const positionals: string[] = [];
    const rest = words.slice(command ? 4 : 3);
    rest.forEach((w, i) => {
      const flag = /^\[?--([a-z][a-z-]*)\]?$/.exec(w);
      if (flag) {
        const next = rest[i + 1] ?? "";
        const arg = /^([A-Z][A-Z0-9|./_-]*|[a-z]+(?:\|[a-z-]+)+)\]?$/.exec(next);
        flags.set(flag[1], arg ? arg[1] : "");
      } else if (/^\[?[A-Z][A-Z_]*(\.\.\.)?\]?$/.test(w) && !/^\[?--/.test(rest[i - 1] ?? "")) {
        if (!w.startsWith("[")) positionals.push("P1");
      }
    });
    return { command, positionals, flags };
  });
}

async function refusedUsage(
  task: Task,
  argv: string[],
  mentions: string[],
): Promise<void> {
  let error: unknown = null;
  try {
    await task.run(argv);
  } catch (e) {
    error = e;
  }
  assert.ok(error, `${argv.join(" ")} was accepted`);
  assert.equal(exitCodeOf(error), 2, `exit ${exitCodeOf(error)}: ${error}`);
  const message = String((error as Error).message);
  for (const m of mentions) assert.ok(message.includes(m), `"${message}" does not name ${m}`);
}

async function commandLineProbes(dir: string): Promise<void> {
  const names = [
    "alerts",
    "backtest",
    "daily",
    "evaluate",
    "export",
    "import",
    "init",
    "models",
    "monitor",
    "override",
    "replay",
    "settings",
    "sim",
    "users",
    "verify",
  ];
  const missing = join(dir, "absent", "pricing.db");
  const notSqlite = join(dir, "notes.db");
  writeFileSync(notSqlite, "these are not the rows you are looking for\n".repeat(100));
  for (const name of names) {
    const { task } = await import(`../tasks/${name}.ts`) as { task: Task };
    for (const { command, positionals, flags } of synopses(task)) {
      const head = [...(command ? [command] : []), ...positionals];
      const where = `${name}${command ? ` ${command}` : ""}`;
      // A store that cannot exist: a probe that got past the flags touches nothing real.
      const db = flags.has("db") ? ["--db", missing] : [];
      await probe(
        "command line",
        `${where}: an unknown flag`,
        () => refusedUsage(task, [...head, ...db, "--no-such-flag"], ["--no-such-flag"]),
      );
      for (const [flag, arg] of flags) {
        if (arg === "YYYY-MM-DD") {
          for (const bad of ["2025-02-30", "2025-1-1", "1999-12-31", "2200-01-01", "9999-12-31"]) {
            await probe(
              "command line",
              `${where}: --${flag} ${bad}`,
              () => refusedUsage(task, [...head, ...db, `--${flag}`, bad], [`--${flag}`, bad]),
            );
          }
        }
        if (flag === "days") {
          for (const bad of ["0", "3661", "1000000000", "-1", "ten"]) {
            await probe(
              "command line",
              `${where}: --days ${bad}`,
              () => refusedUsage(task, [...head, ...db, `--days=${bad}`], ["--days", bad]),
            );
          }
        }
        if (arg !== "" && !["YYYY-MM-DD", "N"].includes(arg) && !arg.includes("|")) {
          for (const bad of ["x\u001b[31mevil", "two\nlines"]) {
            await probe(
              "command line",
              `${where}: --${flag} ${JSON.stringify(bad)}`,
              () =>
                refusedUsage(task, [...head, `--${flag}`, bad], [
                  `--${flag}`,
                  "control characters",
                ]),
            );
          }
        }
      }
      if (flags.has("db") && ["verify", "replay", "monitor", "alerts", "export"].includes(name)) {
        const run = ["export", "replay"].includes(name) ? ["--run", "2025-01-01#1"] : [];
        await probe(
          "command line",
          `${where}: a --db that does not exist is named`,
          () => refusedUsage(task, [...head, ...run, "--db", missing], [missing]),
        );
        await probe(
          "command line",
          `${where}: a --db that is not SQLite is named`,
          () => refusedUsage(task, [...head, ...run, "--db", notSqlite], [notSqlite]),
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// 5. Locks and exit codes.

async function lockProbes(): Promise<void> {
  await probe("locks and exit codes", "the exit code of each kind of error", () => {
    assert.equal(exitCodeOf(new UsageError("x")), 2);
    assert.equal(exitCodeOf(new InputError("x")), 2);
    assert.equal(exitCodeOf(new PreconditionError("x")), 2);
    assert.equal(exitCodeOf(new LockHeldError("run 2025-01-01")), 3);
    assert.equal(exitCodeOf(new IntegrityError("x")), 1);
    assert.equal(exitCodeOf(new Error("bug")), 1);
  });
  const store = await simulatedStore({ skus: 4, days: 40 });
  store.db.close();
  const holder = openStore(store.path);
  const other = openStore(store.path);
  try {
    holder.exec("BEGIN IMMEDIATE");
    await probe("locks and exit codes", "a daily run while another holds the store: exit 3", () => {
      assert.throws(() => runDaily(other, { model: null }), (e: unknown) => {
        assert.ok(e instanceof LockHeldError, String(e));
        return exitCodeOf(e) === 3;
      });
    });
    await probe("locks and exit codes", "an append while another holds the store: exit 3", () => {
      assert.throws(
        () =>
          appendSales(other, [{
            sku: "SKU-00001",
            date: "2030-01-01",
            units: 1,
            revenue: 1,
            shelf_price: 1,
            promo: false,
          }]),
        (e: unknown) => isBusyError(e) && exitCodeOf(e) === 3,
      );
    });
    const { task: override } = await import("../tasks/override.ts") as { task: Task };
    const { task: models } = await import("../tasks/models.ts") as { task: Task };
    await probe(
      "locks and exit codes",
      "override freeze while a run holds the store: exit 3",
      async () => {
        await assert.rejects(
          override.run([
            "freeze",
            "--sku",
            "SKU-00001",
            "--until",
            "2199-01-01",
            "--by",
            "ops",
            "--reason",
            "probe",
            "--db",
            store.path,
          ]),
          (e: unknown) => exitCodeOf(e) === 3,
        );
      },
    );
    await probe(
      "locks and exit codes",
      "models approve while a run holds the store: exit 3 or 2",
      async () => {
        await assert.rejects(
          models.run([
            "approve",
            "no-such-version",
            "--by",
            "ops",
            "--reason",
            "probe",
            "--db",
            store.path,
          ]),
          (e: unknown) => exitCodeOf(e) === 3 || exitCodeOf(e) === 2,
        );
      },
    );
    holder.exec("ROLLBACK");
    await probe("locks and exit codes", "once the store is free, the run succeeds", () => {
      assert.equal(runDaily(other, { model: null }).status, "succeeded");
    });
  } finally {
    holder.close();
    other.close();
    await Deno.remove(store.dir, { recursive: true });
  }
  await probe(
    "locks and exit codes",
    "a store whose triggers were dropped: the run refuses, exit 1",
    async () => {
      const s = await simulatedStore({ skus: 4, days: 40 });
      try {
        s.db.exec("DROP TRIGGER decisions_no_update");
        assert.throws(() => runDaily(s.db, { model: null }), (e: unknown) => {
          assert.ok(e instanceof IntegrityError, String(e));
          return exitCodeOf(e) === 1;
        });
      } finally {
        s.db.close();
        await Deno.remove(s.dir, { recursive: true });
      }
    },
  );
}

Deno.test("integrity probes: at least 300 across append-only, tamper evidence, bad values, command lines and locks, every one holding", async () => {
  const dir = await Deno.makeTempDir({ prefix: "integrity-probes-" });
  try {
    await appendOnlyProbes();
    await tamperProbes();
    await badValueProbes();
    await commandLineProbes(dir);
    await lockProbes();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const categories = [...new Set(outcomes.map((o) => o.category))];
  for (const c of categories) {
    const of = outcomes.filter((o) => o.category === c);
    console.log(`${c}: ${of.filter((o) => o.held).length} of ${of.length} held`);
  }
  const failed = outcomes.filter((o) => !o.held);
  console.log(`all: ${outcomes.length - failed.length} of ${outcomes.length} held`);
  assert.equal(categories.length, 5);
  assert.ok(outcomes.length >= 300, `only ${outcomes.length} probes`);
  assert.deepEqual(failed.map((f) => `${f.category} / ${f.name}: ${f.why}`), []);
});
