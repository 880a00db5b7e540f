/**
 * The README's "Your own data" walkthrough, run as written: the commands are
 * read from the README itself (the store path moved to a temporary directory,
 * the approved VERSION taken from the train command's output), so the README
 * cannot drift from what works.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/** The shell commands of the README section `heading`'s first sh block, continuations joined. */
function readmeCommands(heading: string): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(`## ${heading}`));
  const start = section.indexOf("```sh\n") + 6;
  const block = section.slice(start, section.indexOf("\n```", start));
  return block.replaceAll("\\\n", " ").split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"));
}

async function run(command: string) {
  // Quoted words with spaces ("first model") are kept together.
  const words = command.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"(.*)"$/, "$1"));
  assert.equal(words[0], "deno");
  const out = await new Deno.Command(Deno.execPath(), {
    args: words.slice(1),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("the README's own-data walkthrough works as written: init, import, train, approve, price, import a day, price the next", async () => {
  const dir = await Deno.makeTempDir({ prefix: "walkthrough_" });
  try {
    const commands = readmeCommands("Your own data").map((c) =>
      c.replaceAll("stores/", `${dir}/stores/`)
    );
    assert.equal(commands.length, 7, commands.join("\n"));
    let version = "";
    const dates: string[] = [];
    for (const command of commands) {
      const isTrain = command.includes("models train");
      const r = await run(
        (command.replace("VERSION", version) +
          (isTrain || command.includes("daily") ? " --json" : ""))
          .trim(),
      );
      assert.equal(r.code, 0, `${command}\n${r.stderr}`);
      if (isTrain) version = JSON.parse(r.stdout).version;
      if (command.includes("task daily")) {
        const summary = JSON.parse(r.stdout);
        assert.equal(summary.status, "succeeded");
        assert.ok(summary.strategies.ml > 0, "the approved model prices");
        dates.push(summary.run_date);
      }
    }
    assert.deepEqual(dates, ["2024-04-30", "2024-05-01"]);
    for (const d of dates) {
      assert.ok(existsSync(join(dir, "stores", "exports", `prices-shop-${d}.csv`)), d);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
