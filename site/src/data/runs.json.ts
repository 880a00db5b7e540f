// The latest runs with status, strategy mix and digests, newest first.
import { readRuns } from "../../../engine/store/queries.ts";
import { emit, RunsData, siteRun } from "../../lib/site_data.ts";

const LIMIT = Number(Deno.env.get("SITE_RUNS") ?? 120);
emit(RunsData, (db) => ({ runs: readRuns(db).slice(0, LIMIT).map(siteRun) }));
