import assert from "node:assert/strict";
import { z } from "zod";
import { defineTask, EXIT, exitCodeOf, Flags, type Task, UsageError, wantsJson } from "./_cli.ts";
import { FIRST_DATE, LAST_DATE, MAX_DAYS } from "./_flags.ts";
import { flagsOf } from "./_usage.ts";
import { hasControl, printable } from "./_text.ts";
import { InputError, InputTypeError, LockHeldError } from "../engine/util/errors.ts";

const Schema = z.object({
  date: Flags.date("first date").optional(),
  days: Flags.days("how many days").default(1),
  by: Flags.text("who asks", "WHO"),
  sku: z.array(z.string()).meta({ arg: "SKU", short: "s", help: "a SKU" }).optional(),
  kind: z.enum(["gbdt", "cart"]).meta({ help: "model kind" }).optional(),
  all: Flags.on("every SKU").optional(),
});

function sample(seen: unknown[] = []): Task {
  return defineTask({
    name: "sample",
    about: "A sample task.",
    flags: Schema,
    positionals: [{ name: "ID", help: "an id", required: false }],
    run(args) {
      seen.push(args);
      return 5;
    },
  });
}

Deno.test("flagsOf() derives each flag's type, repetition, alias, requirement and placeholder from the schema", () => {
  const flags = Object.fromEntries(flagsOf("sample", Schema).map((f) => [f.name, f]));
  assert.deepEqual(
    Object.fromEntries(
      Object.values(flags).map((f) => [f.name, [f.type, f.multiple, f.required, f.arg, f.short]]),
    ),
    {
      date: ["string", false, false, "YYYY-MM-DD", null],
      days: ["string", false, false, "N", null],
      by: ["string", false, true, "WHO", null],
      sku: ["string", true, false, "SKU", "s"],
      kind: ["string", false, false, "gbdt|cart", null],
      all: ["boolean", false, false, null, null],
    },
  );
});

Deno.test("defineTask() derives the synopsis and one usage line per flag", () => {
  const { usage } = sample();
  assert.match(
    usage,
    /^Usage: deno task sample \[ID\] \[--date YYYY-MM-DD\] \[--days N\] --by WHO \[--sku SKU \.\.\.\]/,
  );
  for (
    const line of [/--date YYYY-MM-DD +first date/, /-s, --sku SKU +a SKU \(may be repeated\)/]
  ) {
    assert.match(usage, line);
  }
  for (
    const line of [/--kind gbdt\|cart +model kind/, /--all +every SKU/, /--json +print exactly/]
  ) {
    assert.match(usage, line);
  }
  assert.match(usage, /Exit codes: 0 success [\s\S]* 3 another run holds the\s+store\./);
});

Deno.test("defineTask() refuses a flag without help, of a type no flag can have, or named help", () => {
  const define = (flags: z.ZodObject) =>
    defineTask({ name: "t", about: "t", flags, run: () => {} });
  assert.throws(() => define(z.object({ x: z.string() })), /--x has no help text/);
  assert.throws(
    () => define(z.object({ n: z.number().meta({ help: "a number" }) })),
    /--n is a zod number/,
  );
  assert.throws(() => define(z.object({ help: Flags.on("mine") })), /--help is built in/);
});

Deno.test("a task parses aliases, repeated flags and positionals and returns the body's exit code", async () => {
  const seen: { flags: Record<string, unknown>; positionals: string[]; json: boolean }[] = [];
  const code = await sample(seen).run(
    ["7", "--by", " alice ", "-s", "A1", "--sku", "B2", "--days", "3", "--json", "--all"],
  );
  assert.equal(code, 5);
  assert.deepEqual(seen[0], {
    flags: { by: "alice", sku: ["A1", "B2"], days: 3, all: true },
    positionals: ["7"],
    json: true,
  });
});

Deno.test("a task names the flag and the value in every usage error", async () => {
  const fails = async (argv: string[], message: RegExp) => {
    await assert.rejects(sample().run(argv), (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.match(e.message, message);
      return true;
    });
  };
  await fails([], /^--by WHO is required$/);
  await fails(
    ["--by", "a", "--date", "2025-02-30"],
    /^--date: expected a calendar date .*\(got "2025-02-30"\)$/,
  );
  await fails(
    ["--by", "a", "--days", "0"],
    /^--days: expected a whole number from 1 to 3,660 \(got "0"\)$/,
  );
  await fails(["--by", "   "], /^--by: must not be blank \(got " {3}"\)$/);
  await fails(["--by", "a", "--kind", "tree"], /^--kind: .*\(got "tree"\)$/);
  await fails(["--by", "a", "--nope"], /Unknown option '--nope'.*see deno task sample --help/);
  await fails(["--by", "a", "1", "2"], /^unexpected argument "2"/);
  await fails(
    ["--by", "eve\u001b[2J"],
    /^--by: must not contain control characters .*\(got "eve\\u001b\[2J"\)$/,
  );
  await fails(["--by", "a", "--sku", "A\nB"], /^--sku: must not contain control characters/);
  await fails(["--by", "a", "x\ty"], /^ID: must not contain control characters/);
});

Deno.test("Flags.date() accepts 2000-01-01 to 2199-12-31 and Flags.days() 1 to 3,660", () => {
  const date = Flags.date("d");
  for (const ok of [FIRST_DATE, "2024-02-29", LAST_DATE]) assert.ok(date.safeParse(ok).success, ok);
  for (const bad of ["1999-12-31", "2200-01-01", "9999-12-31", "2025-02-30", "2025-1-1"]) {
    assert.equal(date.safeParse(bad).success, false, bad);
  }
  const days = Flags.days("n");
  assert.equal(days.parse(String(MAX_DAYS)), MAX_DAYS);
  for (const bad of [String(MAX_DAYS + 1), "0", "1000000000", "-1", "1.5", "ten"]) {
    assert.equal(days.safeParse(bad).success, false, bad);
  }
});

Deno.test("exitCodeOf() maps input to 2, a held lock to 3 and anything else, a bug included, to 1", () => {
  assert.equal(exitCodeOf(new UsageError("x")), EXIT.usage);
  assert.equal(exitCodeOf(new InputError("x")), EXIT.usage);
  assert.equal(exitCodeOf(new InputTypeError("x")), EXIT.usage);
  assert.equal(exitCodeOf(new LockHeldError("run 2025-01-01")), EXIT.locked);
  assert.equal(exitCodeOf(new Error("database is locked")), EXIT.locked);
  assert.equal(exitCodeOf(new TypeError("x is not a function")), EXIT.failure);
  assert.equal(exitCodeOf(new RangeError("Invalid array length")), EXIT.failure);
  assert.equal(exitCodeOf(new Error("boom")), EXIT.failure);
  assert.equal(exitCodeOf("a string"), EXIT.failure);
});

Deno.test("wantsJson() sees --json only before a -- that ends the flags", () => {
  assert.equal(wantsJson(["list", "--json"]), true);
  assert.equal(wantsJson(["list", "--", "--json"]), false);
  assert.equal(wantsJson(["list"]), false);
});

Deno.test("printable() escapes control characters; hasControl() finds them", () => {
  assert.equal(printable("a\u001b[31mb\nc\td\r\u007f\u009b"), "a\\x1b[31mb\\nc\\td\\r\\x7f\\x9b");
  assert.equal(
    printable("line one\nline \u0007two", { keepNewlines: true }),
    "line one\nline \\x07two",
  );
  assert.equal(printable("prix 9,99 € – ok"), "prix 9,99 € – ok");
  assert.equal(hasControl("plain text, ünïcode"), false);
  for (const c of ["\n", "\t", "\u001b", "\u0000", "\u007f", "\u0085"]) {
    assert.ok(hasControl(`a${c}`));
  }
});

Deno.test("every task and every command prints its help and exits 0", async () => {
  const modules = [
    "daily",
    "sim",
    "replay",
    "override",
    "models",
    "monitor",
    "alerts",
    "backtest",
    "init",
    "import",
    "export",
    "verify",
    "serve",
    "users",
    "settings",
  ];
  const COMMANDS: Record<string, string[]> = {
    override: ["freeze", "force-rule", "revoke", "list"],
    models: ["train", "list", "approve", "reject"],
  };
  const log = console.log;
  const printed: string[] = [];
  console.log = (text: string) => printed.push(text);
  try {
    for (const name of modules) {
      const { task } = await import(`./${name}.ts`) as { task: Task };
      assert.equal(await task.run(["--help"]), EXIT.ok, name);
      assert.match(printed.at(-1) ?? "", new RegExp(`deno task ${name}`));
      for (const command of COMMANDS[name] ?? []) {
        assert.match(printed.at(-1) ?? "", new RegExp(`^  ${command} `, "m"), "listed");
        assert.equal(await task.run([command, "--help"]), EXIT.ok, `${name} ${command}`);
        assert.match(printed.at(-1) ?? "", new RegExp(`^Usage: deno task ${name} ${command}`));
        await task.run(["--help"]);
      }
    }
    const { task: bench } = await import("../bench/main.ts") as { task: Task };
    assert.equal(await bench.run(["--help"]), EXIT.ok);
  } finally {
    console.log = log;
  }
});
