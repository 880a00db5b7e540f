// What is wrong with the store now: open alerts, the last run, forecast accuracy, pending models, expiring overrides.
import { emit } from "../../lib/site_data.ts";
import { Health, healthView } from "../../lib/views/health.ts";

emit(Health, (db) => healthView(db, { now: new Date().toISOString() }));
