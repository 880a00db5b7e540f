/**
 * Bringing the history blocks up to date with the input rows appended since
 * the last sync (by row id, so a correction of an old date is seen too; the
 * latest row for a SKU, date and kind wins). A store far behind (a bulk load)
 * has the months the new rows touch rebuilt whole, month by month, each block
 * written once. A row that fails
 * the write-time checks (written with them bypassed) is quarantined — recorded
 * in `input_quarantine` with what fails — and left out; it never stops the sync.
 * Elasticity fits whose window a changed day falls in are dropped.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { statement, transaction } from "../db.ts";
import { COLUMN_CHECKS, safeInteger, VALID_ROW } from "../read/valid_rows.ts";
import { isoDate } from "../migrations/_checks.ts";
import {
  type Block,
  type DayFacts,
  decodeBlock,
  emptyBlock,
  encodeBlock,
  HAS_COMPETITOR,
  HAS_SALES,
  HAS_STOCK,
  mergeFacts,
  monthOf,
  monthStart,
  PROMO,
} from "./block.ts";

/** An input row the sync left out. */
export interface QuarantinedRow {
  /** The input table. */
  table: "catalog" | "sales" | "inventory" | "competitor_prices";
  /** The row's id in it. */
  row_id: number;
  /** Its SKU when readable, else null. */
  sku: string | null;
  /** Its date (`effective_date` of a catalog row) when readable, else null. */
  date: string | null;
  /** The columns that fail, with their stored values. */
  problem: string;
}

/** What a sync did. */
export interface SyncReport {
  /** Input rows read. */
  rows: number;
  /** Blocks written. */
  blocks: number;
  /** Whether the months the new rows touch were rebuilt whole (a store far behind). */
  rebuilt: boolean;
  /** The rows newly left out, with what fails in each. */
  quarantined: QuarantinedRow[];
  /** Per SKU, the earliest day whose facts changed. */
  touched: Map<string, number>;
}

/** Options of {@linkcode syncHistory}. */
export interface SyncOptions {
  /** Who records the quarantine rows (e.g. the run's id). Default "history sync". */
  recordedBy?: string;
  /**
   * Rows behind above which the months they touch are rebuilt whole (each block written
   * once) instead of merged row batch by row batch. Default 1,000,000.
   */
  rebuildAbove?: number;
  /** Rows applied per batch of an incremental sync. Default 500,000. */
  batchRows?: number;
  /** Called with a line of progress now and then. */
  onProgress?: (message: string) => void;
  /** Called during a rebuild with the months done and the months in all. */
  onMonths?: (done: number, total: number) => void;
}

type Table = Exclude<QuarantinedRow["table"], "catalog">;
const TABLES: readonly Table[] = ["sales", "inventory", "competitor_prices"];
const MS_DAY = 86_400_000;

/** The SELECT list of a table's rows as facts: id, SKU, day parts, values, validity. */
const COLUMNS: Record<Table, string> = {
  sales: `id, sku, date, ${safeInteger("units")}, shelf_price, ${
    safeInteger("promo")
  }, ${VALID_ROW.sales}`,
  inventory: `id, sku, date, ${safeInteger("on_hand")}, ${
    safeInteger("on_order")
  }, next_receipt_date, ${VALID_ROW.inventory}`,
  competitor_prices: `id, sku, date, competitor_price, ${VALID_ROW.competitor_prices}`,
};

function dayOf(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / MS_DAY;
}

/** A row (as returned in array mode) as facts; null when it fails its checks. */
function factsOf(table: Table, r: unknown[]): { sku: string; facts: DayFacts } | null {
  if (!isValid(table, r)) return null;
  const sku = String(r[1]), day = dayOf(String(r[2]));
  if (table === "sales") {
    return {
      sku,
      facts: { day, kind: "sales", units: Number(r[3]), price: Number(r[4]), promo: r[5] === 1 },
    };
  }
  if (table === "inventory") {
    return {
      sku,
      facts: {
        day,
        kind: "stock",
        onHand: Number(r[3]),
        onOrder: Number(r[4]),
        nextReceipt: r[5] === null ? -1 : dayOf(String(r[5])),
      },
    };
  }
  return { sku, facts: { day, kind: "competitor", price: Number(r[3]) } };
}

function arrays(st: StatementSync): StatementSync {
  (st as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  return st;
}

/**
 * Brings the history blocks up to date, in the caller's transaction or in one of its own.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readHistoryBlocks, syncHistory, transaction } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * const report = transaction(db, () => syncHistory(db));
 * assert.equal(report.rows, 1);
 * const [days] = readHistoryBlocks(db, ["A1"], 0, 30000).values();
 * assert.deepEqual([...days.units], [3]);
 * ```
 */
export function syncHistory(db: DatabaseSync, options: SyncOptions = {}): SyncReport {
  if (!db.isTransaction) return transaction(db, () => syncHistory(db, options));
  const state = statement(db, "SELECT * FROM history_state WHERE id = 1").get();
  const from: Record<Table, number> = {
    sales: Number(state?.sales_id ?? 0),
    inventory: Number(state?.inventory_id ?? 0),
    competitor_prices: Number(state?.competitor_id ?? 0),
  };
  const catalogFrom = Number(state?.catalog_id ?? 0);
  const catalogTo = Number(
    statement(db, "SELECT coalesce(max(id), 0) AS id FROM catalog").get()!.id,
  );
  const to = {} as Record<Table, number>;
  let behind = 0;
  for (const t of TABLES) {
    to[t] = Number(statement(db, `SELECT coalesce(max(id), 0) AS id FROM ${t}`).get()!.id);
    behind += Math.max(0, to[t] - from[t]);
  }
  const report: SyncReport = {
    rows: 0,
    blocks: 0,
    rebuilt: false,
    quarantined: [],
    touched: new Map(),
  };
  if (catalogTo > catalogFrom) {
    const bad = statement(
      db,
      `SELECT id FROM catalog WHERE id > ? AND id <= ? AND NOT ${VALID_ROW.catalog} ORDER BY id`,
    ).all(catalogFrom, catalogTo);
    for (const r of bad) report.quarantined.push(describe(db, "catalog", Number(r.id)));
  }
  if (behind === 0 && catalogTo === catalogFrom) return report;
  if (behind > (options.rebuildAbove ?? 1_000_000)) rebuildMonths(db, from, to, report, options);
  else if (behind > 0) incremental(db, from, to, report, options);
  quarantine(db, report.quarantined, options.recordedBy ?? "history sync");
  dropStaleFits(db, report.touched);
  statement(
    db,
    `INSERT OR REPLACE INTO history_state (id, sales_id, inventory_id, competitor_id, catalog_id)
     VALUES (1, ?, ?, ?, ?)`,
  ).run(to.sales, to.inventory, to.competitor_prices, catalogTo);
  return report;
}

/** Applies the rows appended in (from, to], in batches. */
function incremental(
  db: DatabaseSync,
  from: Record<Table, number>,
  to: Record<Table, number>,
  report: SyncReport,
  options: SyncOptions,
): void {
  const batch = options.batchRows ?? 500_000;
  const pending = new Map<string, DayFacts[]>();
  let held = 0;
  const flush = () => {
    writeBlocks(db, pending, report, true);
    pending.clear();
    held = 0;
  };
  for (const t of TABLES) {
    for (let after = from[t]; after < to[t];) {
      const upTo = Math.min(to[t], after + batch);
      const rows = arrays(statement(
        db,
        `SELECT ${COLUMNS[t]} FROM ${t} WHERE id > ? AND id <= ? ORDER BY id`,
      )).all(after, upTo) as unknown as unknown[][];
      for (const r of rows) {
        report.rows++;
        const f = factsOf(t, r);
        if (!f) {
          report.quarantined.push(describe(db, t, Number(r[0])));
          continue;
        }
        const key = `${f.sku}\u0000${monthOf(f.facts.day)}`;
        const list = pending.get(key);
        if (list) list.push(f.facts);
        else pending.set(key, [f.facts]);
        const t0 = report.touched.get(f.sku);
        if (t0 === undefined || f.facts.day < t0) report.touched.set(f.sku, f.facts.day);
        held++;
      }
      after = upTo;
      if (held >= batch) flush();
      options.onProgress?.(`history: ${report.rows} rows read`);
    }
  }
  flush();
}

/** The first day of a month index, `YYYY-MM-DD`. */
function monthDate(month: number): string {
  const y = Math.floor(month / 12), m = (month % 12) + 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-01`;
}

/** One SKU's days of one month, filled in place from its rows in (date, id) order. */
class MonthBuilder {
  readonly block: Block;
  constructor(readonly first: number, days: number) {
    this.block = emptyBlock(days);
    for (let i = 0; i < days; i++) this.block.day[i] = first + i;
  }
  apply(table: Table, r: unknown[]): void {
    const b = this.block;
    const i = dayOf(String(r[2])) - this.first;
    if (table === "sales") {
      b.units[i] = Number(r[3]);
      b.price[i] = Number(r[4]);
      b.flags[i] = (b.flags[i] & ~PROMO) | HAS_SALES | (r[5] === 1 ? PROMO : 0);
    } else if (table === "inventory") {
      b.onHand[i] = Number(r[3]);
      b.onOrder[i] = Number(r[4]);
      b.nextReceipt[i] = r[5] === null ? -1 : dayOf(String(r[5]));
      b.flags[i] |= HAS_STOCK;
    } else {
      b.competitor[i] = Number(r[3]);
      b.flags[i] |= HAS_COMPETITOR;
    }
  }
  /** The days with a fact, as a block. */
  done(): Block {
    const b = this.block;
    const keep: number[] = [];
    for (let i = 0; i < b.day.length; i++) if (b.flags[i] !== 0) keep.push(i);
    const out = emptyBlock(keep.length);
    keep.forEach((i, k) => {
      out.day[k] = b.day[i];
      out.flags[k] = b.flags[i];
      out.units[k] = b.units[i];
      out.price[k] = b.price[i];
      out.competitor[k] = b.competitor[i];
      out.onHand[k] = b.onHand[i];
      out.onOrder[k] = b.onOrder[i];
      out.nextReceipt[k] = b.nextReceipt[i];
    });
    return out;
  }
}

/**
 * Rebuilds whole the months the rows in (from, to] touch: each month's rows of every
 * SKU (old and new) are read in date order through the date index — near-sequential
 * reads for rows appended in time order — and each block is written once. The new rows
 * that fail their checks are found by one scan of them; so are the SKUs whose fits they
 * touch.
 */
function rebuildMonths(
  db: DatabaseSync,
  from: Record<Table, number>,
  to: Record<Table, number>,
  report: SyncReport,
  options: SyncOptions,
): void {
  report.rebuilt = true;
  const months = new Set<number>();
  const fresh = TABLES.every((t) => from[t] === 0);
  for (const t of TABLES) {
    if (to[t] <= from[t]) continue;
    if (fresh) {
      // Every month from the first calendar date to the last (the date index's ends).
      const ends = statement(
        db,
        `SELECT min(date) AS first, max(date) AS last FROM ${t}
         WHERE date GLOB '2[01][0-9][0-9]-[01][0-9]-[0-3][0-9]'`,
      ).get()!;
      if (ends.first === null) continue;
      const a = String(ends.first), b = String(ends.last);
      for (
        let m = +a.slice(0, 4) * 12 + +a.slice(5, 7) - 1;
        m <= +b.slice(0, 4) * 12 + +b.slice(5, 7) - 1;
        m++
      ) {
        months.add(m);
      }
      continue;
    }
    for (
      const r of statement(
        db,
        `SELECT DISTINCT substr(date, 1, 7) AS month FROM ${t}
         WHERE id > ? AND id <= ? AND ${isoDate("date")}`,
      ).all(from[t], to[t])
    ) {
      const m = String(r.month);
      months.add(+m.slice(0, 4) * 12 + +m.slice(5, 7) - 1);
    }
    // Each SKU's earliest new day: its fits whose window holds it are dropped.
    for (
      const r of statement(
        db,
        `SELECT sku, min(date) AS first FROM ${t}
         WHERE id > ? AND id <= ? AND ${VALID_ROW[t]} GROUP BY sku`,
      ).iterate(from[t], to[t])
    ) {
      const sku = String(r.sku), day = dayOf(String(r.first));
      const t0 = report.touched.get(sku);
      if (t0 === undefined || day < t0) report.touched.set(sku, day);
    }
  }
  // New rows dated outside every month rebuilt fail their checks (the date): quarantined here;
  // the month scans quarantine the new rows inside them that fail.
  const list0 = [...months].sort((a, b) => a - b);
  const span = list0.length
    ? [monthDate(list0[0]), monthDate(list0[list0.length - 1] + 1)]
    : ["2200-01-01", "2200-01-01"];
  for (const t of TABLES) {
    for (
      const r of statement(
        db,
        `SELECT id FROM ${t} WHERE id > ? AND id <= ? AND (date < ? OR date >= ? OR date IS NULL)
         ORDER BY id`,
      ).all(from[t], to[t], span[0], span[1])
    ) report.quarantined.push(describe(db, t, Number(r.id)));
  }
  const list = [...months].sort((a, b) => a - b);
  list.forEach((month, k) => {
    const first = monthStart(month), next = monthStart(month + 1);
    const builders = new Map<string, MonthBuilder>();
    for (const t of TABLES) {
      const rows = arrays(statement(
        db,
        `SELECT ${COLUMNS[t]} FROM ${t} WHERE date >= ? AND date < ? AND id <= ? ORDER BY date, id`,
      ));
      for (
        const r of rows.iterate(monthDate(month), monthDate(month + 1), to[t]) as Iterable<
          unknown[]
        >
      ) {
        report.rows++;
        if (!isValid(t, r)) {
          if (Number(r[0]) > from[t]) report.quarantined.push(describe(db, t, Number(r[0])));
          continue;
        }
        const sku = String(r[1]);
        let b = builders.get(sku);
        if (!b) builders.set(sku, b = new MonthBuilder(first, next - first));
        b.apply(t, r);
      }
    }
    const write = statement(
      db,
      `INSERT OR REPLACE INTO history_blocks (sku, month, days, sales_days, data) VALUES (?,?,?,?,?)`,
    );
    for (const [sku, b] of builders) {
      const block = b.done();
      let sales = 0;
      for (let i = 0; i < block.flags.length; i++) if (block.flags[i] & HAS_SALES) sales++;
      write.run(sku, month, block.day.length, sales, encodeBlock(block));
      report.blocks++;
    }
    options.onProgress?.(
      `history: rebuilt ${monthDate(month).slice(0, 7)} (${builders.size} SKUs)`,
    );
    options.onMonths?.(k + 1, list.length);
  });
  if (fresh) statement(db, "DELETE FROM elasticity_fits").run();
}

function isValid(table: Table, r: unknown[]): boolean {
  const ok = table === "competitor_prices" ? r[4] : r[6];
  return ok === 1 || ok === 1n;
}

/** Merges facts into their blocks and writes them. */
function writeBlocks(
  db: DatabaseSync,
  pending: ReadonlyMap<string, DayFacts[]>,
  report: SyncReport,
  merge: boolean,
): void {
  const read = statement(db, "SELECT data FROM history_blocks WHERE sku = ? AND month = ?");
  const write = statement(
    db,
    `INSERT OR REPLACE INTO history_blocks (sku, month, days, sales_days, data) VALUES (?,?,?,?,?)`,
  );
  for (const [key, facts] of pending) {
    const [sku, month] = key.split("\u0000");
    let block: Block = emptyBlock();
    if (merge) {
      const r = read.get(sku, Number(month));
      if (r) block = decodeBlock(r.data as Uint8Array);
    }
    const next = mergeFacts(block, facts);
    let sales = 0;
    for (let i = 0; i < next.flags.length; i++) if (next.flags[i] & HAS_SALES) sales++;
    write.run(sku, Number(month), next.day.length, sales, encodeBlock(next));
    report.blocks++;
  }
}

/** A stored value as SQL shows it, infinities by name (SQLite quotes them as 9.0e+999). */
function shown(column: string): string {
  return `CASE WHEN typeof("${column}") = 'real' AND abs("${column}") > 1.7976931348623157e308
    THEN CASE WHEN "${column}" > 0 THEN 'Infinity' ELSE '-Infinity' END ELSE quote("${column}") END`;
}

/** What fails in a row: each failing column with its stored value. */
function describe(db: DatabaseSync, table: QuarantinedRow["table"], id: number): QuarantinedRow {
  const checks = Object.entries(COLUMN_CHECKS[table]);
  const dateColumn = table === "catalog" ? "effective_date" : "date";
  const r = statement(
    db,
    `SELECT ${
      checks.map(([c, check], i) => `${shown(c)} AS v${i}, coalesce(${check}, 0) AS ok${i}`)
        .join(", ")
    },
       CASE WHEN ${COLUMN_CHECKS[table].sku} THEN sku END AS key_sku,
       CASE WHEN ${COLUMN_CHECKS[table][dateColumn]} THEN ${dateColumn} END AS key_date
     FROM ${table} WHERE id = ?`,
  ).get(id)!;
  const failing = checks.map(([c], i) => ({ c, v: String(r[`v${i}`]), ok: Number(r[`ok${i}`]) }))
    .filter((x) => x.ok !== 1);
  return {
    table,
    row_id: id,
    sku: r.key_sku === null ? null : String(r.key_sku),
    date: r.key_date === null ? null : String(r.key_date),
    problem: `fails its checks: ${failing.map((x) => `${x.c} = ${x.v}`).join(", ")}`,
  };
}

/** Records the rows in `input_quarantine` (the row as stored, as JSON), once each. */
function quarantine(db: DatabaseSync, rows: readonly QuarantinedRow[], by: string): void {
  const known = statement(
    db,
    "SELECT 1 FROM input_quarantine WHERE table_name = ? AND row_id = ?",
  );
  for (const q of rows) {
    if (known.get(q.table, q.row_id)) continue;
    const columns = Object.keys(COLUMN_CHECKS[q.table]);
    statement(
      db,
      `INSERT INTO input_quarantine (table_name, row_id, row_json, problem, recorded_by, sku, date)
       SELECT ?, id, json_object(${
        columns.map((c) => `'${c}', quote("${c}")`).join(", ")
      }), ?, ?, ?, ? FROM ${q.table} WHERE id = ?`,
    ).run(q.table, q.problem, by, q.sku, q.date, q.row_id);
  }
}

/** Drops the elasticity fits whose window holds a changed day (they are refitted when needed). */
function dropStaleFits(db: DatabaseSync, touched: ReadonlyMap<string, number>): void {
  const drop = statement(
    db,
    "DELETE FROM elasticity_fits WHERE sku = ? AND anchor >= ? AND anchor - window_days < ?",
  );
  for (const [sku, day] of touched) drop.run(sku, day, day);
}
