/**
 * Runs as the site and the API show them: status, SKUs, the strategy mix,
 * digests and the model that priced.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { IsoDate } from "../../../engine/schema/common.ts";
import type { RunRecord } from "../../../engine/schema/run.ts";
import { readRuns } from "../../../engine/store/queries.ts";

const Counts = z.object({ ml: z.number().int(), rule: z.number().int(), static: z.number().int() });

/** One run as the health page shows it. */
export const SiteRun = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  attempt: z.number().int().positive(),
  status: z.enum(["started", "succeeded", "failed"]),
  skus: z.number().int().min(0),
  infeasible: z.number().int().min(0),
  strategies: Counts,
  model_version: z.string().nullable(),
  input_digest: z.string().nullable(),
  output_digest: z.string().nullable(),
  error: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type SiteRun = z.infer<typeof SiteRun>;

/** The latest runs, newest first. */
export const RunsData = z.object({ runs: z.array(SiteRun) });
export type RunsData = z.infer<typeof RunsData>;

const num = (v: unknown) => (typeof v === "number" ? v : 0);
const str = (v: unknown) => (typeof v === "string" ? v : null);

/** The site's view of a run record. */
export function siteRun(r: RunRecord): SiteRun {
  const d = r.details;
  const s = (d.strategies ?? {}) as Record<string, unknown>;
  return {
    run_id: r.run_id,
    run_date: r.run_date,
    attempt: r.attempt,
    status: r.status,
    skus: num(d.skus),
    infeasible: num(d.infeasible),
    strategies: { ml: num(s.ml), rule: num(s.rule), static: num(s.static) },
    model_version: str(d.model_version),
    input_digest: str(d.input_digest),
    output_digest: str(d.output_digest),
    error: str(d.error) ?? str(d.message),
    finished_at: r.finished_at,
  };
}

/** The latest `limit` runs (every attempt), newest first, after `offset`. */
export function runsView(db: DatabaseSync, options: { limit: number; offset?: number }): RunsData {
  return { runs: readRuns(db, options).map(siteRun) };
}
