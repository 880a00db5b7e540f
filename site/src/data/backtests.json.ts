// The latest SITE_BACKTESTS stored backtests (default 20), newest first, with their price paths.
import { emit } from "../../lib/site_data.ts";
import { BacktestsData, backtestsView } from "../../lib/views/backtests.ts";

const LIMIT = Number(Deno.env.get("SITE_BACKTESTS") ?? 20);
emit(BacktestsData, (db) => backtestsView(db, { limit: LIMIT }));
