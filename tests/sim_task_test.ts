import assert from "node:assert/strict";

const root = new URL("..", import.meta.url).pathname;

async function run(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "piped" })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("deno task sim twice with the same arguments gives identical sqlite3 dumps", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sim-dump-" });
  const args = ["--skus", "60", "--days", "90", "--seed", "4", "--json"];
  const a = await run("deno", ["run", "-A", "tasks/sim.ts", "--db", `${dir}/a.db`, ...args]);
  const b = await run("deno", ["run", "-A", "tasks/sim.ts", "--db", `${dir}/b.db`, ...args]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const summary = JSON.parse(a.stdout);
  assert.equal(summary.status, "written");
  assert.ok(summary.rows.sales > 60 * 80);
  const dumpA = await run("sqlite3", [`${dir}/a.db`, ".dump"]);
  const dumpB = await run("sqlite3", [`${dir}/b.db`, ".dump"]);
  assert.equal(dumpA.code, 0, dumpA.stderr);
  assert.ok(dumpA.stdout.includes("INSERT INTO sales"), "the dump holds the simulated sales");
  assert.equal(dumpA.stdout, dumpB.stdout);
  // A different seed gives a different market: the comparison can fail.
  const c = await run("deno", [
    "run",
    "-A",
    "tasks/sim.ts",
    "--db",
    `${dir}/c.db`,
    ...args.map((x) => (x === "4" ? "5" : x)),
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.notEqual((await run("sqlite3", [`${dir}/c.db`, ".dump"])).stdout, dumpA.stdout);
});

Deno.test("deno task sim refuses an existing store and bad flags with exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sim-bad-" });
  await Deno.writeTextFile(`${dir}/x.db`, "");
  const exists = await run("deno", ["run", "-A", "tasks/sim.ts", "--db", `${dir}/x.db`]);
  assert.equal(exists.code, 2);
  assert.match(exists.stderr, /already exists/);
  const bad = await run("deno", [
    "run",
    "-A",
    "tasks/sim.ts",
    "--db",
    `${dir}/y.db`,
    "--skus",
    "ten",
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--skus: expected a whole number from 1 to 1,000,000 \(got "ten"\)/);
  const scenario = await run("deno", [
    "run",
    "-A",
    "tasks/sim.ts",
    "--db",
    `${dir}/z.db`,
    "--scenario",
    "no-such",
  ]);
  assert.equal(scenario.code, 2);
  assert.match(scenario.stderr, /no-such/);
});
