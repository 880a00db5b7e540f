/**
 * The constant-elasticity demand curve built from a snapshot alone:
 * units(p) = base_units × weekday factor × (p / base_price) ^ elasticity.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import { toDayNumber, weekdayOf } from "../util/date.ts";
import { type DemandModel, type Driver, MAX_TRUSTED_ELASTICITY } from "./model.ts";

/** Options of {@linkcode elasticityModel}. */
export interface ElasticityModelOptions {
  /** An elasticity above this (too close to 0, or positive) is not trusted: NaN. Default -0.05. */
  maxElasticity?: number;
}

/** The version string of the built-in elasticity model. */
export const ELASTICITY_MODEL_VERSION = "elasticity-v1";

/** Creates the constant-elasticity model. */
export function elasticityModel(options: ElasticityModelOptions = {}): DemandModel {
  const maxElasticity = options.maxElasticity ?? MAX_TRUSTED_ELASTICITY;
  const parts = (s: FeatureSnapshot) => {
    const dow = s.dow_profile[weekdayOf(toDayNumber(s.run_date))] ?? 1;
    return { base: s.base_units * dow, dow, e: s.elasticity };
  };
  return {
    kind: "elasticity",
    version: ELASTICITY_MODEL_VERSION,
    priceResponse: "elasticity",
    predict(s, prices) {
      const { base, e } = parts(s);
      const valid = Number.isFinite(base) && base >= 0 && Number.isFinite(e) && e <= maxElasticity;
      return prices.map((p) => (valid && p > 0 ? base * (p / s.base_price) ** e : NaN));
    },
    explain(s, price): Driver[] {
      const { dow, e } = parts(s);
      const drivers: Driver[] = [
        {
          feature: "base_units",
          value: s.base_units,
          effect: Math.log(Math.max(s.base_units, 1e-9)),
        },
        { feature: "weekday", value: dow, effect: Math.log(Math.max(dow, 1e-9)) },
        {
          feature: "price_vs_base",
          value: price / s.base_price,
          effect: e * Math.log(price / s.base_price),
        },
      ];
      return drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
    },
  };
}
