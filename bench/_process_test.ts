import assert from "node:assert/strict";
import { measureProcess, peakMethodAvailable } from "./_process.ts";

const HOLD = (mb: number) =>
  `const a = new Uint8Array(${mb}e6); a.fill(1); await new Promise((r) => setTimeout(r, 200));`;

Deno.test("measureProcess() reports the peak memory of the child, by each method this machine offers", async () => {
  const methods = peakMethodAvailable() === "time" ? ["time", "proc"] as const : ["proc"] as const;
  for (const method of methods) {
    const small = await measureProcess(Deno.execPath(), ["eval", HOLD(1)], { method });
    const big = await measureProcess(Deno.execPath(), ["eval", HOLD(300)], { method });
    assert.equal(big.code, 0, big.stderr);
    assert.equal(big.peakMethod, method);
    assert.ok(big.peakRssBytes! > 300e6, `${method}: ${big.peakRssBytes}`);
    assert.ok(big.peakRssBytes! - small.peakRssBytes! > 250e6, method);
  }
});

Deno.test("measureProcess() returns the exit code and output of a failing child", async () => {
  const m = await measureProcess(Deno.execPath(), ["eval", "console.log('out'); Deno.exit(3)"]);
  assert.equal(m.code, 3);
  assert.equal(m.stdout, "out\n");
  assert.ok(m.seconds > 0);
});
