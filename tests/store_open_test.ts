/**
 * openStore() refuses a store this code cannot use before touching it: one
 * written by newer code, one whose tables differ from what the migrations
 * create, and a file that is not SQLite. Each refusal names the path and what
 * differs; older stores still open read-only and migrate when writable.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { MIGRATIONS } from "../engine/store/migrations.ts";
import { SCHEMA_MIGRATIONS_SQL } from "../engine/store/schema_check.ts";
import { InputError, IntegrityError } from "../engine/util/errors.ts";

const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;
// Versions need not be consecutive (work in parallel reserves numbers): the one before the latest.
const PREVIOUS = MIGRATIONS[MIGRATIONS.length - 2].version;

async function withStore(fn: (path: string, dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "store_open_test_" });
  const path = join(dir, "pricing.db");
  try {
    openStore(path).close();
    await fn(path, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `sql` on the file directly, as another program (or newer code) would. */
function tamper(path: string, sql: string): void {
  const db = new DatabaseSync(path);
  db.exec(sql);
  db.close();
}

function refuses(path: string, pattern: RegExp, options: { readOnly?: boolean } = {}): void {
  assert.throws(() => openStore(path, options), (e: unknown) => {
    assert.ok(e instanceof InputError, `an InputError, got ${e}`);
    assert.ok(e.message.includes(path), `names the path: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("openStore() refuses a store whose schema version is newer than the code, naming both", async () => {
  await withStore((path) => {
    tamper(path, `INSERT INTO schema_migrations (version, name) VALUES (${LATEST + 2}, 'future')`);
    const both = new RegExp(
      `schema version ${LATEST + 2} is newer than this code's latest schema version ${LATEST}`,
    );
    refuses(path, both);
    refuses(path, both, { readOnly: true });
  });
});

Deno.test("openStore() refuses a store with a column the migrations do not create, naming it", async () => {
  await withStore((path) => {
    tamper(path, "ALTER TABLE overrides ADD COLUMN note TEXT");
    refuses(path, /table overrides has an extra column note TEXT/);
    refuses(path, /table overrides has an extra column note TEXT/, { readOnly: true });
  });
});

Deno.test("openStore() refuses a store missing a trigger or holding an extra table", async () => {
  await withStore((path) => {
    tamper(path, "DROP TRIGGER overrides_no_update");
    assert.throws(() => openStore(path), (e: unknown) => {
      assert.ok(e instanceof IntegrityError, String(e));
      assert.match(
        e.message,
        /append-only triggers were changed \(no trigger overrides_no_update\)/,
      );
      assert.match(e.message, /deno task verify/);
      return true;
    });
  });
  await withStore((path) => {
    tamper(path, "CREATE TABLE scratch (x INTEGER)");
    refuses(path, /an extra table scratch/);
  });
});

Deno.test("openStore() refuses a file that is not SQLite, naming the path and leaving it as it was", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_open_test_" });
  try {
    const path = join(dir, "notes.txt");
    const text = "these are my notes, not a database\n".repeat(40);
    writeFileSync(path, text);
    assert.throws(() => openStore(path), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `Cannot open the store at ${path}: ${path} is not a SQLite database`);
      assert.match(String((e.cause as Error)?.message), /file is not a database/);
      return true;
    });
    refuses(path, /is not a SQLite database/, { readOnly: true });
    assert.equal(readFileSync(path, "utf8"), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openStore() names the path when its directory does not exist", () => {
  const path = "/nonexistent-dir-for-this-test/pricing.db";
  assert.throws(() => openStore(path), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.ok(e.message.includes(path));
    assert.ok(e.cause instanceof Error, "the SQLite error is kept as the cause");
    return true;
  });
});

Deno.test("an older store opens read-only as it is and migrates when opened for writing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_open_test_" });
  try {
    const path = join(dir, "old.db");
    const old = new DatabaseSync(path);
    old.exec(SCHEMA_MIGRATIONS_SQL);
    for (const m of MIGRATIONS.slice(0, -1)) {
      old.exec(m.sql);
      old.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").run(
        m.version,
        m.name,
      );
    }
    old.close();
    const ro = openStore(path, { readOnly: true });
    const versions = () => ro.prepare("SELECT max(version) AS v FROM schema_migrations").get()?.v;
    assert.equal(versions(), PREVIOUS);
    ro.close();
    openStore(path).close();
    const now = openStore(path, { readOnly: true });
    assert.equal(now.prepare("SELECT max(version) AS v FROM schema_migrations").get()?.v, LATEST);
    now.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an empty file opens for writing as a new store but not read-only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_open_test_" });
  try {
    const path = join(dir, "empty.db");
    writeFileSync(path, "");
    refuses(path, /it is empty, not a pricing store/, { readOnly: true });
    openStore(path).close();
    openStore(path, { readOnly: true }).close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
