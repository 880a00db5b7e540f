/**
 * Verifying the audit trail: every append-only trigger in place and unaltered,
 * every link of the run chain recomputed from the stored rows (inputs, events,
 * snapshots, decisions, overrides, model) and linked to the one before, every
 * snapshot id equal to the sha256 of its stored features, every stored output
 * digest equal to the decisions', no succeeded run without its link and no run
 * event after a success. Each break is named: what, where (table and key),
 * expected and found.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { ChainPayload, RunChainLink } from "../schema/run.ts";
import { modelOfVersion } from "../registry/load.ts";
import { readDecisions, readRuns } from "../store/queries.ts";
import {
  CHAINED_TABLES,
  readRunChain,
  readRunEventTexts,
  readRunIds,
  readSnapshotTexts,
} from "../store/read/integrity.ts";
import { countTriggers, triggerDifferences } from "../store/schema_check.ts";
import { canonicalJson, sha256Hex } from "../util/hash.ts";
import { chainPayload, GENESIS, linkHash } from "./chain.ts";
import { outputDigest } from "./digest.ts";
import { replayRun } from "./replay.ts";

/** One thing that does not verify. */
export interface Finding {
  /** Which check failed. */
  check:
    | "trigger"
    | "chain_order"
    | "chain_hash"
    | "run_missing"
    | "link_missing"
    | "input_rows"
    | "events"
    | "snapshots"
    | "snapshot_id"
    | "decisions"
    | "output_digest"
    | "overrides"
    | "model"
    | "config"
    | "stray_event";
  /** The table where the break is. */
  table: string;
  /** Which rows of it: a run id, a chain link, a trigger's name or an id range. */
  key: string;
  /** What the check expected there (a hash, a row, a trigger). */
  expected: string;
  /** What it found instead. */
  found: string;
  /** The break in words. */
  message: string;
}

/** What {@linkcode verifyStore} checked and found. */
export interface VerifyReport {
  /** Whether nothing was found. */
  ok: boolean;
  /** Triggers (-1 when some are missing or altered), links, runs and snapshots checked. */
  checked: { triggers: number; links: number; runs: number; snapshots: number };
  /** The chain's head: the newest link's hash (keep it somewhere else to detect a rewrite of everything). */
  chain_head: string | null;
  /** Every break found, in the order checked. */
  findings: Finding[];
}

/** Options of {@linkcode verifyStore}. */
export interface VerifyOptions {
  /** Recompute the links, snapshots and decisions of runs dated on or after this date only. */
  from?: string;
}

/**
 * Verifies the store's audit trail.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily, verifyStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * runDaily(db, { runDate: "2025-02-01", model: null });
 * assert.equal(verifyStore(db).ok, true);
 * db.exec("DROP TRIGGER sales_no_update");
 * db.exec("UPDATE sales SET units = 30");
 * const report = verifyStore(db);
 * assert.equal(report.ok, false);
 * assert.deepEqual(report.findings.map((f) => f.check), ["trigger", "input_rows"]);
 * ```
 */
export function verifyStore(db: DatabaseSync, options: VerifyOptions = {}): VerifyReport {
  const findings: Finding[] = [];
  const triggers = triggerDifferences(db);
  for (const t of triggers) {
    findings.push({
      check: "trigger",
      table: "sqlite_master",
      key: t.split(" ")[1],
      expected: "the trigger its migration creates",
      found: t.includes("missing") ? "missing" : "altered",
      message: t,
    });
  }
  const links = readRunChain(db);
  const runIds = readRunIds(db);
  let snapshots = 0, runs = 0;
  links.forEach((link, i) => {
    const previous = links[i - 1] ?? null;
    findings.push(...checkLink(db, link, previous, runIds));
    if (options.from && link.payload.run_date < options.from) return;
    if (!runIds.has(link.run_id)) return;
    runs++;
    snapshots += checkSnapshots(db, link.payload.run_date, findings);
  });
  findings.push(...unchainedRuns(db, links));
  findings.push(...strayEvents(db));
  return {
    ok: findings.length === 0,
    checked: {
      triggers: triggers.length ? -1 : countTriggers(db),
      links: links.length,
      runs,
      snapshots,
    },
    chain_head: links.at(-1)?.hash ?? null,
    findings,
  };
}

/**
 * Input rows a run's pre-write check re-hashes at most: a newest link that committed to more
 * (the first run over a loaded history of millions of rows) has the rest of its payload
 * checked and its input rows left to `deno task verify`, which re-hashes every row.
 */
export const CHECK_INPUT_ROWS = 2_000_000;

/**
 * The checks a run makes before it writes: every trigger in place, and the newest chain
 * link recomputed from the stored rows (its input rows too when they are at most
 * `inputRowsLimit`, default {@linkcode CHECK_INPUT_ROWS}). Empty when they hold.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../mod.ts";
 * import { checkBeforeRun } from "./verify.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(checkBeforeRun(db), []);
 * db.exec("DROP TRIGGER sales_no_update");
 * const [finding] = checkBeforeRun(db);
 * assert.equal(finding.check, "trigger");
 * assert.equal(finding.found, "missing");
 * ```
 */
export function checkBeforeRun(
  db: DatabaseSync,
  inputRowsLimit: number = CHECK_INPUT_ROWS,
): Finding[] {
  const findings: Finding[] = triggerDifferences(db).map((t) => ({
    check: "trigger" as const,
    table: "sqlite_master",
    key: t.split(" ")[1],
    expected: "the trigger its migration creates",
    found: t.includes("missing") ? "missing" : "altered",
    message: t,
  }));
  const links = readRunChain(db, 0);
  const last = links.at(-1);
  if (last) {
    findings.push(...checkLink(db, last, links.at(-2) ?? null, readRunIds(db), inputRowsLimit));
  }
  return findings;
}

/** One link against the stored rows and the link before it. */
function checkLink(
  db: DatabaseSync,
  link: RunChainLink,
  previous: RunChainLink | null,
  runIds: ReadonlySet<string>,
  inputRowsLimit = Infinity,
): Finding[] {
  const out: Finding[] = [];
  const key = `seq ${link.seq} (run ${link.run_id})`;
  const prev = previous?.hash ?? GENESIS;
  if (link.prev_hash !== prev) {
    out.push({
      check: "chain_order",
      table: "run_chain",
      key,
      expected: prev,
      found: link.prev_hash,
      message: `link ${key} does not follow the link before it`,
    });
  }
  const stored = linkHash(link.prev_hash, link.payload);
  if (stored !== link.hash) {
    out.push({
      check: "chain_hash",
      table: "run_chain",
      key,
      expected: stored,
      found: link.hash,
      message: `link ${key} was edited: its hash is not the hash of its payload`,
    });
  }
  if (!runIds.has(link.run_id)) {
    out.push({
      check: "run_missing",
      table: "runs",
      key: link.run_id,
      expected: "a run row",
      found: "none",
      message: `run ${link.run_id} is in the chain but its run row is gone`,
    });
    return out;
  }
  const from: Record<string, number> = {}, to: Record<string, number> = {};
  for (const t of CHAINED_TABLES) {
    from[t] = previous?.payload.inputs[t]?.to_id ?? 0;
    to[t] = link.payload.inputs[t]?.to_id ?? 0;
  }
  let now: ChainPayload;
  try {
    const rows = CHAINED_TABLES.reduce((n, t) => n + Math.max(0, to[t] - from[t]), 0);
    now = chainPayload(
      db,
      link.run_id,
      from,
      to,
      rows > inputRowsLimit ? link.payload.inputs : undefined,
    );
  } catch (error) {
    // The run's own records cannot be read back (its start record deleted or rewritten).
    out.push({
      check: "events",
      table: "run_events",
      key: link.run_id,
      expected: "the run's start record, as the link committed to it",
      found: String((error as Error)?.message ?? error).slice(0, 200),
      message: `run ${link.run_id}'s events cannot be read back to recompute its link`,
    });
    return out;
  }
  out.push(...comparePayload(db, link, now));
  return out;
}

function comparePayload(db: DatabaseSync, link: RunChainLink, now: ChainPayload): Finding[] {
  const out: Finding[] = [];
  const was = link.payload;
  const run = link.run_id;
  for (const t of CHAINED_TABLES) {
    const a = was.inputs[t]?.blocks ?? [], b = now.inputs[t]?.blocks ?? [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]?.hash === b[i]?.hash && a[i]?.to_id === b[i]?.to_id) continue;
      const end = a[i]?.to_id ?? b[i]?.to_id ?? 0;
      const start = Math.max(
        was.inputs[t]?.after_id ?? 0,
        Math.ceil(end / 10_000) * 10_000 - 10_000,
      );
      out.push({
        check: "input_rows",
        table: t,
        key: `ids ${start + 1} to ${end}`,
        expected: a[i]?.hash ?? "no rows",
        found: b[i]?.hash ?? "no rows",
        message: `${t} rows with ids ${
          start + 1
        } to ${end}, which run ${run} committed to, were rewritten or deleted`,
      });
      break;
    }
  }
  const simple: [Finding["check"], string, keyof ChainPayload, string][] = [
    ["events", "run_events", "events", `the events of run ${run} were rewritten`],
    ["snapshots", "feature_snapshots", "snapshots", `the snapshots of run ${run} were rewritten`],
    ["overrides", "overrides", "overrides", `the overrides run ${run} saw were rewritten`],
    ["config", "runs", "config_hash", `the run row of ${run} was rewritten`],
  ];
  for (const [check, table, field, message] of simple) {
    if (canonicalJson(was[field]) !== canonicalJson(now[field])) {
      out.push({
        check,
        table,
        key: run,
        expected: String(canonicalJson(was[field])),
        found: String(canonicalJson(now[field])),
        message,
      });
    }
  }
  if (canonicalJson(was.model) !== canonicalJson(now.model)) {
    out.push({
      check: "model",
      table: "models",
      key: was.model?.version ?? "none",
      expected: was.model?.artifact ?? "none",
      found: now.model?.artifact ?? "none",
      message: `the model that priced run ${run} was rewritten`,
    });
  }
  if (was.decisions !== now.decisions) {
    let skus: string[] = [];
    try {
      skus = replayRun(db, run, (v) => modelOfVersion(db, v)).differing_skus;
    } catch {
      // The replay itself may fail on a rewritten record; the finding stands without SKUs.
    }
    out.push({
      check: "decisions",
      table: "decisions",
      key: skus.length ? `${run} SKU ${skus.join(", ")}` : run,
      expected: was.decisions,
      found: now.decisions,
      message: `decisions of run ${run} were rewritten${
        skus.length ? ` (replay differs for ${skus.join(", ")})` : ""
      }`,
    });
  }
  return out;
}

/** Each snapshot id against the sha256 of its stored features; returns how many were checked. */
function checkSnapshots(db: DatabaseSync, runDate: string, out: Finding[]): number {
  const rows = readSnapshotTexts(db, runDate);
  for (const r of rows) {
    const hash = sha256Hex(r.features);
    if (hash !== r.snapshot_id) {
      out.push({
        check: "snapshot_id",
        table: "feature_snapshots",
        key: `${runDate} ${r.sku}`,
        expected: r.snapshot_id,
        found: hash,
        message: `the features of ${r.sku} on ${runDate} do not hash to their snapshot id`,
      });
    }
  }
  return rows.length;
}

/** Succeeded runs from the first chained run on without a link; stored digests that disagree. */
function unchainedRuns(db: DatabaseSync, links: readonly RunChainLink[]): Finding[] {
  if (links.length === 0) return [];
  const chained = new Set(links.map((l) => l.run_id));
  const first = links[0].payload.run_date;
  const out: Finding[] = [];
  for (const r of readRuns(db)) {
    if (r.status !== "succeeded") continue;
    if (r.run_date >= first && !chained.has(r.run_id)) {
      out.push({
        check: "link_missing",
        table: "run_chain",
        key: r.run_id,
        expected: "a link",
        found: "none",
        message: `run ${r.run_id} succeeded but has no link in the run chain`,
      });
    }
    if (!chained.has(r.run_id)) continue;
    const stored = String(r.details.output_digest ?? "");
    const now = outputDigest(readDecisions(db, r.run_id));
    if (stored !== now) {
      out.push({
        check: "output_digest",
        table: "run_events",
        key: r.run_id,
        expected: stored,
        found: now,
        message: `the output digest stored for run ${r.run_id} is not its decisions' digest`,
      });
    }
  }
  return out;
}

/**
 * Run events after a success, or a second success; a run left started that no run can
 * leave (one without shards: a run writes its start and its end in one transaction); an
 * event whose details are not a JSON object: reported, never fatal to later runs.
 */
function strayEvents(db: DatabaseSync): Finding[] {
  const out: Finding[] = [];
  const runs = readRuns(db);
  const logged = new Set(runs.map((r) => r.run_id));
  for (const id of [...readRunIds(db)].filter((id) => !logged.has(id)).sort()) {
    out.push({
      check: "stray_event",
      table: "runs",
      key: id,
      expected: "a run with its events",
      found: "no event",
      message: `run ${id} has a run row but no event, which no run leaves; later runs step over it`,
    });
  }
  for (const r of runs) {
    const events = readRunEventTexts(db, r.run_id);
    if ("unreadable" in r.details) {
      out.push({
        check: "stray_event",
        table: "run_events",
        key: r.run_id,
        expected: "details that are a JSON object",
        found: String(r.details.unreadable).slice(0, 80),
        message: `run ${r.run_id}'s ${r.status} event has details that are not a JSON object`,
      });
    }
    if (r.status === "started" && typeof r.details.shards !== "number") {
      out.push({
        check: "stray_event",
        table: "run_events",
        key: r.run_id,
        expected: "a run that ended (succeeded or failed), or one priced in shards",
        found: "started, without shards",
        message:
          `run ${r.run_id} is left started without shards, which no run leaves; later runs of ${r.run_date} step over it`,
      });
    }
    const i = events.findIndex((e) => e.event === "succeeded");
    if (i < 0) continue;
    for (const e of events.slice(i + 1)) {
      out.push({
        check: "stray_event",
        table: "run_events",
        key: `id ${e.id}`,
        expected: "no event after the run succeeded",
        found: e.event,
        message: `run ${r.run_id} has a '${e.event}' event (id ${e.id}) after it succeeded`,
      });
    }
  }
  return out;
}
