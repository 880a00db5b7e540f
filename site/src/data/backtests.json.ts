// The latest SITE_BACKTESTS stored backtests (default 20), newest first, with the report fields the page draws.
import { readBacktests } from "../../../engine/store/queries.ts";
import { BacktestsData, emit, siteBacktest } from "../../lib/site_data.ts";

const LIMIT = Number(Deno.env.get("SITE_BACKTESTS") ?? 20);
emit(BacktestsData, (db) => {
  const all = readBacktests(db);
  const latest = all.slice(0, LIMIT).flatMap((b) =>
    readBacktests(db, { backtestId: b.backtest_id, withReport: true })
  );
  return { total: all.length, backtests: latest.map(siteBacktest) };
});
