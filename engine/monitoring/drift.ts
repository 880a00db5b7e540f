/**
 * Feature drift: per watched feature and scope (all SKUs, each category), the
 * PSI of today's snapshots against the model's training reference, judged
 * against a threshold that allows for the sampling noise of PSI at that size.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { FeatureReference } from "../schema/monitoring.ts";
import { binCounts, DRIFT_FEATURES } from "../features/reference.ts";
import { round } from "../util/round.ts";
import { psi, psiThreshold, smoothedShares } from "./psi.ts";

/** Options of {@linkcode featureDrift}. */
export interface DriftOptions {
  /** Fewest SKUs a scope needs to be judged at all. Default 30. */
  minCount?: number;
  /** PSI that counts as drift however large the sample. Default 0.25. */
  basePsi?: number;
  /** Normal quantile of one test's false-alarm level. Default 3.09 (0.1%). */
  z?: number;
  /** Share of a scope's key features that must drift for the scope to drift. Default 0.5. */
  minDriftedShare?: number;
}

/** The PSI of one feature in one scope. */
export interface FeatureDrift {
  scope: string;
  feature: string;
  key: boolean;
  n: number;
  psi: number;
  threshold: number;
  drifted: boolean;
}

/** The drift of one scope. */
export interface ScopeDrift {
  scope: string;
  n: number;
  /** Share of watched features that drifted. */
  drifted_share: number;
  /** Share of key features that drifted. */
  key_drifted_share: number;
  drifted_features: string[];
  drifted: boolean;
}

/** What {@linkcode featureDrift} found. */
export interface DriftResult {
  features: FeatureDrift[];
  scopes: ScopeDrift[];
  /** Scopes too small to judge (fewer than `minCount` SKUs). */
  skipped: { scope: string; n: number }[];
}

/** The drift of today's snapshots against `reference`. Pure; scopes in sorted order. */
export function featureDrift(
  snapshots: readonly FeatureSnapshot[],
  reference: FeatureReference,
  options: DriftOptions = {},
): DriftResult {
  const minCount = options.minCount ?? 30;
  const minShare = options.minDriftedShare ?? 0.5;
  const groups = new Map<string, FeatureSnapshot[]>([["all", [...snapshots]]]);
  for (const s of snapshots) {
    const g = groups.get(s.category);
    if (g) g.push(s);
    else groups.set(s.category, [s]);
  }
  const scopes = [...groups.keys()].sort((a, b) =>
    a === "all" ? -1 : b === "all" ? 1 : a < b ? -1 : 1
  );
  const out: DriftResult = { features: [], scopes: [], skipped: [] };
  for (const scope of scopes) {
    const group = groups.get(scope)!;
    if (group.length < minCount) {
      out.skipped.push({ scope, n: group.length });
      continue;
    }
    const rows: FeatureDrift[] = [];
    for (const f of DRIFT_FEATURES) {
      const ref = reference.features[f.name];
      const expected = ref?.scopes[scope];
      if (!ref || !expected || expected.n < minCount) continue;
      const actual = smoothedShares(
        binCounts(group.map((s) => f.value(s)), ref.edges),
        expected.shares,
      );
      const value = psi(expected.shares, actual);
      const used = expected.shares.filter((x) => x > 0).length;
      const threshold = psiThreshold(group.length, expected.n, used, {
        base: options.basePsi,
        z: options.z,
      });
      rows.push({
        scope,
        feature: f.name,
        key: f.key,
        n: group.length,
        psi: round(value, 6),
        threshold: round(threshold, 6),
        drifted: value >= threshold,
      });
    }
    if (!rows.length) continue;
    const key = rows.filter((r) => r.key);
    const keyShare = key.length ? key.filter((r) => r.drifted).length / key.length : 0;
    out.features.push(...rows);
    out.scopes.push({
      scope,
      n: group.length,
      drifted_share: round(rows.filter((r) => r.drifted).length / rows.length, 6),
      key_drifted_share: round(keyShare, 6),
      drifted_features: rows.filter((r) => r.drifted).map((r) => r.feature),
      drifted: key.length > 0 && keyShare >= minShare,
    });
  }
  return out;
}
