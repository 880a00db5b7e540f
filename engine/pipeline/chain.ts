/**
 * The run chain: each succeeded run appends a link that commits to what it read
 * and wrote — the input rows appended since the previous link (id range and
 * content hash), its snapshots, its decisions, its recorded events, the
 * overrides it saw and its model's artifact — and to the previous link's hash.
 * The same function computes a link when a run writes it and when `verify`
 * recomputes it from the stored rows, so a row rewritten through SQL breaks the
 * chain at the first run that committed to it.
 *
 * It cannot stop someone who rewrites the whole file and every hash: keep the
 * chain's head (`chain_head` in the daily run's JSON summary) somewhere else.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { ChainPayload, RunStartDetails } from "../schema/run.ts";
import { parseOrThrow } from "../schema/common.ts";
import { readDecisions } from "../store/queries.ts";
import {
  CHAINED_TABLES,
  hashRowBlocks,
  maxRowId,
  modelArtifactHash,
  overridesHash,
  readLastChainLink,
  readRunEventTexts,
  readRunRow,
  readSnapshotIds,
} from "../store/read/integrity.ts";
import { appendRunChainLink } from "../store/writer.ts";
import { canonicalJson, sha256Hex } from "../util/hash.ts";
import { inputDigest, outputDigest } from "./digest.ts";

/** The hash before the first link. */
export const GENESIS: string = "0".repeat(64);

/**
 * A link's hash: sha256 of the previous hash, a newline and the canonical payload.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { GENESIS, linkHash } from "./chain.ts";
 *
 * assert.match(linkHash(GENESIS, {} as never), /^[0-9a-f]{64}$/);
 * ```
 */
export function linkHash(prevHash: string, payload: ChainPayload): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(payload)}`);
}

/**
 * Computes the payload of run `runId` from the stored rows (see the module doc). `inputsFrom` gives, per
 * chained table, the last row id the previous link covered (0 for the first link);
 * `inputsTo` the last id this link covers (default: the table's largest id now);
 * `inputsAsStored`, the input hashes a stored link holds, taken as they are instead of
 * re-hashing the rows (the rest of the payload is still recomputed); `outputDigestOfRun`,
 * the run's output digest as the run computed it, instead of re-reading its decisions (a run
 * sealing itself; `verify` and the next run's check recompute it from the stored rows).
 *
 * @example Recomputing the first link of a store
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../mod.ts";
 * import { chainPayload, GENESIS, linkHash } from "./chain.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const payload = chainPayload(db, run.run_id, {});
 * assert.equal(payload.run_date, "2025-02-01");
 * assert.equal(linkHash(GENESIS, payload), run.chain_head);
 * ```
 */
export function chainPayload(
  db: DatabaseSync,
  runId: string,
  inputsFrom: Readonly<Record<string, number>>,
  inputsTo?: Readonly<Record<string, number>>,
  inputsAsStored?: ChainPayload["inputs"],
  outputDigestOfRun?: string,
): ChainPayload {
  const run = readRunRow(db, runId);
  if (!run) throw new RangeError(`Cannot chain run ${runId}: it has no run row`);
  const runDate = run.run_date;
  const events = readRunEventTexts(db, runId);
  const started = events.find((e) => e.event === "started");
  const succeeded = events.find((e) => e.event === "succeeded");
  const details = parseOrThrow(
    RunStartDetails,
    JSON.parse(started?.details ?? "{}"),
    `chain run ${runId} (its start record)`,
  );
  const inputs: ChainPayload["inputs"] = {};
  for (const table of CHAINED_TABLES) {
    const after = inputsFrom[table] ?? 0;
    const to = inputsTo?.[table] ?? maxRowId(db, table);
    inputs[table] = inputsAsStored?.[table] ??
      { after_id: after, to_id: to, blocks: hashRowBlocks(db, table, after, to) };
  }
  // The digest covers each snapshot's SKU and id; verify checks every id against its features.
  const snapshots = readSnapshotIds(db, runDate);
  const version = details.model_version;
  const artifact = version === null ? null : modelArtifactHash(db, version);
  return {
    run_id: runId,
    run_date: runDate,
    config_hash: run.config_hash,
    events: sha256Hex(`${started?.details ?? ""}\n${succeeded?.details ?? ""}`),
    inputs,
    snapshots: inputDigest(snapshots),
    decisions: outputDigestOfRun ?? outputDigest(readDecisions(db, runId)),
    overrides: overridesHash(db, details.override_watermark),
    model: version === null ? null : { version, artifact: artifact ?? GENESIS },
  };
}

/**
 * Appends the chain link of succeeded run `runId` (inside the run's transaction) and
 * returns its hash.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, readRunChain, runDaily } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const [link] = readRunChain(db);
 * assert.equal(link.run_id, run.run_id);
 * assert.equal(link.hash, run.chain_head);
 * ```
 */
export function appendChainLink(
  db: DatabaseSync,
  runId: string,
  outputDigestOfRun?: string,
): string {
  const previous = readLastChainLink(db);
  const from: Record<string, number> = {};
  for (const table of CHAINED_TABLES) from[table] = previous?.payload.inputs[table]?.to_id ?? 0;
  const payload = parseOrThrow(
    ChainPayload,
    chainPayload(db, runId, from, undefined, undefined, outputDigestOfRun),
    "chain a run",
  );
  const prev = previous?.hash ?? GENESIS;
  const hash = linkHash(prev, payload);
  appendRunChainLink(db, { run_id: runId, prev_hash: prev, hash, payload });
  return hash;
}
