// The decisions of the latest successful run, by SKU.
import { readDecisions, readRuns } from "../../../engine/store/queries.ts";
import { DecisionsData, emit, siteDecision, siteRun } from "../../lib/site_data.ts";

emit(DecisionsData, (db) => {
  const run = readRuns(db).find((r) => r.status === "succeeded") ?? null;
  const decisions = run ? readDecisions(db, run.run_id).map(siteDecision) : [];
  return { run: run && siteRun(run), decisions };
});
