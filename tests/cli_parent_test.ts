/**
 * `kill -9` of `deno task daily` must not leave its `deno run` child pricing on:
 * the task notices its parent is gone and ends. The run is long (ten years of
 * days) so that, without the watch, the child would still be running long after
 * the deadline.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { simulatedStore } from "./_stores.ts";
import { ROOT } from "./_run_task.ts";

/** Pid, parent pid and state of a live process, or null once it has ended (or is a zombie). */
function proc(pid: number): { ppid: number; state: string } | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  let stat: string;
  try {
    stat = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
  const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return state === "Z" || state === "X" ? null : { ppid: Number(ppid), state };
}

function childrenOf(ppid: number): number[] {
  return [...Deno.readDirSync("/proc")].map((e) => Number(e.name))
    .filter((pid) => Number.isInteger(pid) && proc(pid)?.ppid === ppid);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

async function until<T>(what: string, seconds: number, probe: () => T | null): Promise<T> {
  for (let i = 0; i < seconds * 10; i++) {
    const hit = probe();
    if (hit !== null) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting ${seconds} s for ${what}`);
}

Deno.test("the deno run child of deno task daily ends soon after its parent is killed with SIGKILL", async () => {
  const { db, dir, path } = await simulatedStore({ skus: 20, days: 60 });
  db.close();
  const parent = new Deno.Command(Deno.execPath(), {
    args: ["task", "daily", "--db", path, "--days", "3660"],
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let child = 0;
  try {
    child = await until(
      "the deno run child to start",
      60,
      () => childrenOf(parent.pid).find((pid) => cmdline(pid).includes("tasks/daily.ts")) ?? null,
    );
    // Let it get going: the first run records itself in the store.
    await until("the first run to start", 60, () => existsSync(`${path}-wal`) ? true : null);
    assert.ok(proc(child), "the child is running when its parent is killed");
    parent.kill("SIGKILL");
    await parent.status;
    await until("the child to end after its parent died", 15, () => proc(child) ? null : true);
  } finally {
    if (child && proc(child)) Deno.kill(child, "SIGKILL"); // only if the test failed
    await Deno.remove(dir, { recursive: true });
  }
});
