/**
 * Creating a store all at once: it is built in a temporary file beside its
 * path and moved into place only when complete, so a refused or failed `sim`
 * (or first `daily`) leaves no file behind and the retry does not find a
 * half-made store "already existing".
 *
 * @module
 */
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { InputError } from "../engine/util/errors.ts";

/**
 * Builds a new store at `path` with `build` (creating its directory); throws an
 * `InputError` when `path` exists. Whatever `build` throws, nothing is left at `path` or beside it.
 */
export async function createStore<T>(
  path: string,
  build: (db: DatabaseSync) => T | Promise<T>,
): Promise<T> {
  const exists = () =>
    new InputError(`Cannot create a store at ${path}: it already exists (nothing was written)`);
  if (existsSync(path)) throw exists();
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new InputError(`Cannot create a store at ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const temp = join(dirname(path), `.${basename(path)}.${Deno.pid}.partial`);
  _remove(temp);
  try {
    const db = openStore(temp);
    let result: T;
    try {
      result = await build(db);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
    try {
      linkSync(temp, path); // fails when path appeared meanwhile: never replaces a store
    } catch (error) {
      if ((error as { code?: string }).code === "EEXIST") throw exists();
      if (existsSync(path)) throw exists();
      renameSync(temp, path); // a file system without hard links
    }
    return result;
  } finally {
    _remove(temp);
  }
}

function _remove(temp: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(temp + suffix, { force: true });
}
