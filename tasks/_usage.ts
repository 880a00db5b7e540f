/**
 * A task's flags as `parseArgs` and the usage text see them, derived from its
 * zod schema: a string, enum or literal field is a string flag, a boolean field
 * a switch, an array field a flag that may repeat; a field without `.optional()`
 * or `.default()` is required; `.meta({ help, arg, short })` gives the usage line.
 *
 * @module
 */
import type { z } from "zod";
import type { FlagMeta } from "./_flags.ts";

/** One flag as derived from its schema. */
export interface FlagInfo {
  name: string;
  type: "string" | "boolean";
  multiple: boolean;
  required: boolean;
  help: string;
  /** Placeholder of the value (string flags): the meta's `arg`, an enum's options, or `VALUE`. */
  arg: string | null;
  short: string | null;
}

/** A positional argument of a task. */
export interface PositionalSpec {
  /** Its placeholder in the usage, e.g. `ID` or `VERSION`. */
  name: string;
  help: string;
  /** Default true. */
  required?: boolean;
  /** The last positional may take several values (`NAME...`). Default false. */
  variadic?: boolean;
}

const WIDTH = 100;

/** The flags of `schema`; throws (a fault in the task, not in its input) when one cannot be a flag. */
export function flagsOf(task: string, schema: z.ZodObject): FlagInfo[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    // deno-lint-ignore no-explicit-any
    let s = field as any;
    const metas: Partial<FlagMeta>[] = [];
    let multiple = false;
    let type: "string" | "boolean" | null = null;
    let options: string[] | null = null;
    while (type === null) {
      const meta = s.meta?.();
      if (meta) metas.push(meta);
      const def = s._zod.def;
      switch (def.type) {
        case "optional":
        case "default":
        case "prefault":
        case "nullable":
        case "nonoptional":
        case "readonly":
        case "catch":
          s = def.innerType;
          continue;
        case "pipe":
          s = def.in;
          continue;
        case "array":
          multiple = true;
          s = def.element;
          continue;
        case "enum":
          options = Object.values(def.entries).map(String);
          type = "string";
          break;
        case "string":
        case "literal":
          type = "string";
          break;
        case "boolean":
          type = "boolean";
          break;
        default:
          throw new Error(
            `${task}: flag --${name} is a zod ${def.type}: a flag must be a string, enum, boolean or array of strings`,
          );
      }
    }
    const meta: Partial<FlagMeta> = Object.assign({}, ...metas.reverse());
    if (!meta.help) throw new Error(`${task}: flag --${name} has no help text (.meta({ help }))`);
    return {
      name,
      type,
      multiple,
      required: (field as z.ZodType)._zod.optin === undefined,
      help: meta.help,
      arg: type === "boolean" ? null : meta.arg ?? options?.join("|") ?? "VALUE",
      short: meta.short ?? null,
    };
  });
}

/** `--name ARG` as typed. */
export function flagText(f: FlagInfo): string {
  return `--${f.name}${f.arg ? ` ${f.arg}` : ""}`;
}

/** The synopsis line(s): `Usage: deno task NAME ARGS [--flag ARG] ... [--json]`, wrapped. */
export function synopsis(
  name: string,
  flags: readonly FlagInfo[],
  positionals: readonly PositionalSpec[],
  prefix = "Usage: ",
): string {
  const head = `${prefix}deno task ${name}`;
  const words = [
    ...positionals.map((p) => {
      const name = p.variadic ? `${p.name}...` : p.name;
      return (p.required ?? true) ? name : `[${name}]`;
    }),
    ...flags.map((f) => {
      const text = `${flagText(f)}${f.multiple ? " ..." : ""}`;
      return f.required ? text : `[${text}]`;
    }),
    "[--json]",
  ];
  return wrapWords(words, head, " ".repeat(head.length + 1));
}

/** The argument list: the positionals, one line per flag with its help, then --json and --help. */
export function flagList(
  flags: readonly FlagInfo[],
  positionals: readonly PositionalSpec[] = [],
): string {
  const rows: [string, string][] = [
    ...positionals.map((p): [string, string] => [p.name, p.help]),
    ...flags.map((f): [string, string] => [
      `${f.short ? `-${f.short}, ` : ""}${flagText(f)}`,
      f.help + (f.multiple ? " (may be repeated)" : ""),
    ]),
  ];
  rows.push(["--json", "print exactly one JSON object on stdout (logs go to stderr)"]);
  rows.push(["-h, --help", "this text"]);
  const left = Math.min(24, Math.max(...rows.map(([l]) => l.length)) + 2);
  const pad = " ".repeat(2 + left);
  return rows.map(([l, help]) => {
    const body = wrapText(help, WIDTH - pad.length).map((line, i) => (i === 0 ? line : pad + line));
    return l.length + 2 > left
      ? `  ${l}\n${pad}${body.join("\n")}`
      : `  ${l.padEnd(left)}${body.join("\n")}`;
  }).join("\n");
}

/** Wraps `text` at `width`; explicit newlines are kept and a line's leading spaces indent all of it. */
export function wrapText(text: string, width: number): string[] {
  return text.split("\n").flatMap((para) => {
    const indent = para.length - para.trimStart().length;
    const lines: string[] = [];
    let line = "";
    for (const word of para.trimStart().split(" ")) {
      if (line && indent + line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return lines.map((l) => " ".repeat(indent) + l);
  });
}

function wrapWords(words: readonly string[], head: string, indent: string): string {
  const lines = [head];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last.length + 1 + w.length > WIDTH && last.trim().length > 0 && last !== head) {
      lines.push(`${indent}${w}`);
    } else lines[lines.length - 1] = `${last} ${w}`;
  }
  return lines.join("\n");
}
