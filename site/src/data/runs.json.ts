// The latest SITE_RUNS runs (default 120) with status, strategy mix and digests, newest first.
import { emit } from "../../lib/site_data.ts";
import { RunsData, runsView } from "../../lib/views/runs.ts";

const LIMIT = Number(Deno.env.get("SITE_RUNS") ?? 120);
emit(RunsData, (db) => runsView(db, { limit: LIMIT }));
