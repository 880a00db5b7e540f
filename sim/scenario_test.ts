import assert from "node:assert/strict";
import { loadScenario, parseScenario } from "./scenario.ts";

Deno.test("loadScenario() reads the default scenario by name", async () => {
  const s = await loadScenario("default");
  assert.equal(s.name, "default");
  assert.equal(s.startDate, "2024-01-01");
  assert.equal(s.historyDays, 730);
  assert.equal(s.skus, 500);
  assert.ok(s.categories.length >= 6);
  assert.deepEqual(s.regimeShifts, []);
  const means = s.categories.map((c) => c.elasticityMean);
  assert.ok(Math.min(...means) < -2.5 && Math.max(...means) > -1.2);
});

Deno.test("loadScenario() reads a file path and names a missing file", async () => {
  const path = new URL("./scenarios/default.json", import.meta.url).pathname;
  assert.equal((await loadScenario(path)).name, "default");
  await assert.rejects(() => loadScenario("no-such-scenario"), (e: Error) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /no-such-scenario\.json: file not found/);
    return true;
  });
});

Deno.test("parseScenario() rejects a malformed scenario naming the field and value", async () => {
  const good = JSON.parse(
    await Deno.readTextFile(new URL("./scenarios/default.json", import.meta.url)),
  );
  const bad = structuredClone(good);
  bad.categories[1].elasticityMean = 0.5;
  bad.inventory.leadDays = 9;
  bad.startDate = "2024-02-30";
  assert.throws(() => parseScenario(bad, "bad.json"), (e: Error) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /^Cannot load scenario bad\.json: /);
    assert.match(e.message, /categories\.1\.elasticityMean: .*\(value: 0\.5\)/);
    assert.match(
      e.message,
      /inventory\.leadDays: leadDays must be less than reviewDays \(value: 9\)/,
    );
    assert.match(e.message, /startDate: .*\(value: "2024-02-30"\)/);
    return true;
  });
});

Deno.test("parseScenario() rejects a regime shift on an unknown category", async () => {
  const good = JSON.parse(
    await Deno.readTextFile(new URL("./scenarios/default.json", import.meta.url)),
  );
  good.regimeShifts = [{ date: "2025-06-01", categories: ["toys"], demandMultiplier: 0.8 }];
  assert.throws(
    () => parseScenario(good),
    /regimeShifts\.0\.categories\.0: unknown category "toys" \(value: "toys"\)/,
  );
});
