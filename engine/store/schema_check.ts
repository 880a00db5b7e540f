/**
 * The store's schema against the code's: a store written by a newer version of
 * the code (a migration this code does not know) or whose tables differ from
 * what the migrations create (an extra or missing column, table, view, trigger or
 * index) is refused before anything reads or writes it. The expected schema is
 * built once per set of applied migrations in an in-memory database.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { InputError, IntegrityError } from "../util/errors.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";

/** The table that records which migrations ran. */
export const SCHEMA_MIGRATIONS_SQL =
  "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT";

/** A schema as the comparison sees it: objects as "type name", each table's columns described. */
interface SchemaShape {
  objects: Set<string>;
  columns: Map<string, string[]>;
  /** Each trigger's SQL text. */
  triggers: Map<string, string>;
}

const _expected = new Map<string, SchemaShape>();

/**
 * Refuses (with an {@linkcode InputError} naming `path`) a store whose schema this
 * code cannot use: migrations it does not know, or tables that differ from what
 * its applied migrations create. An empty database passes (it is about to be
 * created); `readOnly` refuses it too, as nothing could be read from it.
 */
export function checkSchema(
  db: DatabaseSync,
  path: string,
  options: { readOnly?: boolean } = {},
): void {
  const cannot = (why: string) => new InputError(`Cannot open the store at ${path}: ${why}`);
  const actual = _shapeOf(db);
  if (!actual.objects.has("table schema_migrations")) {
    if (actual.objects.size === 0 && !options.readOnly) return;
    const names = [...actual.objects].map((o) => o.split(" ")[1]).slice(0, 5);
    throw cannot(
      actual.objects.size === 0
        ? "it is empty, not a pricing store (create one with deno task daily or deno task sim)"
        : `it has no schema_migrations table, so it is not a pricing store (it holds ${
          names.join(", ")
        }${actual.objects.size > names.length ? ", ..." : ""})`,
    );
  }
  const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all()
    .map((r) => Number(r.version));
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  const unknown = versions.filter((v) => !MIGRATIONS.some((m) => m.version === v));
  if (unknown.length) {
    throw cannot(
      `its schema version ${
        Math.max(...versions)
      } is newer than this code's latest schema version ${latest} (unknown migrations: ${
        unknown.join(", ")
      }); use the version of the code that wrote it, or a newer one`,
    );
  }
  const applied = MIGRATIONS.filter((m) => versions.includes(m.version));
  const differences = _differences(_expectedShape(applied), actual);
  const triggers = differences.filter((d) => / trigger /.test(d));
  if (triggers.length) {
    throw new IntegrityError(
      `Cannot open the store at ${path}: its append-only triggers were changed (${
        triggers.slice(0, 5).join("; ")
      }${
        triggers.length > 5 ? `; and ${triggers.length - 5} more` : ""
      }): rows may have been rewritten; run deno task verify --db ${path} and restore the store from a backup`,
    );
  }
  if (differences.length) {
    const shown = differences.slice(0, 8).join("; ");
    const more = differences.length > 8 ? `; and ${differences.length - 8} more` : "";
    throw cannot(
      `its tables differ from what schema version ${
        versions.length ? Math.max(...versions) : 0
      } of this code creates: ${shown}${more}`,
    );
  }
}

function _expectedShape(applied: readonly Migration[]): SchemaShape {
  const key = applied.map((m) => m.version).join(",");
  let shape = _expected.get(key);
  if (!shape) {
    const db = new DatabaseSync(":memory:");
    try {
      db.exec(SCHEMA_MIGRATIONS_SQL);
      for (const m of applied) db.exec(m.sql);
      shape = _shapeOf(db);
    } finally {
      db.close();
    }
    _expected.set(key, shape);
  }
  return shape;
}

function _shapeOf(db: DatabaseSync): SchemaShape {
  const rows = db.prepare(
    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
  ).all();
  const objects = new Set<string>();
  const columns = new Map<string, string[]>();
  const triggers = new Map<string, string>();
  for (const r of rows) {
    const type = String(r.type), name = String(r.name);
    objects.add(`${type} ${name}`);
    if (type === "trigger") triggers.set(name, String(r.sql));
    if (type !== "table") continue;
    const info = db.prepare(`PRAGMA table_info("${name.replaceAll('"', '""')}")`).all();
    columns.set(
      name,
      info.map((c) =>
        `${c.name} ${c.type || "(no type)"}${c.notnull ? " NOT NULL" : ""}${
          c.pk ? " PRIMARY KEY" : ""
        }${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ""}`
      ),
    );
  }
  return { objects, columns, triggers };
}

/**
 * The store's triggers against the ones its migrations create: each missing trigger,
 * and each whose SQL differs (a trigger replaced by one that lets writes through).
 * Empty when they are all in place.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./db.ts";
 * import { triggerDifferences } from "./schema_check.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(triggerDifferences(db), []);
 * db.exec("DROP TRIGGER decisions_no_update");
 * assert.deepEqual(triggerDifferences(db), ["trigger decisions_no_update is missing"]);
 * ```
 */
export function triggerDifferences(db: DatabaseSync): string[] {
  const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all()
    .map((r) => Number(r.version));
  const expected = _expectedShape(MIGRATIONS.filter((m) => versions.includes(m.version))).triggers;
  const actual = _shapeOf(db).triggers;
  const out: string[] = [];
  for (const [name, sql] of expected) {
    const have = actual.get(name);
    if (have === undefined) out.push(`trigger ${name} is missing`);
    else if (have !== sql) out.push(`trigger ${name} differs from the one migrations create`);
  }
  return out;
}

/**
 * How many triggers the store has (the audit tables' guards among them).
 *
 * @param db The store.
 * @returns The number of triggers.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./db.ts";
 * import { countTriggers } from "./schema_check.ts";
 *
 * const db = openStore(":memory:");
 * const n = countTriggers(db);
 * db.exec("DROP TRIGGER decisions_no_update");
 * assert.equal(countTriggers(db), n - 1);
 * ```
 */
export function countTriggers(db: DatabaseSync): number {
  return Number(
    db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'").get()!.n,
  );
}

function _differences(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  for (const o of actual.objects) if (!expected.objects.has(o)) out.push(`an extra ${o}`);
  for (const o of expected.objects) if (!actual.objects.has(o)) out.push(`no ${o}`);
  for (const [table, want] of expected.columns) {
    const have = actual.columns.get(table);
    if (!have) continue;
    const name = (c: string) => c.split(" ")[0];
    for (const c of have) {
      const w = want.find((x) => name(x) === name(c));
      if (!w) out.push(`table ${table} has an extra column ${c}`);
      else if (w !== c) out.push(`table ${table} has column ${c} where ${w} is expected`);
    }
    for (const w of want) {
      if (!have.some((c) => name(c) === name(w))) out.push(`table ${table} lacks column ${w}`);
    }
  }
  return out;
}
