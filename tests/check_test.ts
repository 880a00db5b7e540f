/**
 * The code base stays formatted, linted, type-checked and documented: `deno task check`
 * (`deno fmt --check`, `deno lint`, `deno doc --lint engine/mod.ts`, `deno check`) passes,
 * so CI, which runs `deno task test`, fails on what the check would find.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ROOT } from "./_run_task.ts";

Deno.test("deno task check passes: formatted, linted, type-checked, every public symbol documented", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "check"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  const said = `${text.decode(out.stdout)}\n${text.decode(out.stderr)}`;
  assert.equal(out.code, 0, said.split("\n").slice(-60).join("\n"));
});
