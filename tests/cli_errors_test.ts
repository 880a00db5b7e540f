/**
 * The exit code and message of each kind of error, end to end through the same
 * defineTask/runMain every task uses (tests/fixtures/throwing_task.ts): wrong
 * usage or input exits 2, a held lock 3, anything else 1, a genuine bug (a plain
 * TypeError or RangeError) included, with its stack under DEBUG.
 */
import assert from "node:assert/strict";
import { onlyJson, runTask } from "./_run_task.ts";

const FIXTURE = "tests/fixtures/throwing_task.ts";
const LOCK = /another run holds this store's write lock; wait for it to finish and retry/;

const CASES: { kind: string; code: number; message: RegExp }[] = [
  { kind: "usage", code: 2, message: /^throwing: --kind: a usage error$/m },
  { kind: "input", code: 2, message: /^throwing: Cannot do it: the input is wrong$/m },
  { kind: "input-type", code: 2, message: /^throwing: Cannot read it: field x/m },
  { kind: "lock", code: 3, message: /^throwing: Cannot run 2025-01-02: another run holds/m },
  { kind: "sqlite-busy", code: 3, message: LOCK },
  { kind: "bug-type", code: 1, message: /^throwing: Cannot read properties of undefined/m },
  { kind: "bug-range", code: 1, message: /^throwing: Invalid array length$/m },
  { kind: "wrapped", code: 1, message: /^throwing: Cannot finish the job$/m },
];

for (const c of CASES) {
  Deno.test(`a task that throws ${c.kind} exits ${c.code} with its message and one JSON error`, async () => {
    const r = await runTask(FIXTURE, ["--kind", c.kind, "--json"]);
    assert.equal(r.code, c.code, r.stderr);
    assert.match(r.stderr, c.message);
    const report = onlyJson(r);
    assert.equal(report.status, "error");
    assert.equal(report.exit_code, c.code);
    assert.equal(typeof report.error, "string");
  });
}

Deno.test("a plain bug prints no stack by default and its stack with DEBUG set", async () => {
  const quiet = await runTask(FIXTURE, ["--kind", "bug-type"]);
  assert.equal(quiet.code, 1);
  assert.doesNotMatch(quiet.stderr, /\n\s+at /);
  const debug = await runTask(FIXTURE, ["--kind", "bug-type"], { DEBUG: "1" });
  assert.equal(debug.code, 1);
  assert.match(
    debug.stderr,
    /TypeError: Cannot read properties of undefined[\s\S]*\n\s+at .*throwing_task\.ts/,
  );
});

Deno.test("a failure names each cause; DEBUG adds their stacks", async () => {
  const r = await runTask(FIXTURE, ["--kind", "wrapped"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /caused by: the disk said no\n\s+caused by: ENOSPC/);
  const debug = await runTask(FIXTURE, ["--kind", "wrapped"], { DEBUG: "1" });
  assert.match(debug.stderr, /Caused by: Error: the disk said no/);
});

Deno.test("control characters in an error message are escaped on stderr, kept in the JSON", async () => {
  const r = await runTask(FIXTURE, ["--kind", "escape", "--json"]);
  assert.equal(r.code, 2);
  assert.ok(!r.stderr.includes("\u001b"), "no raw ESC reaches the terminal");
  assert.equal(r.stderr.trim().split("\n").length, 1, "one line: the newline is escaped");
  assert.ok(r.stderr.includes("reason \\x1b[31mred\\x1b[0m: line one\\nline two"), r.stderr);
  assert.equal(onlyJson(r).error, "Cannot use reason \u001b[31mred\u001b[0m: line one\nline two");
});

Deno.test("a usage error answers in JSON too when --json was asked for", async () => {
  const r = await runTask(FIXTURE, ["--kind", "nonsense", "--json"]);
  assert.equal(r.code, 2);
  assert.equal(onlyJson(r).exit_code, 2);
  assert.match(r.stderr, /--kind: .* \(got "nonsense"\)/);
});
