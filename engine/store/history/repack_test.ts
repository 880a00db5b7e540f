import assert from "node:assert/strict";
import { addDays } from "../../util/date.ts";
import { toDayNumber } from "../../util/date.ts";
import { migrate, openStore } from "../db.ts";
import { appendCompetitorPrices, appendInventory, appendSales } from "../write/inputs.ts";
import { decodeBlock, isFullWidthBlock } from "./block.ts";
import { readHistoryBlocks } from "./read.ts";
import { syncHistory } from "./sync.ts";
import { fullWidth } from "./_full_width.ts";

Deno.test("migration 14 re-packs a store's full-width blocks narrow, every day read the same", () => {
  const db = openStore(":memory:");
  const skus = ["A1", "B2", "C3"];
  const days = Array.from({ length: 70 }, (_, i) => addDays("2025-01-01", i));
  appendSales(
    db,
    skus.flatMap((sku, k) =>
      days.filter((_, i) => (i + k) % 4 !== 0).map((date, i) => ({
        sku,
        date,
        units: (i * 7 + k) % 13,
        revenue: 10,
        shelf_price: k === 2 ? 2.999 : 2.49 + (i % 3) / 10,
        promo: i % 9 === 0,
      }))
    ),
  );
  appendInventory(
    db,
    days.map((date, i) => ({
      sku: "A1",
      date,
      on_hand: 40_000 + i,
      on_order: 0,
      next_receipt_date: i % 5 ? addDays(date, 3) : null,
    })),
  );
  appendCompetitorPrices(db, days.map((date) => ({ sku: "B2", date, competitor_price: 3.09 })));
  syncHistory(db);
  const from = toDayNumber("2025-01-01"), to = toDayNumber("2025-03-15");
  const before = readHistoryBlocks(db, skus, from, to);
  // Written by the first code: every block at full width.
  const blocks = db.prepare("SELECT sku, month, data FROM history_blocks").all();
  for (const b of blocks) {
    db.prepare("UPDATE history_blocks SET data = ? WHERE sku = ? AND month = ?").run(
      fullWidth(decodeBlock(b.data as Uint8Array)),
      b.sku as string,
      b.month as number,
    );
  }
  const widths = () =>
    db.prepare("SELECT data FROM history_blocks").all().map((r) =>
      isFullWidthBlock(r.data as Uint8Array)
    );
  assert.ok(widths().every((w) => w));
  assert.deepStrictEqual(readHistoryBlocks(db, skus, from, to), before);
  db.prepare("DELETE FROM schema_migrations WHERE version = 14").run();
  assert.deepEqual(migrate(db), [14]);
  assert.equal(widths().length, blocks.length);
  assert.ok(widths().every((w) => !w));
  assert.deepStrictEqual(readHistoryBlocks(db, skus, from, to), before);
  const bytes = Number(
    db.prepare("SELECT max(length(data)) AS n FROM history_blocks").get()!.n,
  );
  assert.ok(bytes < 1000, `a month packs in ${bytes} bytes`);
  db.close();
});
