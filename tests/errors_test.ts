/**
 * The engine's errors as the tasks tell them apart: wrong input the user can fix
 * is an InputError (a RangeError) or InputTypeError (a TypeError), a held write
 * lock a LockHeldError, and the engine's checks of its own invariants stay plain
 * RangeErrors and TypeErrors, so a bug is never reported as the user's mistake.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { z } from "zod";
import { InputError, InputTypeError, isInputError, LockHeldError } from "../engine/util/errors.ts";
import { toDayNumber } from "../engine/util/date.ts";
import { parseInput, parseOrThrow } from "../engine/schema/common.ts";
import { accuracy } from "../engine/registry/accuracy.ts";
import { approveModel } from "../engine/registry/approval.ts";
import { isBusyError, openStore, transaction } from "../engine/store/db.ts";
import { withRunLock } from "../engine/pipeline/lock.ts";
import { loadScenario, MAX_SKUS } from "../sim/scenario.ts";
import { createMarket } from "../sim/market.ts";

Deno.test("InputError is a RangeError and InputTypeError a TypeError, both keeping their cause", () => {
  const cause = new Error("underlying");
  const a = new InputError("Cannot do X: bad", { cause });
  const b = new InputTypeError("Cannot read Y: bad", { cause });
  assert.ok(a instanceof RangeError && isInputError(a));
  assert.ok(b instanceof TypeError && isInputError(b));
  assert.equal(a.name, "InputError");
  assert.equal(b.name, "InputTypeError");
  assert.equal(a.cause, cause);
  assert.equal(b.cause, cause);
  assert.equal(isInputError(new RangeError("a bug")), false);
  assert.equal(isInputError(new TypeError("a bug")), false);
});

Deno.test("wrong input throws the input classes with the messages it always had", async () => {
  assert.throws(
    () => toDayNumber("2025-02-30"),
    (e: unknown) =>
      e instanceof InputError &&
      e.message === 'Cannot read date "2025-02-30": expected a calendar date as YYYY-MM-DD',
  );
  const Row = z.object({ n: z.number() });
  assert.throws(
    () => parseInput(Row, { n: "x" }, "append a row"),
    (e: unknown) => e instanceof InputTypeError && /^Cannot append a row: n:/.test(e.message),
  );
  await assert.rejects(loadScenario("no-such-scenario"), InputTypeError);
  const scenario = await loadScenario("default");
  assert.throws(
    () => createMarket({ scenario, seed: 1, skus: MAX_SKUS + 1 }),
    (e: unknown) => e instanceof InputError && e.message.includes(`expected 1 to ${MAX_SKUS}`),
  );
  const db = openStore(":memory:");
  try {
    assert.throws(
      () => approveModel(db, "gbdt-nope", { actor: "alice", reason: "r", recordedAt: null }),
      (e: unknown) =>
        e instanceof InputError &&
        e.message === "Cannot approve model gbdt-nope: not in the registry",
    );
  } finally {
    db.close();
  }
});

Deno.test("the engine's own invariants stay plain errors: a bug is not wrong input", () => {
  assert.throws(
    () => accuracy([1], [1, 2]),
    (e: unknown) => e instanceof RangeError && !isInputError(e),
  );
  assert.throws(
    () => parseOrThrow(z.object({ n: z.number() }), {}, "read a stored row"),
    (e: unknown) => e instanceof TypeError && !isInputError(e),
  );
});

Deno.test("a held write lock is a LockHeldError whose cause is SQLite's busy error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "errors_test_" });
  const path = join(dir, "store.db");
  const db = openStore(path);
  const other = new DatabaseSync(path, { timeout: 0 });
  try {
    other.exec("BEGIN IMMEDIATE");
    for (
      const attempt of [
        () => transaction(db, () => 1),
        () => withRunLock(db, "2025-01-02", () => 1),
      ]
    ) {
      assert.throws(attempt, (e: unknown) => {
        assert.ok(e instanceof LockHeldError);
        assert.match(e.message, /another run holds this store's write lock; wait for it to finish/);
        assert.ok(isBusyError(e.cause), "the SQLite error is kept as the cause");
        return true;
      });
    }
    assert.throws(() => withRunLock(db, "2025-01-02", () => 1), {
      message:
        "Cannot run 2025-01-02: another run holds this store's write lock; wait for it to finish and retry",
    });
    other.exec("ROLLBACK");
    assert.equal(transaction(db, () => 7), 7, "free again once the other connection lets go");
  } finally {
    other.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
