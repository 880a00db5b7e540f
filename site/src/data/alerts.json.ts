// Every alert with its state, and the alert volume per run date, type and severity.
import { emit } from "../../lib/site_data.ts";
import { AlertsData, alertsView } from "../../lib/views/alerts.ts";

emit(AlertsData, alertsView);
