/**
 * From what a run found to alert candidates: one per type and subject, with
 * severity, SKU or category, a message and the metrics that fired it.
 *
 * @module
 */
import type { AlertCandidate, DataQualityIssue } from "../schema/monitoring.ts";
import type { Decision, OverrideRecord } from "../schema/pricing.ts";
import type { ModelRecord } from "../schema/models.ts";
import type { DriftResult } from "./drift.ts";
import type { ForecastDrift } from "./forecast.ts";
import { addDays } from "../util/date.ts";

/** Everything the alert candidates are made of. */
export interface CandidateInputs {
  runDate: string;
  issues: readonly DataQualityIssue[];
  categoryOf: ReadonlyMap<string, string>;
  drift: DriftResult | null;
  forecastDrifts: readonly ForecastDrift[];
  decisions: readonly Decision[];
  /** Overrides active on the run date. */
  overrides: readonly OverrideRecord[];
  overrideWarningDays: number;
  pending: readonly Omit<ModelRecord, "artifact">[];
  modelVersion: string | null;
  holdoutWape: number | null;
}

const subjectOf = (scope: string) => (scope === "all" ? "all" : `category:${scope}`);

/** The alert candidates of a run. */
export function candidatesFor(x: CandidateInputs): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const bySku = new Map<string, DataQualityIssue[]>();
  for (const i of x.issues) {
    const list = bySku.get(i.sku);
    if (list) list.push(i);
    else bySku.set(i.sku, [i]);
  }
  for (const [sku, list] of bySku) {
    out.push({
      type: "DATA_QUALITY",
      subject: sku,
      severity: list.some((i) => i.check === "NEGATIVE_VALUE" || i.check === "NO_SNAPSHOT")
        ? "critical"
        : "warning",
      sku,
      category: x.categoryOf.get(sku) ?? null,
      message: list.map((i) => `${i.field} = ${i.value}: ${i.message}`).join("; "),
      metrics: { issues: list.map(({ check, field, value }) => ({ check, field, value })) },
    });
  }
  for (const s of x.drift?.scopes.filter((s) => s.drifted) ?? []) {
    const psi: Record<string, number> = {};
    for (const f of x.drift!.features) {
      if (f.scope === s.scope && f.drifted) psi[f.feature] = f.psi;
    }
    out.push({
      type: "FEATURE_DRIFT",
      subject: subjectOf(s.scope),
      severity: s.key_drifted_share >= 0.75 ? "critical" : "warning",
      sku: null,
      category: s.scope === "all" ? null : s.scope,
      message: `${s.drifted_features.length} of the watched features drifted in ${
        s.scope === "all" ? "all SKUs" : `category ${s.scope}`
      } (n = ${s.n}): ${s.drifted_features.join(", ")}`,
      metrics: {
        model_version: x.modelVersion,
        n: s.n,
        drifted_share: s.drifted_share,
        key_drifted_share: s.key_drifted_share,
        psi,
      },
    });
  }
  for (const f of x.forecastDrifts) {
    out.push({
      type: "FORECAST_DRIFT",
      subject: subjectOf(f.scope),
      severity: Math.abs(f.bias ?? 0) >= 0.5 ? "critical" : "warning",
      sku: null,
      category: f.scope_kind === "category" ? f.scope : null,
      message: `7-day forecast of ${
        f.scope === "all" ? "all SKUs" : `category ${f.scope}`
      }: bias ${f.bias} (${f.z} standard errors), WAPE ${f.wape}; ${f.predicted_units} units expected, ${f.actual_units} sold`,
      metrics: { model_version: x.modelVersion, holdout_wape: x.holdoutWape, ...f },
    });
  }
  for (const d of x.decisions) {
    if (!d.infeasible) continue;
    out.push({
      type: "INFEASIBLE_PRICE",
      subject: d.sku,
      severity: "warning",
      sku: d.sku,
      category: x.categoryOf.get(d.sku) ?? null,
      message: `no price satisfies every constraint (${d.conflict ?? "conflict"}); kept ${d.price}`,
      metrics: { conflict: d.conflict, price: d.price, previous_price: d.previous_price },
    });
  }
  const horizon = addDays(x.runDate, x.overrideWarningDays);
  for (const o of x.overrides) {
    if (o.revocation_id !== null || o.expires_at > horizon) continue;
    out.push({
      type: "OVERRIDE_EXPIRING",
      subject: `override:${o.id}`,
      severity: "info",
      sku: o.scope === "sku" ? o.target : null,
      category: o.scope === "category" ? o.target : null,
      message: `${o.kind} on ${o.scope}${
        o.target ? ` ${o.target}` : ""
      } expires on ${o.expires_at}`,
      metrics: { override_id: o.id, kind: o.kind, scope: o.scope, expires_at: o.expires_at },
    });
  }
  for (const m of x.pending) {
    out.push({
      type: "MODEL_PENDING_APPROVAL",
      subject: `model:${m.version}`,
      severity: "info",
      sku: null,
      category: null,
      message: `${m.version} waits for approval (holdout WAPE ${m.metrics.candidate.wape}${
        m.metrics.champion ? ` vs champion ${m.metrics.champion.wape}` : ""
      }): deno task models approve ${m.version} --by WHO --reason TEXT`,
      metrics: {
        version: m.version,
        trained_to: m.trained_to,
        holdout_wape: m.metrics.candidate.wape,
        champion_wape: m.metrics.champion?.wape ?? null,
      },
    });
  }
  return out;
}
