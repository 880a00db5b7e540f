/**
 * What every task shares. A task is declared once with {@linkcode defineTask}:
 * its flags are a zod object, from which the `parseArgs` options, the checks and
 * the usage text are all derived; {@linkcode runMain} runs it with `--help`,
 * `--json` (exactly one JSON object on stdout; logs on stderr), the parent watch
 * and the exit codes:
 *
 * - 0 success (also "already done");
 * - 1 failure: anything unexpected, a bug included (`DEBUG=1` prints the stack);
 * - 2 bad usage or input: a {@linkcode UsageError} or the engine's `InputError` /
 *   `InputTypeError`;
 * - 3 another process holds the store's write lock: `LockHeldError`, or SQLite's
 *   "database is locked" from any statement.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { z } from "zod";
import { isInputError, LockHeldError } from "../engine/util/errors.ts";
import { isBusyError } from "../engine/store/db.ts";
import { hasControl, printable } from "./_text.ts";
import { flagList, flagsOf, type PositionalSpec, synopsis, wrapText } from "./_usage.ts";
import { watchParent } from "./_parent_watch.ts";

export { DEFAULT_DB, FIRST_DATE, Flags, LAST_DATE, MAX_DAYS } from "./_flags.ts";
export type { PositionalSpec } from "./_usage.ts";
export { printable } from "./_text.ts";

/** Exit codes shared by every task. */
export const EXIT = { ok: 0, failure: 1, usage: 2, locked: 3 } as const;

/** The standard exit-code line of a usage text. */
export const EXIT_CODES =
  "Exit codes: 0 success (also already done), 1 failure, 2 bad usage or input, 3 another run holds the store.";

/** A bad flag or argument: exit 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** What a task body receives. */
export interface TaskArgs<F> {
  flags: F;
  positionals: string[];
  json: boolean;
}

/** What a task declares. */
export interface TaskSpec<S extends z.ZodObject> {
  /** The command as typed after `deno task`, e.g. `daily` or `override freeze`. */
  name: string;
  /** What it does, printed after the synopsis. */
  about: string;
  /** Its flags; every field carries `.meta({ help, arg?, short? })`. `--json` and `--help` are added. */
  flags: S;
  /** Positional arguments, in order. Default none. */
  positionals?: readonly PositionalSpec[];
  /** Printed after the flag list. */
  notes?: string;
  /** The exit-code line. Default {@linkcode EXIT_CODES}. */
  exitCodes?: string;
  /** The body: returns the exit code (default 0) or throws. */
  run(args: TaskArgs<z.output<S>>): Promise<number | void> | number | void;
}

/** A task ready to run. */
export interface Task {
  name: string;
  /** The synopsis line(s) after `prefix`: `deno task NAME ...`, wrapped. */
  synopsis(prefix: string): string;
  /** The first sentence of `about`, for a command list. */
  summary: string;
  usage: string;
  /** Parses `argv` and runs the body; returns the exit code, throws what the body throws. */
  run(argv: readonly string[]): Promise<number>;
}

/** Declares a task: flags, usage and body in one place. */
export function defineTask<S extends z.ZodObject>(spec: TaskSpec<S>): Task {
  const flags = flagsOf(spec.name, spec.flags);
  const positionals = spec.positionals ?? [];
  const shorts = flags.map((f) => f.short).filter((s): s is string => s !== null);
  for (const name of ["help", "json"]) {
    if (flags.some((f) => f.name === name)) throw new Error(`${spec.name}: --${name} is built in`);
  }
  if (new Set([...shorts, "h"]).size !== shorts.length + 1) {
    throw new Error(`${spec.name}: two flags share a short alias`);
  }
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = { help: { type: "boolean", short: "h" }, json: { type: "boolean" } };
  for (const f of flags) {
    options[f.name] = {
      type: f.type,
      ...(f.short ? { short: f.short } : {}),
      ...(f.multiple ? { multiple: true } : {}),
    };
  }
  const usage = [
    synopsis(spec.name, flags, positionals),
    wrapText(spec.about, 100).join("\n"),
    flagList(flags, positionals),
    ...(spec.notes ? [wrapText(spec.notes, 100).join("\n")] : []),
    wrapText(spec.exitCodes ?? EXIT_CODES, 100).join("\n"),
  ].join("\n\n");
  const hint = `see deno task ${spec.name} --help`;

  return {
    name: spec.name,
    synopsis: (prefix) => synopsis(spec.name, flags, positionals, prefix),
    summary: spec.about.split(/(?<=\.)\s/)[0],
    usage,
    async run(argv) {
      let parsed;
      try {
        parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
      } catch (error) {
        throw new UsageError(`${(error as Error).message} (${hint})`, { cause: error });
      }
      const { help, json, ...values } = parsed.values as Record<string, unknown>;
      if (help) {
        console.log(usage);
        return EXIT.ok;
      }
      for (const [name, value] of Object.entries(values)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (typeof v === "string" && hasControl(v)) {
            throw new UsageError(
              `--${name}: must not contain control characters such as a newline, a tab or ESC (got ${
                JSON.stringify(v)
              })`,
            );
          }
        }
      }
      const args = parsed.positionals;
      for (const [i, v] of args.entries()) {
        if (hasControl(v)) {
          throw new UsageError(
            `${
              positionals[i]?.name ?? "argument"
            }: must not contain control characters such as a newline, a tab or ESC (got ${
              JSON.stringify(v)
            })`,
          );
        }
      }
      if (args.length > positionals.length && !positionals.at(-1)?.variadic) {
        throw new UsageError(
          `unexpected argument ${JSON.stringify(args[positionals.length])} (${hint})`,
        );
      }
      const missing = positionals.slice(args.length).find((p) => p.required ?? true);
      if (missing) throw new UsageError(`${missing.name} is required: ${missing.help} (${hint})`);
      const result = spec.flags.safeParse(values);
      if (!result.success) {
        throw new UsageError(
          result.error.issues.map((issue) => {
            const name = issue.path[0];
            if (typeof name !== "string") return issue.message;
            const flag = flags.find((f) => f.name === name);
            const value = values[name];
            return value === undefined
              ? `--${name}${flag?.arg ? ` ${flag.arg}` : ""} is required`
              : `--${name}: ${issue.message} (got ${JSON.stringify(value)})`;
          }).join("; "),
        );
      }
      const code = await spec.run({
        flags: result.data as z.output<S>,
        positionals: args,
        json: Boolean(json),
      });
      return code ?? EXIT.ok;
    },
  };
}

/** A task of several commands (`override freeze|force-rule|revoke|list`), each its own task. */
export function defineCommands(
  spec: { name: string; about: string; commands: Record<string, Task>; exitCodes?: string },
): Task {
  const names = Object.keys(spec.commands);
  const usage = [
    `Usage:\n${Object.values(spec.commands).map((c) => c.synopsis("  ")).join("\n")}`,
    wrapText(spec.about, 100).join("\n"),
    `Commands:\n${
      Object.entries(spec.commands).map(([n, c]) =>
        `  ${n.padEnd(12)}${wrapText(c.summary, 86).join(`\n${" ".repeat(14)}`)}`
      ).join("\n")
    }\n\nRun deno task ${spec.name} COMMAND --help for a command's flags.`,
    wrapText(spec.exitCodes ?? EXIT_CODES, 100).join("\n"),
  ].join("\n\n");
  return {
    name: spec.name,
    synopsis: (prefix) => `${prefix}deno task ${spec.name} ${names.join("|")} ...`,
    summary: spec.about.split(/(?<=\.)\s/)[0],
    usage,
    run(argv) {
      const [command, ...rest] = argv;
      if (command === "-h" || command === "--help") {
        console.log(usage);
        return Promise.resolve(EXIT.ok);
      }
      const task = command === undefined ? undefined : spec.commands[command];
      if (!task) {
        throw new UsageError(
          `${
            command === undefined
              ? "a command is required"
              : `unknown command ${JSON.stringify(command)}`
          }: expected ${names.join(", ")} first (see deno task ${spec.name} --help)`,
        );
      }
      return task.run(rest);
    },
  };
}

/** The exit code of an error: 2 wrong input, 3 lock held, 1 anything else (a bug included). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || isInputError(error)) return EXIT.usage;
  if (error instanceof LockHeldError || isBusyError(error)) return EXIT.locked;
  return EXIT.failure;
}

/**
 * Runs `task` on `argv` as the process's task and exits with its code. Prints an
 * error as `NAME: message` on stderr (and `{"status": "error", ...}` on stdout
 * with --json); a failure adds the messages of its causes, and `DEBUG` set adds
 * the stack.
 */
export async function runMain(task: Task, argv: readonly string[] = Deno.args): Promise<never> {
  watchParent(task.name);
  const json = wantsJson(argv);
  let code: number;
  try {
    code = await task.run(argv);
  } catch (thrown) {
    const error = isBusyError(thrown) && !(thrown instanceof LockHeldError)
      ? new LockHeldError(`finish deno task ${task.name}`, { cause: thrown })
      : thrown;
    code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (json) console.log(JSON.stringify({ status: "error", exit_code: code, error: message }));
    // One line per message: a value quoted in it cannot forge further lines or drive the terminal.
    const lines = [printable(`${task.name}: ${message}`)];
    if (code === EXIT.failure) {
      for (let c = (error as Error)?.cause; c !== undefined; c = (c as Error)?.cause) {
        lines.push(printable(`  caused by: ${c instanceof Error ? c.message : String(c)}`));
      }
    }
    if (Deno.env.get("DEBUG")) lines.push(printable(stackOf(error), { keepNewlines: true }));
    console.error(lines.join("\n"));
  }
  Deno.exit(code);
}

/** Whether `argv` asks for --json (before a `--` that ends the flags). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

function stackOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e !== undefined && parts.length < 10; e = (e as Error)?.cause) {
    parts.push(e instanceof Error ? e.stack ?? e.message : String(e));
  }
  return parts.join("\nCaused by: ");
}

/** Logs to stderr (never stdout, which belongs to --json); control characters are escaped. */
export function log(message: string): void {
  console.error(printable(message, { keepNewlines: true }));
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
