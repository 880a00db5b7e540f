/**
 * The README's scheduler manifests for sharded runs (a Kubernetes Indexed Job
 * and an Airflow dynamic task map) run as written: their shell commands, with
 * the store's path and the date filled in as the scheduler would, price a
 * date in parallel processes and give the unsharded run's digest.
 *
 * @module
 */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { runDaily } from "../engine/pipeline/daily.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { ROOT } from "./_run_task.ts";
import { simulatedStore } from "./_stores.ts";

const README = Deno.readTextFileSync(join(ROOT, "README.md"));
const STORE = "/srv/data/pricing.db";

/** The fenced code block of `lang` that contains `marker`. */
function block(lang: string, marker: string): string {
  const found = [...README.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))]
    .map((m) => m[1]).filter((b) => b.includes(marker));
  assert.equal(found.length, 1, `one ${lang} block with ${marker} in the README`);
  return found[0];
}

/** The Indexed Job's shell command (its folded `args` scalar) and its completion count. */
function kubernetes(): { command: string; shards: number } {
  const yaml = block("yaml", "completionMode: Indexed");
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => l.trim() === "- >-");
  assert.ok(at > 0, "the container's args are a folded scalar");
  const indent = (l: string) => l.length - l.trimStart().length;
  const body: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l.trim() === "" || indent(l) <= indent(lines[at])) break;
    body.push(l.trim());
  }
  const completions = Number(yaml.match(/^\s*completions: (\d+)$/m)?.[1]);
  assert.equal(Number(yaml.match(/^\s*parallelism: (\d+)$/m)?.[1]), completions);
  return { command: body.join(" "), shards: completions };
}

/** The mapped BashOperator's command and the number of shards the DAG maps. */
function airflow(): { command: string; shards: number } {
  const py = block("python", "BashOperator");
  const call = py.match(/bash_command=\(([\s\S]*?)\),/)?.[1];
  assert.ok(call, "bash_command in the DAG");
  const command = [...call.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join("");
  return { command, shards: Number(py.match(/^SHARDS = (\d+)$/m)?.[1]) };
}

async function sh(command: string, env: Record<string, string>) {
  const out = await new Deno.Command("sh", {
    args: ["-c", command],
    cwd: ROOT,
    env: {
      NO_COLOR: "1",
      PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}`,
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

async function runAll(
  command: string,
  envs: Record<string, string>[],
): Promise<Record<string, unknown>[]> {
  const results = await Promise.all(envs.map((env) => sh(command, env)));
  for (const r of results) assert.equal(r.code, 0, `${command}\n${r.stderr}`);
  return results.map((r) => JSON.parse(r.stdout.trim()));
}

Deno.test("the README's Kubernetes Indexed Job and Airflow task map price a date in shards, each giving the unsharded run's digest", async () => {
  const { db, path, dir } = await simulatedStore({ skus: 60, days: 120, seed: 11 });
  const runDate = defaultRunDate(db);
  db.close();
  const copy = (name: string) => {
    const to = join(dir, name);
    copyFileSync(path, to);
    return to;
  };
  const whole = openStore(copy("whole.db"));
  const expected = runDaily(whole, { runDate, model: null }).output_digest;
  whole.close();

  const k8s = kubernetes();
  assert.ok(k8s.command.startsWith("deno task daily "), k8s.command);
  assert.ok(k8s.command.includes(STORE) && k8s.command.includes('"$(date -u +%F)"'));
  const k8sStore = copy("k8s.db");
  const k8sOut = await runAll(
    k8s.command.replace(STORE, k8sStore).replace('"$(date -u +%F)"', runDate),
    Array.from({ length: k8s.shards }, (_, i) => ({ JOB_COMPLETION_INDEX: String(i) })),
  );
  const flow = airflow();
  assert.equal(flow.shards, k8s.shards);
  assert.ok(flow.command.includes("{{ data_interval_end | ds }}"), flow.command);
  const flowStore = copy("airflow.db");
  const flowOut = await runAll(
    flow.command.replace(STORE, flowStore).replace("{{ data_interval_end | ds }}", runDate),
    Array.from({ length: flow.shards }, (_, i) => ({ SHARD: `${i + 1}/${flow.shards}` })),
  );
  for (const outs of [k8sOut, flowOut]) {
    const sealed = outs.filter((o) => o.status === "succeeded");
    assert.equal(sealed.length, 1, JSON.stringify(outs.map((o) => o.status)));
    assert.equal(sealed[0].run_date, runDate);
    assert.equal(sealed[0].output_digest, expected);
    assert.deepEqual(
      outs.map((o) => o.status === "succeeded" ? k8s.shards : o.shards),
      outs.map(() => k8s.shards),
    );
  }
});
