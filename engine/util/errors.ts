/**
 * The errors the engine throws on purpose, told apart with `instanceof`:
 *
 * - {@linkcode InputError} (a `RangeError`) and {@linkcode InputTypeError} (a
 *   `TypeError`): wrong input the user can fix — a date, a version, an id, a
 *   record that fails its schema, a file that is not a store. Tasks exit 2.
 * - {@linkcode LockHeldError}: another process holds the store's write lock.
 *   Tasks exit 3.
 *
 * - {@linkcode IntegrityError}: the audit trail does not verify. Tasks exit 1.
 *
 * Anything else, a plain `TypeError` or `RangeError` included, is a failure
 * (tasks exit 1): the engine's own checks of its invariants stay plain, so a bug
 * is never reported as the user's mistake. Every one of them keeps the error it
 * wraps as its `cause`.
 *
 * @module
 */

/** Wrong input the user can fix: a value out of range, an unknown name, a missing record. */
export class InputError extends RangeError {
  /** `message` names the action and the values, e.g. "Cannot replay run X: no such run". */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InputError";
  }
}

/** Input of the wrong shape the user can fix: a record, a file or a setting that fails its schema. */
export class InputTypeError extends TypeError {
  /** `message` names the action, each failing field and the value found there. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InputTypeError";
  }
}

/**
 * Whether `error` is wrong input the user can fix ({@linkcode InputError} or {@linkcode InputTypeError}).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError, InputTypeError, isInputError } from "./errors.ts";
 *
 * assert.ok(isInputError(new InputError("Cannot replay run X: no such run")));
 * assert.ok(isInputError(new InputTypeError("Cannot read the catalog: unit_cost is -1")));
 * assert.ok(!isInputError(new RangeError("index out of range")));
 * ```
 */
export function isInputError(error: unknown): error is InputError | InputTypeError {
  return error instanceof InputError || error instanceof InputTypeError;
}

/** Another process (a daily run, an override, an approval) holds the store's write lock. */
export class LockHeldError extends Error {
  /**
   * `action` completes "Cannot …", e.g. `run 2025-12-31` or `record the override`.
   * The underlying SQLite error goes in `options.cause`.
   */
  constructor(action: string, options?: ErrorOptions) {
    super(
      `Cannot ${action}: another run holds this store's write lock; wait for it to finish and retry`,
      options,
    );
    this.name = "LockHeldError";
  }
}

/**
 * The audit trail does not verify: a trigger is missing or altered, or a hash of the
 * run chain does not match what is stored. Tasks exit 1; `deno task verify` names the
 * first row that breaks.
 */
export class IntegrityError extends Error {
  /** `message` names what does not hold, the table and key, expected and found. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IntegrityError";
  }
}
