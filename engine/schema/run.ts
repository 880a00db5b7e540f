/** The run log and the summary a run reports. @module */
import { z } from "zod";
import { IsoDate } from "./common.ts";

/** How a run ended (or that it is under way). */
export const RunStatus = z.enum(["started", "succeeded", "failed"]);
export type RunStatus = z.infer<typeof RunStatus>;

/** A run as the run log shows it: its latest event. */
export const RunRecord = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  attempt: z.number().int().positive(),
  code_version: z.string(),
  config_hash: z.string(),
  status: RunStatus,
  details: z.record(z.string(), z.unknown()),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;
