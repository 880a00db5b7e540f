import assert from "node:assert/strict";
import { addDays } from "../../util/date.ts";
import { openStore } from "../db.ts";
import { appendSales } from "../write/inputs.ts";
import { readSkusWithSales } from "./inputs.ts";

Deno.test("readSkusWithSales() among given SKUs agrees with the whole-span read, planted bad rows left out", () => {
  const db = openStore(":memory:");
  const skus = Array.from({ length: 40 }, (_, i) => `S${i}`);
  appendSales(
    db,
    skus.flatMap((sku, k) =>
      Array.from({ length: 6 }, (_, j) => ({
        sku,
        date: addDays("2025-01-01", (k * 7 + j * 11) % 60),
        units: j,
        revenue: j * 2,
        shelf_price: 2,
        promo: false,
      }))
    ),
  );
  // Rows a reader must leave out: a negative price and an impossible date.
  db.exec("PRAGMA ignore_check_constraints = ON");
  db.exec(`INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
    VALUES ('BAD1', '2025-01-20', 1, 0, 2, -2, 0, 'planted'),
           ('BAD2', '2025-02-30', 1, 0, 2, 2, 0, 'planted')`);
  db.exec("PRAGMA ignore_check_constraints = OFF");
  const among = [...skus, "BAD1", "BAD2", "NONE"];
  for (let from = 0; from < 60; from += 5) {
    for (const span of [1, 7, 28]) {
      const a = addDays("2025-01-01", from), b = addDays(a, span);
      const whole = readSkusWithSales(db, a, b);
      const probed = readSkusWithSales(db, a, b, among);
      assert.deepEqual([...probed].sort(), [...whole].filter((s) => among.includes(s)).sort());
    }
  }
  assert.equal(readSkusWithSales(db, "2025-01-01", "2025-03-31", ["BAD1", "BAD2"]).size, 0);
  db.close();
});
