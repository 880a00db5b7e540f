/**
 * The demo store a newcomer's first `deno task daily` creates: the `default`
 * scenario with two years of history, a few overrides so that every strategy
 * is in use from the first day, and a first gbdt demand model trained and
 * approved, all recorded by the actor `demo-bootstrap`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { appendOverride, appendStoreSettings, transaction } from "../engine/store/writer.ts";
import { addDays } from "../engine/util/date.ts";
import type { OverrideRequest } from "../engine/schema/pricing.ts";
import { loadScenario } from "./scenario.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { approveModel } from "../engine/registry/approval.ts";

/** The actor that records the demo store's overrides and approves its first model. */
export const DEMO_ACTOR = "demo-bootstrap";
import { type Progress, type SimStoreSummary, writeSimulatedStore } from "./store.ts";

/** Options of {@linkcode createDemoStore}. */
export interface DemoOptions {
  /** Scenario name or file. Default "default". */
  scenario?: string;
  seed?: number;
  skus?: number;
  days?: number;
  onProgress?: Progress;
  /** Called with a line as each stage begins ("training …") or ends ("approved …"). */
  onStage?: (message: string) => void;
}

/** The overrides seeded into the demo store, relative to its first run date. */
export function demoOverrides(firstRunDate: string): OverrideRequest[] {
  const base = { actor: DEMO_ACTOR, effective_from: firstRunDate };
  return [
    ...["SKU-00001", "SKU-00002", "SKU-00003"].map((sku): OverrideRequest => ({
      ...base,
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: sku,
      expires_at: addDays(firstRunDate, 45),
      reason: "demo: price agreed with the supplier for a national campaign",
    })),
    {
      ...base,
      kind: "FORCE_RULE_BASED",
      scope: "category",
      target: "household",
      expires_at: addDays(firstRunDate, 90),
      reason: "demo: category manager reviews household pricing by the rules this quarter",
    },
  ];
}

/** Writes a demo store into `db` (which must be empty). */
export async function createDemoStore(
  db: DatabaseSync,
  options: DemoOptions = {},
): Promise<SimStoreSummary & { model: string }> {
  const scenario = await loadScenario(options.scenario ?? "default");
  const summary = writeSimulatedStore(db, {
    scenario,
    seed: options.seed ?? 1,
    skus: options.skus,
    historyDays: options.days,
  }, { onProgress: options.onProgress });
  const first = addDays(summary.endDate, 1);
  transaction(db, () => {
    appendStoreSettings(db, { name: "demo", period: "day", week_start: null }, {
      actor: DEMO_ACTOR,
      reason: "the simulated demo store",
      recordedAt: null,
    });
    for (const o of demoOverrides(first)) appendOverride(db, o, null);
  });
  options.onStage?.("Simulated history written; training the first demand model (gbdt) ...");
  const model = trainCandidate(db, {
    kind: "gbdt",
    actor: DEMO_ACTOR,
    recordedAt: null,
    source: "demo store bootstrap",
  });
  approveModel(db, model.version, {
    actor: DEMO_ACTOR,
    reason:
      `demo store bootstrap: holdout WAPE ${model.metrics.candidate.wape} vs seasonal-naive ${model.metrics.seasonal_naive.wape}`,
    recordedAt: null,
  });
  options.onStage?.(`Approved the first model ${model.version}; moving the store into place ...`);
  return { ...summary, model: model.version };
}
