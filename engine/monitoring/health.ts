/**
 * The store's health at a glance, judged from what the run log, the monitoring
 * stage and the registry recorded: what is wrong (open critical or warning
 * alerts, a failed or unfinished run, no recent run), what waits for a person
 * (models to approve, overrides about to expire, retrain requests) and the
 * forecast's accuracy against the champion's holdout. Pure: the facts and the
 * current time come in as arguments.
 *
 * @module
 */
import { z } from "zod";
import { AlertType, Severity } from "../schema/monitoring.ts";
import type { RunRecord } from "../schema/run.ts";
import type { HealthFacts } from "../store/read/health.ts";
import { addDays } from "../util/date.ts";

export type { HealthFacts } from "../store/read/health.ts";

/** How a store is doing: `ok` (nothing to do), `info` (something waits for a person), `warning`, `critical`. */
export const HealthStatus = z.enum(["ok", "info", "warning", "critical"]);
export type HealthStatus = z.infer<typeof HealthStatus>;

const nullableNumber = z.number().nullable();

/** The health judgement the site's Health page and `GET /api/health` show. */
export const Health = z.object({
  status: HealthStatus,
  /** What makes the status, worst first. */
  problems: z.array(z.object({ severity: Severity, what: z.string(), message: z.string() })),
  alerts: z.object({
    open: z.number().int().min(0),
    critical: z.number().int().min(0),
    warning: z.number().int().min(0),
    info: z.number().int().min(0),
    by_type: z.partialRecord(AlertType, z.number().int().min(0)),
  }),
  last_run: z.object({
    run_id: z.string(),
    run_date: z.string(),
    status: z.enum(["started", "succeeded", "failed"]),
    finished_at: z.string().nullable(),
    /** Hours between the run's last event and `now` (null without either). */
    age_hours: nullableNumber,
    skus: z.number().int().min(0),
    infeasible: z.number().int().min(0),
    model_version: z.string().nullable(),
  }).nullable(),
  last_success: z.object({ run_id: z.string(), run_date: z.string() }).nullable(),
  next_run_date: z.string().nullable(),
  forecast: z.object({
    run_date: z.string().nullable(),
    wape_7d: nullableNumber,
    wape_30d: nullableNumber,
    bias_7d: nullableNumber,
    bias_30d: nullableNumber,
    holdout_wape: nullableNumber,
    drift_detected: z.boolean(),
  }),
  models: z.object({
    champion: z.object({ version: z.string(), wape: z.number() }).nullable(),
    pending: z.array(z.object({
      version: z.string(),
      kind: z.string(),
      trained_to: z.string(),
      wape: z.number(),
      champion_wape: nullableNumber,
      naive_wape: z.number(),
      /** Runs that have raised its MODEL_PENDING_APPROVAL alert so far (0 when none yet). */
      waiting_runs: z.number().int().min(0),
    })),
  }),
  overrides: z.object({
    active: z.number().int().min(0),
    expiring: z.array(z.object({
      id: z.number().int(),
      kind: z.string(),
      scope: z.string(),
      target: z.string().nullable(),
      expires_at: z.string(),
      actor: z.string(),
      reason: z.string(),
    })),
  }),
  retrain_requests_open: z.number().int().min(0),
});
export type Health = z.infer<typeof Health>;

/** Options of {@linkcode judgeHealth}. */
export interface HealthOptions {
  /** The time of the judgement (ISO 8601), for the last run's age; null: age not judged. */
  now?: string | null;
  /** A successful run older than this many hours is a warning. Default 36. */
  staleAfterHours?: number;
  /** Overrides ending within this many days of the next run date are listed. Default 7. */
  expiringWithinDays?: number;
}

const RANK: Record<z.infer<typeof Severity>, number> = { info: 1, warning: 2, critical: 3 };

/** Judges the store's health from its facts. */
export function judgeHealth(facts: HealthFacts, options: HealthOptions = {}): Health {
  const problems: Health["problems"] = [];
  const counts = { open: 0, critical: 0, warning: 0, info: 0 };
  const byType: Health["alerts"]["by_type"] = {};
  for (const a of facts.openAlerts) {
    counts.open++;
    counts[a.severity]++;
    byType[a.type] = (byType[a.type] ?? 0) + 1;
  }
  for (const severity of ["critical", "warning", "info"] as const) {
    const of = facts.openAlerts.filter((a) => a.severity === severity);
    if (!of.length) continue;
    const types = [...new Set(of.map((a) => a.type))].sort().join(", ");
    problems.push({
      severity,
      what: "alerts",
      message: `${of.length} ${severity} alert${of.length === 1 ? "" : "s"} open (${types})`,
    });
  }
  const latest = facts.runs[0] ?? null;
  const success = facts.runs.find((r) => r.status === "succeeded") ?? null;
  const now = options.now ? Date.parse(options.now) : NaN;
  const ageOf = (r: RunRecord) => {
    const at = Date.parse(r.finished_at ?? r.started_at ?? "");
    return Number.isFinite(now) && Number.isFinite(at) ? Math.round((now - at) / 36e3) / 100 : null;
  };
  if (!latest) {
    problems.push({ severity: "warning", what: "runs", message: "no run yet: deno task daily" });
  } else if (latest.status === "failed") {
    problems.push({
      severity: "critical",
      what: "runs",
      message: `the latest run ${latest.run_id} failed${
        typeof latest.details.error === "string" ? `: ${latest.details.error}` : ""
      }`,
    });
  } else if (latest.status === "started") {
    problems.push({
      severity: "warning",
      what: "runs",
      message: `run ${latest.run_id} started and has not finished`,
    });
  }
  const successAge = success ? ageOf(success) : null;
  const staleAfter = options.staleAfterHours ?? 36;
  if (successAge !== null && successAge > staleAfter) {
    problems.push({
      severity: "warning",
      what: "runs",
      message: `no successful run for ${Math.floor(successAge)} hours (last: ${success!.run_id})`,
    });
  }
  const openRequests = facts.retrainRequests.filter((r) => r.status === "open").length;
  if (openRequests) {
    problems.push({
      severity: "info",
      what: "retrain",
      message: `${openRequests} retrain request${
        openRequests === 1 ? "" : "s"
      } open: deno task models train`,
    });
  }
  const pendingAlerts = new Map(
    facts.openAlerts.filter((a) => a.type === "MODEL_PENDING_APPROVAL").map((
      a,
    ) => [a.subject, a.count]),
  );
  const pending = facts.models.filter((m) => m.status === "pending").map((m) => ({
    version: m.version,
    kind: m.kind,
    trained_to: m.trained_to,
    wape: m.metrics.candidate.wape,
    champion_wape: m.metrics.champion?.wape ?? null,
    naive_wape: m.metrics.seasonal_naive.wape,
    waiting_runs: pendingAlerts.get(`model:${m.version}`) ?? 0,
  }));
  const champion = facts.models.find((m) => m.status === "champion") ?? null;
  const horizon = facts.nextRunDate
    ? addDays(facts.nextRunDate, options.expiringWithinDays ?? 7)
    : null;
  const expiring = facts.overrides
    .filter((o) => o.revocation_id === null && horizon !== null && o.expires_at <= horizon)
    .map(({ id, kind, scope, target, expires_at, actor, reason }) => ({
      id,
      kind,
      scope,
      target,
      expires_at,
      actor,
      reason,
    }));
  const summary = (facts.monitoring?.summary ?? {}) as Record<string, unknown>;
  const forecast = (summary.forecast ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const worst = problems.reduce((w, p) => Math.max(w, RANK[p.severity]), 0);
  return {
    status: (["ok", "info", "warning", "critical"] as const)[worst],
    problems: problems.sort((a, b) => RANK[b.severity] - RANK[a.severity]),
    alerts: { ...counts, by_type: byType },
    last_run: latest && {
      run_id: latest.run_id,
      run_date: latest.run_date,
      status: latest.status,
      finished_at: latest.finished_at,
      age_hours: ageOf(latest),
      skus: num(latest.details.skus) ?? 0,
      infeasible: num(latest.details.infeasible) ?? 0,
      model_version: typeof latest.details.model_version === "string"
        ? latest.details.model_version
        : null,
    },
    last_success: success && { run_id: success.run_id, run_date: success.run_date },
    next_run_date: facts.nextRunDate,
    forecast: {
      run_date: facts.monitoring?.run_date ?? null,
      wape_7d: num(forecast.wape_7d),
      wape_30d: num(forecast.wape_30d),
      bias_7d: num(forecast.bias_7d),
      bias_30d: num(forecast.bias_30d),
      holdout_wape: num(forecast.holdout_wape),
      drift_detected: summary.drift_detected === true,
    },
    models: {
      champion: champion && { version: champion.version, wape: champion.metrics.candidate.wape },
      pending,
    },
    overrides: { active: facts.overrides.length, expiring },
    retrain_requests_open: openRequests,
  };
}
