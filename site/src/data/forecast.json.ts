// Predicted vs actual units over the last 30 days of actuals, WAPE and bias after each run, drift.
import { emit } from "../../lib/site_data.ts";
import { ForecastData, forecastView } from "../../lib/views/forecast.ts";

const RUNS = Number(Deno.env.get("SITE_RUNS") ?? 120);
emit(ForecastData, (db) => forecastView(db, { days: 30, runs: RUNS }));
