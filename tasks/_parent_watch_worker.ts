/**
 * The thread of `watchParent` (see `_parent_watch.ts`): ends the
 * process once its parent is gone.
 *
 * @module
 */
import { workerData } from "node:worker_threads";

const { ppid, task, everyMs } = workerData as { ppid: number; task: string; everyMs: number };

setInterval(() => {
  if (Deno.ppid === ppid) return;
  try {
    console.error(
      `${task}: the parent process ${ppid} is gone; stopping (SQLite rolls back an unfinished run)`,
    );
  } catch {
    // stderr may have closed with the parent: end all the same
  }
  Deno.kill(Deno.pid, "SIGTERM");
}, everyMs);
