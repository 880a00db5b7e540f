/**
 * Kills at several points (issue 12, §4): `deno task daily` (its `deno run`
 * process, which does the work) is killed with SIGKILL while it creates the demo
 * store — as soon as it says so, once the simulated history is written (training
 * the model), once the model is approved (before the store is moved into place) —
 * and while it prices a multi-day run — once the store is in place, once the first
 * day is priced. Each kill leaves either no store or a complete one, and the next
 * run succeeds with the output digests of an uninterrupted run. Kill points are
 * found by watching the task's stderr line by line, not by sleeping. A small
 * scenario file keeps the demo store quick to make.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { readRuns } from "../engine/store/queries.ts";
import { verifyStore } from "../engine/pipeline/verify.ts";
import { ROOT } from "./_run_task.ts";

const FIRST = "2025-01-15";
const DAYS = "2";

/** The default scenario, made small: 20 SKUs and 380 days of history (sales to 2025-01-14). */
function smallScenario(dir: string): string {
  const scenario = JSON.parse(readFileSync(join(ROOT, "sim/scenarios/default.json"), "utf8"));
  const path = join(dir, "small.json");
  writeFileSync(path, JSON.stringify({ ...scenario, name: "small", skus: 20, historyDays: 380 }));
  return path;
}

function args(db: string, scenario: string): string[] {
  return [
    "run",
    "-A",
    join(ROOT, "tasks/daily.ts"),
    "--db",
    db,
    "--demo",
    "--scenario",
    scenario,
    "--date",
    FIRST,
    "--days",
    DAYS,
  ];
}

/** What a process of the daily task has printed on stderr so far, line by line. */
interface Watch {
  lines: string[];
}

/**
 * Runs the task until `when` says so, then kills it with SIGKILL; returns whether it was
 * killed (false: it finished first) and what it had printed.
 */
async function killWhen(
  db: string,
  scenario: string,
  when: (w: Watch) => boolean,
): Promise<{ killed: boolean; lines: string[] }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: args(db, scenario),
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const watch: Watch = { lines: [] };
  let done = false;
  let killed = false;
  const status = child.status.then((s) => {
    done = true;
    return s;
  });
  const reading = (async () => {
    let buffer = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      watch.lines.push(...parts);
    }
  })();
  while (!done) {
    if (when(watch)) {
      try {
        child.kill("SIGKILL");
        killed = true;
      } catch {
        // it ended meanwhile
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const s = await status;
  await reading;
  return { killed: killed && s.signal === "SIGKILL", lines: watch.lines };
}

/** Runs the task to the end; returns its exit code and stderr. */
async function runToEnd(db: string, scenario: string): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: args(db, scenario),
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** Per run date, the output digest of its succeeded run; and whether the store verifies. */
function digests(db: string): { digests: Record<string, string>; verified: boolean } {
  const store = openStore(db, { readOnly: true });
  try {
    const out: Record<string, string> = {};
    for (const r of readRuns(store).filter((r) => r.status === "succeeded").reverse()) {
      out[r.run_date] = String(r.details.output_digest);
    }
    return { digests: out, verified: verifyStore(store).ok };
  } finally {
    store.close();
  }
}

/** Whether the store holds an approved model and verifies (what a finished demo store does). */
function complete(db: string): boolean {
  const store = openStore(db, { readOnly: true });
  try {
    const approved = store.prepare(
      "SELECT count(*) AS n FROM model_events WHERE event = 'approved'",
    ).get()!;
    return Number(approved.n) === 1 && verifyStore(store).ok;
  } finally {
    store.close();
  }
}

const has = (w: Watch, text: string) => w.lines.some((l) => l.includes(text));

/** The kill points, in the order a run passes them. */
const POINTS: {
  name: string;
  when: (w: Watch) => boolean;
  /** What a kill there may leave at the store's path: nothing, or a complete store. */
  storeAfter: "none" | "complete" | "either";
}[] = [
  {
    name: "as the demo store's creation starts",
    when: (w) => has(w, "creating the demo store"),
    storeAfter: "none",
  },
  {
    name: "once the simulated history is written, training the first model",
    when: (w) => has(w, "training the first demand model"),
    storeAfter: "none",
  },
  {
    name: "once the first model is approved, as the store is moved into place",
    when: (w) => has(w, "Approved the first model"),
    // A few milliseconds separate the line from the move: either side of it is fine.
    storeAfter: "either",
  },
  {
    name: "once the store is in place, pricing the first day",
    when: (w) => has(w, "Demo store ready"),
    storeAfter: "complete",
  },
  {
    name: "once the first day is priced, pricing the second",
    when: (w) => has(w, `${FIRST}: priced`),
    storeAfter: "complete",
  },
];

Deno.test("kills during demo creation and a multi-day run leave no store or a complete one, and the next run gives the uninterrupted digests", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "integrity-kill-" });
  try {
    const scenario = smallScenario(dir);
    const reference = join(dir, "reference", "pricing.db");
    const ran = await runToEnd(reference, scenario);
    assert.equal(ran.code, 0, ran.stderr);
    const expected = digests(reference);
    assert.equal(Object.keys(expected.digests).length, Number(DAYS));
    assert.ok(expected.verified);
    let kills = 0;
    for (const [i, point] of POINTS.entries()) {
      await t.step(point.name, async () => {
        const db = join(dir, `kill-${i}`, "pricing.db");
        const { killed, lines } = await killWhen(db, scenario, point.when);
        if (killed) {
          kills++;
          const left = existsSync(db);
          if (point.storeAfter === "none") {
            assert.equal(left, false, `no store after a kill during creation: ${lines}`);
          }
          if (point.storeAfter === "complete") assert.ok(left, "the store is in place");
          if (left) assert.ok(complete(db), "the store left behind is complete and verifies");
        }
        const again = await runToEnd(db, scenario);
        assert.equal(again.code, 0, again.stderr);
        assert.deepEqual(digests(db), expected);
      });
    }
    // Each point is watched for, not timed: a kill only misses when the task got past the
    // point between two looks (5 ms apart), so most of them must land.
    console.log(`${kills} of ${POINTS.length} kills landed before the task finished`);
    assert.ok(kills >= POINTS.length - 1, `${kills} of ${POINTS.length} kills landed`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
