/**
 * A task ends when the process that started it dies. `deno task daily` runs the
 * task as a child process; a `kill -9` of `deno task` (a scheduler giving up on
 * it) would otherwise leave the child pricing on. The watch runs on its own
 * thread, because a run keeps the main thread busy for seconds at a time: every
 * half second it compares the parent's pid with the one the task started under
 * (a dead parent's children are adopted by another process), and when they
 * differ it says so on stderr and ends the process with SIGTERM. SQLite rolls an
 * unfinished transaction back. The thread is unref'd: it never keeps a finished
 * task alive.
 *
 * @module
 */
import { Worker } from "node:worker_threads";

/** How often the parent is checked, in milliseconds. */
export const PARENT_CHECK_MS = 500;

/** Starts watching the parent of this process (nothing when it has none to lose, pid 0 or 1). */
export function watchParent(task: string): void {
  const ppid = Deno.ppid;
  if (ppid <= 1) return;
  const worker = new Worker(new URL("./_parent_watch_worker.ts", import.meta.url), {
    workerData: { ppid, task, everyMs: PARENT_CHECK_MS },
  });
  worker.unref();
}
