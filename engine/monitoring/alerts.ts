/**
 * Alert state from append-only rows: a condition found by a run opens an alert
 * when none of its type and subject is open, and is counted as a sighting of
 * the open one otherwise; an open alert whose condition has not been seen for
 * its quiet period is resolved. One open alert per type and subject.
 *
 * @module
 */
import {
  type AlertCandidate,
  type AlertRecord,
  type AlertType,
  AlertType as AlertTypes,
} from "../schema/monitoring.ts";
import { daysBetween } from "../util/date.ts";

/**
 * Days without the condition before an open alert resolves. Drift waits three
 * runs so that a drift hovering at its threshold stays one alert, not many.
 */
export const QUIET_DAYS: Readonly<Record<AlertType, number>> = {
  DATA_QUALITY: 1,
  FEATURE_DRIFT: 3,
  FORECAST_DRIFT: 3,
  INFEASIBLE_PRICE: 1,
  OVERRIDE_EXPIRING: 1,
  MODEL_PENDING_APPROVAL: 1,
  // Raised when a run refuses a store whose audit trail does not verify: never resolved by
  // a later run (monitoring does not judge it), only by restoring the store.
  AUDIT_INTEGRITY: Infinity,
};

/** What a run does to the alert log. */
export interface AlertPlan {
  open: AlertCandidate[];
  seen: { id: number; candidate: AlertCandidate }[];
  resolved: AlertRecord[];
}

/**
 * Plans the alert events of a run on `runDate`. `judged` lists the types the
 * run could evaluate: an open alert of another type is left alone (e.g.
 * feature drift when the model has no reference).
 */
export function planAlerts(
  openAlerts: readonly AlertRecord[],
  candidates: readonly AlertCandidate[],
  runDate: string,
  judged: ReadonlySet<AlertType>,
): AlertPlan {
  const key = (a: { type: string; subject: string }) => `${a.type}\u0000${a.subject}`;
  const open = new Map(openAlerts.filter((a) => a.status === "open").map((a) => [key(a), a]));
  const plan: AlertPlan = { open: [], seen: [], resolved: [] };
  const found = new Set<string>();
  for (const c of [...candidates].sort(byTypeSubject)) {
    const k = key(c);
    if (found.has(k)) continue;
    found.add(k);
    const existing = open.get(k);
    if (existing) plan.seen.push({ id: existing.id, candidate: c });
    else plan.open.push(c);
  }
  for (const a of [...open.values()].sort(byTypeSubject)) {
    if (found.has(key(a)) || !judged.has(a.type)) continue;
    if (daysBetween(a.last_run_date, runDate) >= QUIET_DAYS[a.type]) plan.resolved.push(a);
  }
  return plan;
}

/** Counts per alert type, every type present. */
export function countByType(
  alerts: readonly { type: AlertType }[],
): Record<AlertType, number> {
  const out = Object.fromEntries(AlertTypes.options.map((t) => [t, 0])) as Record<
    AlertType,
    number
  >;
  for (const a of alerts) out[a.type]++;
  return out;
}

function byTypeSubject(a: { type: string; subject: string }, b: { type: string; subject: string }) {
  return a.type < b.type
    ? -1
    : a.type > b.type
    ? 1
    : a.subject < b.subject
    ? -1
    : a.subject > b.subject
    ? 1
    : 0;
}
