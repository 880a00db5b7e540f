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
import { InputError, LockHeldError } from "../util/errors.ts";
import { MIGRATIONS } from "./migrations.ts";
import { checkSchema, SCHEMA_MIGRATIONS_SQL } from "./schema_check.ts";
import { dropConnectionState } from "./connection_state.ts";

/** How to open the store. */
export interface OpenOptions {
  /** Open read-only (no migrations, no writes). Default false. */
  readOnly?: boolean;
  /** Milliseconds to wait for a lock held by another connection. Default 0: fail fast. */
  busyTimeoutMs?: number;
}

/**
 * Opens (and, when writable, creates and migrates) the store at `path`.
 *
 * Throws an `InputError` naming `path` when the file cannot be opened, is not a
 * SQLite database or holds a schema this code cannot use, and a `LockHeldError`
 * when a migration is due while another process holds the write lock. The
 * underlying error is kept as the `cause`.
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
    checkSchema(db, path, { readOnly });
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
    throw error instanceof InputError || error instanceof LockHeldError
      ? error
      : _openError(path, readOnly, error);
  }
  return db;
}

function _configure(db: DatabaseSync): void {
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
}

/** Whether `error` is SQLite's "database is locked" (another connection holds the lock). */
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

/** Applies the migrations not yet recorded; returns the versions applied. */
export function migrate(db: DatabaseSync): number[] {
  db.exec(SCHEMA_MIGRATIONS_SQL);
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
 */
export function statement(db: DatabaseSync, sql: string): StatementSync {
  let byText = statements.get(db);
  if (!byText) statements.set(db, byText = new Map());
  let st = byText.get(sql);
  if (!st) byText.set(sql, st = db.prepare(sql));
  return st;
}

/** Rolls back the open transaction of `db`, if any, and drops the state read through it. */
export function rollback(db: DatabaseSync): void {
  if (db.isTransaction) db.exec("ROLLBACK");
  dropConnectionState(db);
}

/**
 * Runs `fn` inside BEGIN IMMEDIATE … COMMIT, rolling back if it throws. Throws a
 * `LockHeldError` when another connection holds the write lock.
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
