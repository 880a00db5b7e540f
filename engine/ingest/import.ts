/**
 * Importing contract files into a store. Every row is validated and every
 * problem collected (file, line, column, value, rule); a header that does not
 * match the contract refuses the file; sales, inventory and competitor rows
 * need their SKU in the catalog (the store's or this import's); a key (SKU and
 * date) twice in one import is refused with both lines named; a row equal to
 * the stored one is counted unchanged and not written again, a different one
 * is a correction accepted only with a reason; plausibility findings (revenue
 * far from units × shelf price, an outlier day, a cost jump) are recorded,
 * not refused. Point-of-sale lines are summed into daily sales, with zero-sale
 * rows on covered days and closed days for days without a line. A file
 * imported before (same kind, same content hash) changes nothing. With
 * `onError: "reject"` (the default) nothing is written when any row is bad.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { syncHistory } from "../store/history/sync.ts";
import { withBulkLoad } from "../store/bulk.ts";
import { CONTRACT, CONTRACT_KINDS, type ContractKind } from "../schema/contract.ts";
import type { CatalogRecord, SalesRecord } from "../schema/inputs.ts";
import type { CalendarDay, ImportIssue } from "../schema/imports.ts";
import {
  readCatalogHistory,
  readCatalogSkus,
  readImportByContent,
  readLastShelfPrices,
  readPricingPeriod,
  readRuns,
  readSales,
} from "../store/queries.ts";
import { isPeriodStart, periodStartOf, type PricingPeriod } from "../util/period.ts";
import { InputError } from "../util/errors.ts";
import {
  appendCalendarDays,
  appendImport,
  appendImportIssues,
  transaction,
} from "../store/writer.ts";
import { parseInput, plainText } from "../schema/common.ts";
import { addDays, toDayNumber } from "../util/date.ts";
import { sha256Bytes } from "../util/hash.ts";
import type { Rule } from "./cells.ts";
import { type AnyRecord, type KindAdapter, KINDS, type RecordKind } from "./kinds.ts";
import { readTable } from "./parse.ts";
import { checkHeader, type Problem, readRow } from "./rows.ts";
import { dailyTotals, type PosLine } from "./transactions.ts";

/** A file to import. */
export interface ImportFile {
  /** Its name, as problems and the import record name it. */
  file: string;
  /** Which of the contract's files it is (decides the expected header and rules). */
  kind: ContractKind;
  /** Its content, CSV or Parquet (told apart by the name's extension). */
  bytes: Uint8Array;
}

/** Options of {@linkcode importFiles}. */
export interface ImportOptions {
  /** Facts dated after this day are refused (the store's today, given by the caller). */
  asOf: string;
  /** Who imports (recorded). */
  actor: string;
  /** Why: recorded on the import and on every correction. Corrections need one. */
  reason?: string | null;
  /** "reject" (default): nothing is written when any row is bad. "skip": good rows are. */
  onError?: "reject" | "skip";
  /** Validate and report, write nothing. */
  dryRun?: boolean;
  /** SKU codes of point-of-sale lines that are not merchandise (postage, fees): skipped, counted. */
  excludeSkus?: readonly string[];
  /** Days a sales import declares closed (recorded in the trading calendar). */
  closedDays?: readonly string[];
  /** Wall-clock time for the records, supplied by the caller. */
  recordedAt?: string | null;
  /** Called with a line of progress per step (default: nothing is told). */
  onProgress?: (message: string) => void;
}

/** What one file's import did. */
export interface FileReport {
  /** The file's name, as given in {@linkcode ImportFile}. */
  file: string;
  /** The contract file it was read as. */
  kind: ContractKind;
  /** The sha256 of its bytes, which tells a file imported before. */
  sha256: string;
  /** Written, skipped as imported before, refused for bad rows, or only validated (dry run). */
  status: "imported" | "already_imported" | "rejected" | "validated";
  /** The import's id (of the earlier import when already imported), or null. */
  import_id: number | null;
  /** Rows read, written, equal to the stored row, written as corrections, and lines refused. */
  rows: { read: number; written: number; unchanged: number; corrected: number; rejected: number };
  /** Kind-specific facts (point-of-sale lines, covered days, closed days) and the issue count. */
  details: Record<string, unknown>;
}

/** What an import did, overall. */
export interface ImportReport {
  /** Written, refused, validated only, or every file imported before. */
  status: "imported" | "rejected" | "dry_run" | "already_imported";
  /** One report per file, in the contract's order (catalog first). */
  files: FileReport[];
  /** Bad cells and rows: how many, how many per rule, and the first 20. */
  problems: { total: number; by_rule: Record<string, number>; first: Problem[] };
  /** Plausibility findings (recorded, not refused): how many, per check, and the first 20. */
  quality: { total: number; by_check: Record<string, number>; first: ImportIssue[] };
}

/** The report, every problem, and a rejects file per input file with problems. */
export interface ImportResult {
  /** The summary a task prints. */
  report: ImportReport;
  /** Every problem of every file, not only the first 20. */
  problems: Problem[];
  /** For each file with problems: the rejects CSV (see {@linkcode rejectsCsv}). */
  rejects: { file: string; csv: string }[];
}

interface Staged {
  file: FileState;
  line: number;
  raw: string;
  record: AnyRecord;
  /** Set when the stored row differs and a reason was given. */
  correction?: boolean;
  unchanged?: boolean;
}

interface FileState {
  input: ImportFile;
  sha256: string;
  status: FileReport["status"];
  importId: number | null;
  read: number;
  problems: Problem[];
  header: string[];
  rawOf: Map<number, string>;
  staged: Staged[];
  pos: { line: number; raw: string; pos: PosLine }[];
  issues: ImportIssue[];
  calendar: CalendarDay[];
  details: Record<string, unknown>;
}

const recordKindOf = (kind: ContractKind): RecordKind => kind === "transactions" ? "sales" : kind;

const FIRST = 20;

/**
 * Imports `files` into the store, all in one transaction: every file of the
 * call is written, or none (with `onError: "reject"` and a bad row anywhere).
 *
 * @example A catalog and a day of sales
 * ```ts
 * import assert from "node:assert/strict";
 * import { importFiles, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const text = (s: string) => new TextEncoder().encode(s);
 * const { report } = await importFiles(db, [
 *   {
 *     file: "catalog.csv",
 *     kind: "catalog",
 *     bytes: text(
 *       "sku,effective_date,category,unit_cost,floor_price,ceiling_price,min_margin,max_daily_change,price_ending,active\n" +
 *         "A1,2024-01-01,snacks,1.2,1.99,3.99,0.1,0.1,99,true\n",
 *     ),
 *   },
 *   {
 *     file: "sales.csv",
 *     kind: "sales",
 *     bytes: text("sku,date,units,revenue,shelf_price\nA1,2024-01-02,3,7.47,2.49\n"),
 *   },
 * ], { asOf: "2024-01-03", actor: "alice" });
 * assert.equal(report.status, "imported");
 * assert.deepEqual(report.files.map((f) => f.rows.written), [1, 1]);
 * ```
 */
export async function importFiles(
  db: DatabaseSync,
  files: readonly ImportFile[],
  options: ImportOptions,
): Promise<ImportResult> {
  checkBookkeeping(files, options);
  refuseDuringShardedRun(db);
  const progress = options.onProgress ?? (() => {});
  // A weekly store's sales, inventory and competitor rows are one per week, dated by its start.
  const period = readPricingPeriod(db);
  const weekly = period.kind === "week" ? period : null;
  if (weekly && files.some((f) => f.kind === "transactions")) {
    throw new InputError(
      `Cannot import point-of-sale lines into a weekly store (weeks from ${weekly.weekStart}): ` +
        "sum them into one sales row per SKU and week, dated by the week's first day, and import those as sales",
    );
  }
  const ordered = [...files].sort((a, b) =>
    CONTRACT_KINDS.indexOf(a.kind) - CONTRACT_KINDS.indexOf(b.kind)
  );
  const states: FileState[] = [];
  for (const input of ordered) {
    const sha256 = sha256Bytes(input.bytes);
    const state: FileState = {
      input,
      sha256,
      status: "imported",
      importId: null,
      read: 0,
      problems: [],
      header: [],
      rawOf: new Map(),
      staged: [],
      pos: [],
      issues: [],
      calendar: [],
      details: {},
    };
    states.push(state);
    const earlier = readImportByContent(db, input.kind, sha256);
    if (earlier) {
      state.status = "already_imported";
      state.importId = earlier.id;
      progress(`${input.file}: already imported as import #${earlier.id}; skipped`);
      continue;
    }
    await stageFile(state, options, progress, weekly);
  }
  const live = states.filter((s) => s.status !== "already_imported");
  checkCatalogMembership(db, live);
  stageTransactions(db, live, options);
  checkDuplicates(live);
  compareWithStore(db, live, options);
  checkPlausibility(db, live);

  const problems = states.flatMap((s) => s.problems);
  const rejectedLines = (s: FileState) => new Set(s.problems.map((p) => p.line)).size;
  const bad = problems.length > 0;
  const refuse = bad && (options.onError ?? "reject") === "reject";
  const write = !refuse && !options.dryRun && live.length > 0;
  if (write) {
    transaction(db, () => {
      for (const s of live) writeFile(db, s, options, rejectedLines(s));
      // The history blocks take the new rows now, so the next daily run reads them at once.
      syncHistory(db, { recordedBy: "import" });
    });
  }
  for (const s of live) {
    s.status = refuse ? "rejected" : options.dryRun ? "validated" : "imported";
  }
  const reports = states.map((s) => fileReport(s, rejectedLines(s), write));
  const status: ImportReport["status"] = live.length === 0
    ? "already_imported"
    : refuse
    ? "rejected"
    : options.dryRun
    ? "dry_run"
    : "imported";
  const issues = states.flatMap((s) => s.issues);
  return {
    report: {
      status,
      files: reports,
      problems: {
        total: problems.length,
        by_rule: countBy(problems, (p) => p.rule),
        first: problems.slice(0, FIRST),
      },
      quality: {
        total: issues.length,
        by_check: countBy(issues, (i) => i.check),
        first: issues.slice(0, FIRST),
      },
    },
    problems,
    rejects: states.filter((s) => s.problems.length).map((s) => ({
      file: s.input.file,
      csv: rejectsCsv(s.header, [...s.problems].sort((a, b) => a.line - b.line), s.rawOf),
    })),
  };
}

/**
 * The import's own record (file names, actor, reason) must fit the store: refused up front
 * with `InputTypeError` rather than by the database halfway through.
 */
/**
 * Refuses an import while a run priced in shards is open: its shards must all read the
 * inputs it opened with (see `runDailyShard`). Nothing is read or written.
 */
function refuseDuringShardedRun(db: DatabaseSync): void {
  const open = readRuns(db, { limit: 50 }).filter((r) => r.status === "started");
  if (open.length) {
    throw new InputError(
      `Cannot import while run ${open[0].run_id} is being priced in shards: its remaining shards ` +
        "must read the inputs the run opened with; import after its last shard commits " +
        "(deno task daily --shard K/N for the missing ones)",
    );
  }
}

function checkBookkeeping(files: readonly ImportFile[], options: ImportOptions): void {
  for (const f of files) parseInput(plainText(1000).min(1), f.file, "import a file of that name");
  parseInput(plainText(100).min(1), options.actor, "import as that actor");
  if (options.reason != null) {
    parseInput(plainText(500).min(1), options.reason, "import with that reason");
  }
}

function countBy<T>(list: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of list) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function problem(
  s: FileState,
  line: number,
  column: string,
  value: string,
  rule: Rule,
  message: string,
): void {
  s.problems.push({ file: s.input.file, line, column, value, rule, message });
}

/** Reads a file's rows into staged records (or point-of-sale lines), collecting problems. */
async function stageFile(
  s: FileState,
  options: ImportOptions,
  progress: (m: string) => void,
  period: PricingPeriod | null,
): Promise<void> {
  const spec = CONTRACT[s.input.kind];
  const table = await readTable(s.input.file, s.input.bytes);
  s.header = table.header;
  const map = checkHeader(spec, table.header, s.input.file);
  if ("problems" in map) {
    s.problems.push(...map.problems);
    for await (const _ of table.rows) s.read++;
    return;
  }
  const exclude = new Set(options.excludeSkus ?? []);
  const excluded: Record<string, number> = {};
  const reason = options.reason ?? "imported";
  for await (const row of table.rows) {
    if (++s.read % 100_000 === 0) progress(`${s.input.file}: ${s.read} rows read`);
    const where = { file: s.input.file, line: row.line };
    if (s.input.kind === "transactions") {
      const sku = row.cells[map.positions[0]]?.trim() ?? "";
      if (exclude.has(sku)) {
        excluded[sku] = (excluded[sku] ?? 0) + 1;
        continue;
      }
    }
    const read = readRow(map, row.cells, where);
    if (!read.ok) {
      s.problems.push(...read.problems);
      s.rawOf.set(row.line, row.raw);
      continue;
    }
    const v = read.values;
    if (s.input.kind === "transactions") {
      const pos: PosLine = {
        sku: v.sku as string,
        date: v.timestamp as string,
        quantity: v.quantity as number,
        unit_price: v.unit_price as number,
        line: row.line,
      };
      if (pos.date > options.asOf) {
        problem(
          s,
          row.line,
          "timestamp",
          String(v.timestamp),
          "after_as_of",
          `dated after ${options.asOf}, the as-of day`,
        );
        s.rawOf.set(row.line, row.raw);
        continue;
      }
      s.pos.push({ line: row.line, raw: row.raw, pos });
      continue;
    }
    const adapter = KINDS[recordKindOf(s.input.kind)] as KindAdapter<AnyRecord>;
    const record = adapter.toRecord(v, reason);
    const checks = adapter.check(record);
    const fact = adapter.factDate(record);
    if (fact !== null && fact > options.asOf) {
      checks.push({
        column: "date",
        rule: "after_as_of",
        message: `dated after ${options.asOf}, the as-of day`,
      });
    }
    if (fact !== null && period && !isPeriodStart(period, fact)) {
      checks.push({
        column: "date",
        rule: "not_period_start",
        message:
          `a weekly store's rows are dated by their week's first day (${period.weekStart}): ${
            periodStartOf(period, fact)
          } for this week`,
      });
    }
    if (checks.length) {
      for (const c of checks) {
        problem(s, row.line, c.column, String(v[c.column] ?? ""), c.rule, c.message);
      }
      s.rawOf.set(row.line, row.raw);
      continue;
    }
    s.staged.push({ file: s, line: row.line, raw: row.raw, record });
  }
  if (s.input.kind === "transactions") s.details.excluded = excluded;
}

/** Sales, inventory, competitor and transaction rows need their SKU in the catalog. */
function checkCatalogMembership(db: DatabaseSync, states: FileState[]): void {
  const known = readCatalogSkus(db);
  for (const s of states) {
    if (s.input.kind === "catalog") { for (const r of s.staged) known.add(r.record.sku); }
  }
  const message = "not in catalog: import its catalog row first (or in the same import)";
  for (const s of states) {
    if (s.input.kind === "catalog") continue;
    s.staged = s.staged.filter((r) => {
      if (known.has(r.record.sku)) return true;
      problem(s, r.line, "sku", r.record.sku, "not_in_catalog", message);
      s.rawOf.set(r.line, r.raw);
      return false;
    });
    s.pos = s.pos.filter((p) => {
      if (known.has(p.pos.sku)) return true;
      problem(s, p.line, "sku", p.pos.sku, "not_in_catalog", message);
      s.rawOf.set(p.line, p.raw);
      return false;
    });
  }
}

/**
 * Sums point-of-sale lines into daily sales; on every covered day (from the first to the
 * last line's date) each active catalog SKU without a line gets a zero-sale row at its last
 * known shelf price, and a day without any line is a closed day.
 */
function stageTransactions(db: DatabaseSync, states: FileState[], options: ImportOptions): void {
  const sales = states.filter((s) => s.input.kind === "sales");
  for (const s of sales) {
    for (const date of options.closedDays ?? []) {
      s.calendar.push({ date, status: "closed", reason: `declared closed by ${s.input.file}` });
    }
  }
  const txs = states.filter((s) => s.input.kind === "transactions");
  if (txs.length === 0) return;
  const catalog = catalogTimeline(db, states);
  for (const s of txs) {
    const days = new Set<string>();
    let first: string | null = null, last: string | null = null;
    for (const { pos } of s.pos) {
      days.add(pos.date);
      if (first === null || pos.date < first) first = pos.date;
      if (last === null || pos.date > last) last = pos.date;
    }
    const totals = dailyTotals(s.pos.map((p) => p.pos));
    const rawOfLine = new Map(s.pos.map((p) => [p.line, p.raw]));
    const reason = options.reason ?? "imported";
    const byDay = new Map<string, typeof totals>();
    for (const t of totals) {
      const list = byDay.get(t.date);
      if (list) list.push(t);
      else byDay.set(t.date, [t]);
    }
    const lastPrice = first
      ? readLastShelfPrices(db, first, catalog.skus)
      : new Map<string, number>();
    let zeroRows = 0, withoutPrice = 0;
    const closed: string[] = [];
    for (let d = first; d !== null && d <= last!; d = addDays(d, 1)) {
      const list = byDay.get(d) ?? [];
      if (!days.has(d)) {
        closed.push(d);
        s.calendar.push({ date: d, status: "closed", reason: `no sales line in ${s.input.file}` });
        continue;
      }
      const sold = new Set<string>();
      for (const t of list) {
        sold.add(t.sku);
        if (!Number.isSafeInteger(t.units + t.returned_units) || !Number.isFinite(t.revenue)) {
          problem(
            s,
            t.line,
            "quantity",
            `${t.units} units, ${t.returned_units} returned, revenue ${t.revenue}`,
            "out_of_range",
            `the lines of ${t.sku} on ${d} (from line ${t.line}) add up to more than a store can keep (units at most ${Number.MAX_SAFE_INTEGER}, a finite revenue)`,
          );
          s.rawOf.set(t.line, rawOfLine.get(t.line) ?? "");
          continue;
        }
        if (t.returnsExceedSales) {
          s.issues.push({
            line: t.line,
            sku: t.sku,
            check: "RETURNS_EXCEED_SALES",
            field: "quantity",
            value: String(t.returned_units),
            message:
              `${t.returned_units} units returned on ${d} exceed the units sold; net units recorded as 0`,
          });
        }
        const shelf = t.shelf_price ?? lastPrice.get(t.sku) ?? null;
        if (shelf === null) {
          withoutPrice++;
          continue;
        }
        lastPrice.set(t.sku, shelf);
        const record: SalesRecord = {
          sku: t.sku,
          date: d,
          units: t.units,
          returned_units: t.returned_units,
          revenue: t.revenue,
          shelf_price: shelf,
          promo: false,
          reason,
        };
        s.staged.push({ file: s, line: t.line, raw: rawOfLine.get(t.line) ?? "", record });
      }
      for (const sku of catalog.activeOn(d)) {
        if (sold.has(sku)) continue;
        const shelf = lastPrice.get(sku);
        if (shelf === undefined) {
          withoutPrice++;
          continue;
        }
        zeroRows++;
        s.staged.push({
          file: s,
          line: 0,
          raw: "",
          record: {
            sku,
            date: d,
            units: 0,
            returned_units: 0,
            revenue: 0,
            shelf_price: shelf,
            promo: false,
            reason,
          } satisfies SalesRecord,
        });
      }
    }
    Object.assign(s.details, {
      lines: s.pos.length,
      covered: first ? { from: first, to: last } : null,
      sales_rows: s.staged.length,
      zero_sale_rows: zeroRows,
      skipped_without_shelf_price: withoutPrice,
      closed_days: closed,
    });
  }
}

/** Which SKUs are active on a day, from the store's catalog and this import's. */
function catalogTimeline(
  db: DatabaseSync,
  states: FileState[],
): { skus: readonly string[]; activeOn(date: string): string[] } {
  const records: CatalogRecord[] = [...readCatalogHistory(db, "2200-01-01")];
  for (const s of states) {
    if (s.input.kind === "catalog") {
      for (const r of s.staged) records.push(r.record as CatalogRecord);
    }
  }
  const bySku = new Map<string, CatalogRecord[]>();
  for (const r of records) {
    const list = bySku.get(r.sku);
    if (list) list.push(r);
    else bySku.set(r.sku, [r]);
  }
  for (const list of bySku.values()) {
    list.sort((
      a,
      b,
    ) => (a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : 0));
  }
  const skus = [...bySku.keys()].sort();
  return {
    skus,
    activeOn(date) {
      return skus.filter((sku) => {
        let inForce: CatalogRecord | null = null;
        for (const r of bySku.get(sku)!) {
          if (r.effective_date <= date) inForce = r;
          else break;
        }
        return inForce?.active ?? false;
      });
    },
  };
}

const keyOf = (kind: RecordKind, r: AnyRecord) =>
  `${r.sku}\u0000${(KINDS[kind] as KindAdapter<AnyRecord>).keyDate(r)}`;

/** A key twice in one import: both rows refused, each naming the other's line. */
function checkDuplicates(states: FileState[]): void {
  const kinds = new Set(states.map((s) => recordKindOf(s.input.kind)));
  for (const kind of kinds) {
    const first = new Map<string, Staged>();
    const dupes = new Set<Staged>();
    const where = (r: Staged) => `${r.file.input.file} line ${r.line || "(a zero-sale day)"}`;
    for (const s of states) {
      if (recordKindOf(s.input.kind) !== kind) continue;
      for (const r of s.staged) {
        const key = keyOf(kind, r.record);
        const seen = first.get(key);
        if (!seen) {
          first.set(key, r);
          continue;
        }
        for (const [a, b] of [[r, seen], [seen, r]] as const) {
          if (a === seen && dupes.has(seen)) continue;
          const date = (KINDS[kind] as KindAdapter<AnyRecord>).keyDate(a.record);
          problem(
            a.file,
            a.line,
            "sku",
            a.record.sku,
            "duplicate_key",
            `${a.record.sku} on ${date} is also at ${where(b)}`,
          );
          a.file.rawOf.set(a.line, a.raw);
          dupes.add(a);
        }
      }
    }
    for (const s of states) s.staged = s.staged.filter((r) => !dupes.has(r));
  }
}

/** Compares staged rows with the stored ones: unchanged, a correction (with a reason), or a conflict. */
function compareWithStore(db: DatabaseSync, states: FileState[], options: ImportOptions): void {
  const kinds = new Set(states.map((s) => recordKindOf(s.input.kind)));
  for (const kind of kinds) {
    const adapter = KINDS[kind] as KindAdapter<AnyRecord>;
    const mine = states.filter((s) => recordKindOf(s.input.kind) === kind);
    let from: string | null = null, to: string | null = null;
    for (const s of mine) {
      for (const r of s.staged) {
        const d = adapter.keyDate(r.record);
        if (from === null || d < from) from = d;
        if (to === null || d > to) to = d;
      }
    }
    if (from === null) continue;
    const stored = new Map<string, AnyRecord>();
    for (const r of adapter.readStored(db, from, to!)) stored.set(keyOf(kind, r), r);
    for (const s of mine) {
      s.staged = s.staged.filter((r) => {
        const old = stored.get(keyOf(kind, r.record));
        if (!old) return true;
        const a = adapter.facts(r.record), b = adapter.facts(old);
        const changes = adapter.factNames.flatMap((n, i) =>
          a[i] === b[i] ? [] : [`${n} ${JSON.stringify(b[i])} -> ${JSON.stringify(a[i])}`]
        );
        if (changes.length === 0) {
          r.unchanged = true;
          return true;
        }
        if (options.reason) {
          r.correction = true;
          return true;
        }
        problem(
          s,
          r.line,
          "",
          changes.join("; "),
          "conflict",
          `differs from the stored row for ${r.record.sku} on ${adapter.keyDate(r.record)} (${
            changes.join("; ")
          }); pass --reason to record it as a correction`,
        );
        s.rawOf.set(r.line, r.raw);
        return false;
      });
    }
  }
}

/**
 * Plausibility, recorded as issues (the rows are still written): revenue more than 50% away
 * from units × shelf price; a day's units above 10 × the SKU's 99th percentile of daily units
 * over the 90 days before it (stored or imported rows; with at most 90 daily rows in the window
 * that percentile is the largest of them; at least 1, and only after 7 days with a row);
 * a unit cost more than 25% away from the SKU's previous catalog row.
 */
function checkPlausibility(db: DatabaseSync, states: FileState[]): void {
  const sales = states.filter((s) => recordKindOf(s.input.kind) === "sales");
  const staged = sales.flatMap((s) => s.staged.filter((r) => !r.unchanged));
  if (staged.length) {
    let first = "9999-12-31";
    for (const r of staged) {
      if ((r.record as SalesRecord).date < first) first = (r.record as SalesRecord).date;
    }
    const limitOf = outlierLimits(readSales(db, addDays(first, -90), first), staged);
    for (const r of staged) {
      const x = r.record as SalesRecord;
      const expected = x.units * x.shelf_price;
      if (x.units > 0 && Math.abs(x.revenue - expected) > 0.5 * expected) {
        r.file.issues.push({
          line: r.line || null,
          sku: x.sku,
          check: "REVENUE_MISMATCH",
          field: "revenue",
          value: String(x.revenue),
          message:
            `revenue ${x.revenue} on ${x.date} is more than 50% away from units x shelf price (${x.units} x ${x.shelf_price})`,
        });
      }
      const limit = limitOf.get(r);
      if (limit !== undefined && x.units > limit) {
        r.file.issues.push({
          line: r.line || null,
          sku: x.sku,
          check: "UNITS_OUTLIER",
          field: "units",
          value: String(x.units),
          message:
            `${x.units} units on ${x.date} exceed 10 x the SKU's 99th percentile of daily units (${
              limit / 10
            })`,
        });
      }
    }
  }
  const catalogs = states.filter((s) => s.input.kind === "catalog");
  if (catalogs.length) {
    const bySku = new Map<string, { date: string; cost: number }[]>();
    const add = (sku: string, date: string, cost: number) => {
      const list = bySku.get(sku);
      if (list) list.push({ date, cost });
      else bySku.set(sku, [{ date, cost }]);
    };
    for (const r of readCatalogHistory(db, "2200-01-01")) add(r.sku, r.effective_date, r.unit_cost);
    for (const s of catalogs) {
      for (const r of s.staged) {
        const c = r.record as CatalogRecord;
        const before = (bySku.get(c.sku) ?? []).filter((x) => x.date < c.effective_date)
          .sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1);
        if (before && Math.abs(c.unit_cost / before.cost - 1) > 0.25) {
          s.issues.push({
            line: r.line,
            sku: c.sku,
            check: "COST_JUMP",
            field: "unit_cost",
            value: String(c.unit_cost),
            message:
              `unit cost ${before.cost} -> ${c.unit_cost} on ${c.effective_date} changes by more than 25%`,
          });
        }
        add(c.sku, c.effective_date, c.unit_cost);
      }
    }
  }
}

/**
 * For each staged sales row, 10 × the largest daily units of its SKU over the 90 days
 * before it (at least 10), when the SKU has rows on at least 7 of those days.
 */
function outlierLimits(
  stored: readonly SalesRecord[],
  staged: readonly Staged[],
): Map<Staged, number> {
  type Point = { day: number; units: number; row: Staged | null };
  const bySku = new Map<string, Point[]>();
  const add = (sku: string, p: Point) => {
    const list = bySku.get(sku);
    if (list) list.push(p);
    else bySku.set(sku, [p]);
  };
  for (const r of stored) add(r.sku, { day: toDayNumber(r.date), units: r.units, row: null });
  for (const r of staged) {
    const x = r.record as SalesRecord;
    add(x.sku, { day: toDayNumber(x.date), units: x.units, row: r });
  }
  const out = new Map<Staged, number>();
  for (const points of bySku.values()) {
    points.sort((a, b) => a.day - b.day);
    // A sliding window of the 90 days before each point; `maxes` holds indexes whose units
    // decrease, so its head is the window's largest.
    const maxes: number[] = [];
    let head = 0, start = 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      while (start < i && points[start].day < p.day - 90) start++;
      while (head < maxes.length && maxes[head] < start) head++;
      if (p.row && i - start >= 7 && head < maxes.length) {
        out.set(p.row, 10 * Math.max(1, points[maxes[head]].units));
      }
      while (maxes.length > head && points[maxes[maxes.length - 1]].units <= p.units) maxes.pop();
      maxes.push(i);
    }
  }
  return out;
}

/** The table each kind of record is stored in. */
const TABLES = {
  catalog: "catalog",
  sales: "sales",
  inventory: "inventory",
  competitor: "competitor_prices",
} as const satisfies Record<RecordKind, string>;

function writeFile(db: DatabaseSync, s: FileState, options: ImportOptions, rejected: number): void {
  const kind = recordKindOf(s.input.kind);
  const adapter = KINDS[kind] as KindAdapter<AnyRecord>;
  const toWrite = s.staged.filter((r) => !r.unchanged);
  const corrected = toWrite.filter((r) => r.correction).length;
  const reason = options.reason ?? null;
  s.importId = appendImport(db, {
    kind: s.input.kind,
    file: s.input.file,
    sha256: s.sha256,
    rows: {
      read: s.read,
      written: toWrite.length,
      unchanged: s.staged.length - toWrite.length,
      rejected,
    },
    details: { ...s.details, corrected, issues: s.issues.length },
    actor: options.actor,
    reason,
    recordedAt: options.recordedAt ?? null,
  });
  const records = toWrite.map((r) => r.correction && reason ? { ...r.record, reason } : r.record);
  // Every record was built from cells the contract checked and satisfies its schema
  // (engine/ingest/records_test.ts): the appender's per-row zod pass would only repeat it.
  // A large load into a table that holds fewer rows (a first import) builds its indexes once.
  withBulkLoad(
    db,
    TABLES[kind],
    records.length,
    () => adapter.append(db, records, { importId: s.importId, validate: false }),
  );
  appendImportIssues(db, s.importId, s.issues);
  appendCalendarDays(db, s.calendar, s.importId);
}

function fileReport(s: FileState, rejected: number, written: boolean): FileReport {
  const toWrite = s.staged.filter((r) => !r.unchanged);
  return {
    file: s.input.file,
    kind: s.input.kind,
    sha256: s.sha256,
    status: s.status,
    import_id: s.importId,
    rows: {
      read: s.read,
      written: written ? toWrite.length : 0,
      unchanged: s.staged.length - toWrite.length,
      corrected: toWrite.filter((r) => r.correction).length,
      rejected,
    },
    details: { ...s.details, issues: s.issues.length },
  };
}

/**
 * The rejects file of one imported file: its header, then for every problem the
 * original row's cells followed by `line, column, value, problem`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { rejectsCsv } from "./import.ts";
 *
 * const csv = rejectsCsv(["sku", "units"], [
 *   { file: "s.csv", line: 3, column: "units", value: "-1", rule: "negative", message: "expected a whole number >= 0" },
 * ], new Map([[3, "A1,-1"]]));
 * assert.equal(csv, 'sku,units,line,column,value,problem\nA1,-1,3,units,-1,negative: expected a whole number >= 0\n');
 * ```
 */
export function rejectsCsv(
  header: readonly string[],
  problems: readonly Problem[],
  rawOf: ReadonlyMap<number, string>,
): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [[...header, "line", "column", "value", "problem"].map(cell).join(",")];
  for (const p of problems) {
    const raw = rawOf.get(p.line);
    const original = raw === undefined || raw === "" ? header.map(() => "").join(",") : raw;
    lines.push(
      `${original},${p.line},${cell(p.column)},${cell(p.value)},${cell(`${p.rule}: ${p.message}`)}`,
    );
  }
  return lines.join("\n") + "\n";
}
