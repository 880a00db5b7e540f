/**
 * The connection to the store: opening it (SQLite through the runtime's
 * `node:sqlite`; for writing in WAL mode with foreign keys on and migrations
 * applied, otherwise query-only), prepared statements kept per connection, and
 * transactions; a rollback drops the state read through the connection. A store
 * this code cannot use (written by newer code, tables that differ from what the
 * migrations create, not a SQLite file) is refused before anything touches it.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { InputError, IntegrityError, LockHeldError } from "../util/errors.ts";
import { MIGRATIONS } from "./migrations.ts";
import { checkSchema, SCHEMA_MIGRATIONS_SQL } from "./schema_check.ts";
import { dropConnectionState } from "./connection_state.ts";

/** How to open the store. */
export interface OpenOptions {
  /** Open read-only (no migrations, no writes). Default false. */
  readOnly?: boolean;
  /** Milliseconds to wait for a lock held by another connection. Default 0: fail fast. */
  busyTimeoutMs?: number;
  /**
   * Check the schema against the migrations before anything else. Default true; only a
   * read-only audit (`verifyStore`), which reports the differences itself, turns it off.
   */
  checkSchema?: boolean;
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
 * @throws {InputError} When the file cannot be opened, is not a SQLite database or holds a
 * schema this code cannot use (the message names the path; the SQLite error is the `cause`).
 * @throws {LockHeldError} When a migration is due while another process holds the write lock.
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
  const open = () => {
    try {
      return new DatabaseSync(path, { readOnly, timeout: options.busyTimeoutMs ?? 0 });
    } catch (error) {
      throw _openError(path, readOnly, error);
    }
  };
  let db = open();
  try {
    if (options.checkSchema ?? true) checkSchema(db, path, { readOnly });
    else if (!readOnly) {
      throw new InputError(`Cannot open the store at ${path} for writing without its schema check`);
    } else db.prepare("SELECT count(*) FROM sqlite_master").get(); // a file that is not SQLite fails here, named
    if (readOnly) {
      db.exec("PRAGMA query_only = ON;");
      return db;
    }
    _configure(db);
    // A connection that rebuilt tables keeps SQLite state that blocks later checkpoints
    // ("database table is locked"): a file store is reopened after migrating.
    if (migrate(db).length > 0 && path !== ":memory:" && path !== "") {
      db.close();
      db = open();
      _configure(db);
    }
  } catch (error) {
    if (db.isOpen) db.close();
    throw error instanceof InputError || error instanceof LockHeldError ||
        error instanceof IntegrityError
      ? error
      : _openError(path, readOnly, error);
  }
  return db;
}

function _configure(db: DatabaseSync): void {
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
}

/**
 * Whether `error` is SQLite's "database is locked" (another connection holds the lock).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBusyError } from "./db.ts";
 *
 * assert.ok(isBusyError(Object.assign(new Error("database is locked"), { errcode: 5 })));
 * // SQLITE_BUSY_SNAPSHOT: an extended code of SQLITE_BUSY
 * assert.ok(isBusyError(Object.assign(new Error("busy"), { errcode: 517 })));
 * assert.ok(isBusyError(new Error("database table is locked")));
 * assert.ok(!isBusyError(Object.assign(new Error("no such table: x"), { errcode: 1 })));
 * assert.ok(!isBusyError("database is locked")); // not an Error
 * ```
 */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errcode?: unknown }).errcode;
  if (typeof code === "number") return (code & 0xff) === 5 || (code & 0xff) === 6;
  return /database (table |schema )?is locked|database is busy/i.test(error.message);
}

function _openError(path: string, readOnly: boolean, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const action = `open the store at ${path}${readOnly ? " read-only" : ""}`;
  if (isBusyError(error)) return new LockHeldError(action, { cause: error });
  const code = (error as { errcode?: unknown }).errcode;
  if (code === 26 || /file is not a database/i.test(message)) {
    return new InputError(`Cannot ${action}: ${path} is not a SQLite database`, { cause: error });
  }
  if (code === 14 || /unable to open database file/i.test(message)) {
    return new InputError(
      `Cannot ${action}: ${message.includes(path) ? message : `${message} (${path})`}${
        readOnly ? "" : "; does its directory exist and can it be written?"
      }`,
      { cause: error },
    );
  }
  return new Error(`Cannot ${action}: ${message}`, { cause: error });
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
  db.exec(SCHEMA_MIGRATIONS_SQL);
  const done = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((r) => Number(r.version)),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    if (m.foreignKeysOff) db.exec("PRAGMA foreign_keys = OFF");
    try {
      transaction(db, () => {
        db.exec(m.sql);
        m.run?.(db);
        if (m.foreignKeysOff) {
          const broken = db.prepare("PRAGMA foreign_key_check").all();
          if (broken.length) {
            throw new Error(
              `Migration ${m.version} left ${broken.length} broken foreign keys (first: ${
                JSON.stringify({ ...broken[0] })
              })`,
            );
          }
        }
        db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").run(
          m.version,
          m.name,
        );
      });
    } finally {
      if (m.foreignKeysOff) db.exec("PRAGMA foreign_keys = ON");
    }
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

/**
 * Rolls back the open transaction of `db`, if any, and drops the state read through
 * the connection (see `connectionState`).
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
  dropConnectionState(db);
}

/**
 * Runs `fn` inside BEGIN IMMEDIATE … COMMIT, rolling back if it throws. Throws a
 * `LockHeldError` when another connection holds the write lock.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param fn The work to do.
 * @returns What `fn` returns.
 * @throws What `fn` throws (after the rollback), or `LockHeldError` when the lock is held.
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
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if (isBusyError(error)) throw new LockHeldError("write to the store", { cause: error });
    throw error;
  }
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    rollback(db);
    throw error;
  }
}

/**
 * Runs `fn` with the connection waiting up to `ms` for a lock another connection holds
 * (SQLite's busy timeout), then restores the previous wait.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, withBusyTimeout } from "./db.ts";
 *
 * const db = openStore(":memory:");
 * const before = db.prepare("PRAGMA busy_timeout").get()?.timeout;
 * const waited = withBusyTimeout(db, 60_000, () => db.prepare("PRAGMA busy_timeout").get()?.timeout);
 * assert.equal(waited, 60000);
 * assert.equal(db.prepare("PRAGMA busy_timeout").get()?.timeout, before);
 * ```
 */
export function withBusyTimeout<T>(db: DatabaseSync, ms: number, fn: () => T): T {
  const before = Number(db.prepare("PRAGMA busy_timeout").get()?.timeout ?? 0);
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
  try {
    return fn();
  } finally {
    db.exec(`PRAGMA busy_timeout = ${before}`);
  }
}
