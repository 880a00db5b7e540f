/** The run log and the summary a run reports. @module */
import { z } from "zod";
import { type Infer, IsoDate } from "./common.ts";

const /** @ignore */ _RunStatus = z.enum(["started", "succeeded", "failed"]);
/** How a run ended (or that it is under way). */
export const RunStatus: typeof _RunStatus = _RunStatus;
/** The type {@linkcode RunStatus} parses to. */
export type RunStatus = Infer<typeof RunStatus>;

const /** @ignore */ _RunRecord = z.object({
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
/** A run as the run log shows it: its latest event. */
export const RunRecord: typeof _RunRecord = _RunRecord;
/** The type {@linkcode RunRecord} parses to. */
export type RunRecord = Infer<typeof RunRecord>;
