/**
 * Opening the store: SQLite through the runtime's `node:sqlite`, WAL mode,
 * foreign keys on, migrations applied when opened for writing.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { MIGRATIONS } from "./migrations.ts";

/** How to open the store. */
export interface OpenOptions {
  /** Open read-only (no migrations, no writes). Default false. */
  readOnly?: boolean;
  /** Milliseconds to wait for a lock held by another connection. Default 0: fail fast. */
  busyTimeoutMs?: number;
}

/**
 * Opens the store at `path`. Opened for writing (the default), the file is created
 * when missing, put in WAL mode with foreign keys on, and migrated to the latest
 * schema; opened read-only, nothing is written and queries cannot write.
 *
 * @param path The database file, or `:memory:` for a store that lives as long as the connection.
 * @param options `readOnly` (default false) and `busyTimeoutMs` (default 0: fail at once on a
 * lock).
 * @returns The open connection; close it with `db.close()`.
 * @throws {Error} When SQLite cannot open the file (the message names the path).
 *
 * @example Usage
 * ```ts
 * import { openStore } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'decisions'");
 * assert.equal(tables.get()?.n, 1);
 * db.close();
 * ```
 */
export function openStore(path: string, options: OpenOptions = {}): DatabaseSync {
  const readOnly = options.readOnly ?? false;
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly, timeout: options.busyTimeoutMs ?? 0 });
  } catch (error) {
    throw new Error(
      `Cannot open the store at ${path}${readOnly ? " read-only" : ""}: ${
        (error as Error).message
      }`,
    );
  }
  if (!readOnly) {
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    migrate(db);
  } else {
    db.exec("PRAGMA query_only = ON;");
  }
  return db;
}

/**
 * Applies the migrations `schema_migrations` does not record yet, in order, each in
 * its own transaction. {@linkcode openStore} calls it when it opens for writing.
 *
 * @param db A connection open for writing.
 * @returns The versions applied now (empty when the store was up to date).
 *
 * @example Usage
 * ```ts
 * import { migrate, openStore } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:"); // already migrated
 * assert.deepEqual(migrate(db), []);
 * db.close();
 * ```
 */
export function migrate(db: DatabaseSync): number[] {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT",
  );
  const done = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((r) => Number(r.version)),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    transaction(db, () => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").run(
        m.version,
        m.name,
      );
    });
    applied.push(m.version);
  }
  return applied;
}

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The prepared statement of `sql` on `db`, compiled once per connection: the daily
 * run issues the same few dozen statements every day. (SQLite recompiles a kept
 * statement by itself when the schema changes.)
 *
 * @param db The connection.
 * @param sql The statement's text; the same text gives the same statement.
 * @returns The prepared statement.
 *
 * @example Usage
 * ```ts
 * import { openStore, statement } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const st = statement(db, "SELECT count(*) AS n FROM sales");
 * assert.equal(statement(db, "SELECT count(*) AS n FROM sales"), st);
 * assert.equal(st.get()?.n, 0);
 * db.close();
 * ```
 */
export function statement(db: DatabaseSync, sql: string): StatementSync {
  let byText = statements.get(db);
  if (!byText) statements.set(db, byText = new Map());
  let st = byText.get(sql);
  if (!st) byText.set(sql, st = db.prepare(sql));
  return st;
}

const rollbackHooks = new WeakMap<DatabaseSync, Set<() => void>>();

/**
 * Registers `fn` to run whenever {@linkcode rollback} rolls back a transaction of
 * `db`: caches of rows read inside the transaction drop what it wrote.
 *
 * @param db The connection.
 * @param fn The hook; registering the same function twice keeps one.
 *
 * @example Usage
 * ```ts
 * import { onRollback, openStore, transaction } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * let dropped = 0;
 * onRollback(db, () => dropped++);
 * assert.throws(() => transaction(db, () => { throw new Error("stop"); }), /stop/);
 * assert.equal(dropped, 1);
 * db.close();
 * ```
 */
export function onRollback(db: DatabaseSync, fn: () => void): void {
  const set = rollbackHooks.get(db) ?? new Set();
  set.add(fn);
  rollbackHooks.set(db, set);
}

/**
 * Rolls back the open transaction of `db`, if any, then runs the hooks registered
 * with {@linkcode onRollback}.
 *
 * @param db The connection.
 *
 * @example Usage
 * ```ts
 * import { openStore, rollback } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * db.exec("BEGIN");
 * db.exec(`INSERT INTO sim_config (scenario, seed, skus, start_date, history_days)
 *   VALUES ('{}', 1, 1, '2025-01-01', 1)`);
 * rollback(db);
 * assert.equal(db.isTransaction, false);
 * assert.equal(db.prepare("SELECT count(*) AS n FROM sim_config").get()?.n, 0);
 * db.close();
 * ```
 */
export function rollback(db: DatabaseSync): void {
  if (db.isTransaction) db.exec("ROLLBACK");
  for (const fn of rollbackHooks.get(db) ?? []) fn();
}

/**
 * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken at the start,
 * and everything `fn` wrote is rolled back (see {@linkcode rollback}) if it throws.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param fn The work to do.
 * @returns What `fn` returns.
 * @throws What `fn` throws (after the rollback), or SQLite's error when the lock is held.
 *
 * @example Usage
 * ```ts
 * import { openStore, transaction } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const count = () => db.prepare("SELECT count(*) AS n FROM overrides").get()?.n;
 * const insert = `INSERT INTO overrides (kind, scope, target, effective_from, expires_at, actor,
 *   reason) VALUES ('PRICE_FREEZE', 'all', NULL, '2025-01-01', '2025-01-02', 'ann', 'test')`;
 * assert.throws(() => transaction(db, () => { db.exec(insert); throw new Error("undo"); }));
 * assert.equal(count(), 0);
 * transaction(db, () => db.exec(insert));
 * assert.equal(count(), 1);
 * db.close();
 * ```
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    rollback(db);
    throw error;
  }
}
