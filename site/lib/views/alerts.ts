/**
 * Alerts as the Alerts page and `GET /api/alerts` show them: every alert with
 * its state, and the alert volume per run date and type.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { AlertRecord, AlertType, Severity } from "../../../engine/schema/monitoring.ts";
import { AlertVolumeRow, readAlerts, readAlertVolume } from "../../../engine/store/queries.ts";

/** Every alert (open first, then the latest seen first) and the volume over time. */
export const AlertsData = z.object({
  alerts: z.array(AlertRecord),
  volume: z.array(AlertVolumeRow),
});
export type AlertsData = z.infer<typeof AlertsData>;

/** Filters of {@linkcode alertList}. */
export const AlertFilter = z.object({
  status: z.enum(["open", "resolved", "all"]).default("all"),
  type: AlertType.optional(),
  severity: Severity.optional(),
  /** Only alerts about this SKU. */
  sku: z.string().optional(),
});
export type AlertFilter = z.infer<typeof AlertFilter>;

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Alerts matching `filter`: open before resolved, worst severity first, latest seen first. */
export function alertList(db: DatabaseSync, filter: Partial<AlertFilter> = {}): AlertRecord[] {
  const status = filter.status ?? "all";
  return readAlerts(db, { open: status === "open", type: filter.type })
    .filter((a) =>
      (status !== "resolved" || a.status === "resolved") &&
      (!filter.severity || a.severity === filter.severity) &&
      (!filter.sku || a.sku === filter.sku)
    )
    .sort((a, b) =>
      (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.last_run_date < b.last_run_date ? 1 : a.last_run_date > b.last_run_date ? -1 : 0) ||
      b.id - a.id
    );
}

/** Every alert and the alert volume per run date, type and severity. */
export function alertsView(db: DatabaseSync): AlertsData {
  return { alerts: alertList(db), volume: readAlertVolume(db) };
}
