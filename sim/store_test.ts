import assert from "node:assert/strict";
import { openStore } from "../engine/store/db.ts";
import { loadScenario } from "./scenario.ts";
import { writeSimulatedStore } from "./store.ts";

const scenario = await loadScenario("default");

Deno.test("writeSimulatedStore() counts its days with and without a progress callback", () => {
  for (const onProgress of [undefined, () => {}]) {
    const db = openStore(":memory:");
    try {
      const summary = writeSimulatedStore(db, { scenario, seed: 3, skus: 4, historyDays: 35 }, {
        onProgress,
      });
      assert.equal(summary.days, 35, `days with onProgress ${onProgress ? "given" : "absent"}`);
      assert.equal(summary.endDate, "2024-02-04");
    } finally {
      db.close();
    }
  }
});
