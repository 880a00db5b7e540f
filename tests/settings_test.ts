/** `deno task settings`: set the store's and a category's rules, show what is in force. */
import assert from "node:assert/strict";
import { simulatedStore } from "./_stores.ts";

async function task(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/settings.ts", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    json: text.trim() ? JSON.parse(text) : null,
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("deno task settings sets the store's and a category's rules and shows them resolved", async () => {
  const { path, db, dir } = await simulatedStore({ skus: 20, days: 60 });
  db.close();
  try {
    const store = await task([
      "set",
      "--db",
      path,
      "--units-floor",
      "0.97",
      "--price-index",
      "0.97,1.05",
      "--rule",
      "price_index=hard:2",
      "--by",
      "alice",
      "--reason",
      "protect traffic",
      "--json",
    ]);
    assert.equal(store.code, 0, store.stderr);
    assert.deepEqual(store.json.setting.settings, {
      units_floor: 0.97,
      price_index: [0.97, 1.05],
      modes: { price_index: { hard: true, priority: 2 } },
    });
    const snacks = await task([
      "set",
      "--db",
      path,
      "--category",
      "snacks",
      "--units-floor",
      "off",
      "--objective",
      "revenue",
      "--by",
      "bob",
      "--reason",
      "push volume",
      "--json",
    ]);
    assert.equal(snacks.code, 0, snacks.stderr);
    const shown = await task(["show", "--db", path, "--json"]);
    assert.equal(shown.code, 0);
    assert.equal(shown.json.categories.snacks.objective, "revenue");
    assert.equal(shown.json.categories.snacks.rules.units_floor, undefined);
    assert.deepEqual(shown.json.categories.dairy.rules.price_index, {
      value: [0.97, 1.05],
      hard: true,
      priority: 2,
    });
    const unknown = await task([
      "set",
      "--db",
      path,
      "--category",
      "toys",
      "--by",
      "b",
      "--reason",
      "x",
    ]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no such category/);
    const bad = await task([
      "set",
      "--db",
      path,
      "--rule",
      "floor=hard",
      "--by",
      "b",
      "--reason",
      "x",
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected NAME=hard\|soft/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
