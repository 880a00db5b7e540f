import assert from "node:assert/strict";
import { openStore, transaction } from "../db.ts";
import { appendCatalog } from "../writer.ts";
import { readCatalogBefore, readCatalogHistory } from "../queries.ts";
import { SAMPLE_CATALOG } from "../_populate_test_helper.ts";
import { cachedCatalog } from "./catalog.ts";

const terms = (sku: string, effective_date: string, unit_cost: number, reason = "initial") => ({
  ...SAMPLE_CATALOG,
  sku,
  effective_date,
  unit_cost,
  reason,
});

Deno.test("cachedCatalog() equals readCatalogBefore() and readCatalogHistory() through corrections and a rollback", () => {
  const db = openStore(":memory:");
  const same = () => {
    for (const date of ["2024-01-01", "2024-01-02", "2024-02-01", "2024-03-01", "2099-01-01"]) {
      assert.deepEqual(cachedCatalog(db).before(date), readCatalogBefore(db, date), date);
      assert.deepEqual(cachedCatalog(db).history(date), readCatalogHistory(db, date), date);
    }
  };
  appendCatalog(db, [terms("B", "2024-01-01", 1), terms("A", "2024-01-01", 1)]);
  same();
  appendCatalog(db, [
    terms("A", "2024-02-01", 1.2, "cost up"),
    terms("A", "2024-01-15", 1.1, "recorded late, effective earlier"),
    terms("A", "2024-02-01", 1.3, "correction of the same date: wins"),
    terms("C", "2024-02-15", 2),
  ]);
  same();
  assert.equal(cachedCatalog(db).before("2024-03-01").find((c) => c.sku === "A")?.unit_cost, 1.3);
  assert.throws(() =>
    transaction(db, () => {
      appendCatalog(db, [terms("A", "2024-02-20", 9)]);
      assert.equal(cachedCatalog(db).before("2024-03-01")[0].unit_cost, 9);
      throw new Error("boom");
    }), /boom/);
  same();
});
