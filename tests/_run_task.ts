/** Test helpers: a task run as a scheduler runs it (a real subprocess), and its one JSON object. @module */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** What a finished task left behind. */
export interface TaskResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tasks/NAME.ts` (or, when `name` ends in `.ts`, that file from the root)
 * with `args`; `env` adds to the environment.
 */
export async function runTask(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<TaskResult> {
  const file = name.endsWith(".ts") ? join(ROOT, name) : join(ROOT, "tasks", `${name}.ts`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** The one JSON object a task printed with --json (and nothing else on stdout). */
export function onlyJson(r: TaskResult): Record<string, unknown> {
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 1, `exactly one line on stdout, got: ${r.stdout}`);
  const value = JSON.parse(lines[0]);
  assert.equal(typeof value, "object");
  assert.ok(value !== null && !Array.isArray(value));
  return value;
}
