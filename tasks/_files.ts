/**
 * Files the tasks write: whole or not at all (a temporary file beside the
 * target, renamed into place), so a reader never sees half a price file.
 *
 * @module
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Writes `text` to `path` through a temporary file renamed into place. */
export function writeFileAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${Deno.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Today's date in this machine's time zone (the store's calendar day), as YYYY-MM-DD. */
export function localToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
