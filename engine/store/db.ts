/**
 * The connection to the store: opening it (SQLite through the runtime's
 * `node:sqlite`; for writing in WAL mode with foreign keys on and migrations
 * applied, otherwise query-only), prepared statements kept per connection, and
 * transactions; a rollback drops the state read through the connection.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { MIGRATIONS } from "./migrations.ts";
import { dropConnectionState } from "./connection_state.ts";

/** How to open the store. */
export interface OpenOptions {
  /** Open read-only (no migrations, no writes). Default false. */
  readOnly?: boolean;
  /** Milliseconds to wait for a lock held by another connection. Default 0: fail fast. */
  busyTimeoutMs?: number;
}

/** Opens (and, when writable, creates and migrates) the store at `path`. */
export function openStore(path: string, options: OpenOptions = {}): DatabaseSync {
  const readOnly = options.readOnly ?? false;
  const open = () => {
    try {
      return new DatabaseSync(path, { readOnly, timeout: options.busyTimeoutMs ?? 0 });
    } catch (error) {
      throw new Error(
        `Cannot open the store at ${path}${readOnly ? " read-only" : ""}: ${
          (error as Error).message
        }`,
        { cause: error },
      );
    }
  };
  const configure = (db: DatabaseSync) =>
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  let db = open();
  if (readOnly) {
    db.exec("PRAGMA query_only = ON;");
    return db;
  }
  configure(db);
  // A connection that rebuilt tables keeps SQLite state that blocks later checkpoints:
  // a file store is reopened after migrating.
  if (migrate(db).length > 0 && path !== ":memory:" && path !== "") {
    db.close();
    db = open();
    configure(db);
  }
  return db;
}

/** Applies the migrations not yet recorded; returns the versions applied. */
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

/** Runs `fn` inside BEGIN IMMEDIATE … COMMIT, rolling back if it throws. */
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
