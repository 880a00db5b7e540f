/**
 * What every task shares: flag parsing checked by zod, `--help`, `--json`
 * (exactly one JSON object on stdout; logs on stderr) and the exit codes
 * 0 success, 1 failure, 2 bad usage or input, 3 lock held.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeIssues } from "../engine/schema/common.ts";

/** Exit codes shared by every task. */
export const EXIT = { ok: 0, failure: 1, usage: 2, locked: 3 } as const;

/** A bad flag or argument: exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** What a task declares. */
export interface TaskSpec<S extends z.ZodType> {
  name: string;
  usage: string;
  flags: FlagSpec;
  schema: S;
  /** Positional arguments allowed. Default 0. */
  positionals?: number;
}

/** Parses argv by `spec`; prints help and exits 0 on --help; throws UsageError on bad input. */
export function parseTask<S extends z.ZodType>(
  spec: TaskSpec<S>,
  argv: string[],
): { flags: z.infer<S>; positionals: string[]; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.flags, help: { type: "boolean", short: "h" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${spec.usage}`);
  }
  if (parsed.values.help) {
    console.log(spec.usage);
    Deno.exit(EXIT.ok);
  }
  const { help: _h, json, ...values } = parsed.values as Record<string, unknown>;
  if (parsed.positionals.length > (spec.positionals ?? 0)) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(parsed.positionals.at(-1))}\n\n${spec.usage}`,
    );
  }
  const result = spec.schema.safeParse(values);
  if (!result.success) {
    throw new UsageError(
      `${describeIssues(result.error, values).replaceAll(/(^|; )(\w)/g, "$1--$2")}`,
    );
  }
  return { flags: result.data, positionals: parsed.positionals, json: Boolean(json) };
}

/** Runs a task body with the shared error handling and exit codes. */
export async function main(
  name: string,
  json: () => boolean,
  body: () => Promise<number | void> | number | void,
): Promise<never> {
  try {
    const code = await body();
    Deno.exit(code ?? EXIT.ok);
  } catch (error) {
    const e = error as Error;
    const code = e.name === "UsageError" || e instanceof TypeError || e instanceof RangeError
      ? EXIT.usage
      : e.name === "LockHeldError"
      ? EXIT.locked
      : EXIT.failure;
    const message = `${name}: ${e.message}`;
    if (json()) console.log(JSON.stringify({ status: "error", exit_code: code, error: e.message }));
    console.error(message);
    if (code === EXIT.failure && Deno.env.get("DEBUG")) console.error(e.stack);
    Deno.exit(code);
  }
}

/** Logs to stderr (never stdout, which belongs to --json). */
export function log(message: string): void {
  console.error(message);
}

/** A progress line on a terminal, nothing otherwise. */
export function progressBar(label: string): (done: number, total: number) => void {
  if (!Deno.stderr.isTerminal()) return () => {};
  const enc = new TextEncoder();
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / Math.max(total, 1));
    if (pct === last && done !== total) return;
    last = pct;
    const width = 30;
    const fill = Math.round((width * done) / Math.max(total, 1));
    Deno.stderr.writeSync(
      enc.encode(`\r${label} [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${pct}%`),
    );
    if (done >= total) Deno.stderr.writeSync(enc.encode("\n"));
  };
}

/** Flag schemas shared by tasks. */
export const Flags = {
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected YYYY-MM-DD" }).optional(),
  db: z.string().min(1).default("data/pricing.db"),
  positiveInt: (name: string) =>
    z.string().regex(/^\d+$/, { error: `${name} expects a whole number` }).transform(Number)
      .refine((n) => n > 0, { error: `${name} must be at least 1` }),
};
