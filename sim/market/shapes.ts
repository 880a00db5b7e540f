/**
 * The demand shapes, resolved in one table. Every shape is calibrated on the
 * SKU's reference price P0 and elasticity ε: at P0 its own-price effect is 1 and
 * its log slope is ε, so the shapes differ in how demand bends away from P0, not
 * in its level or its local sensitivity there.
 *
 * - `constant-elasticity`: (p/P0)^ε at every price (the model's own shape).
 * - `linear`: 1 + ε(p/P0 − 1), zero from the choke price P0(1 − 1/ε) on.
 * - `logit`: binary logit choice against not buying; reservation prices are
 *   logistic, so demand saturates at 1/s0 at low prices and vanishes smoothly at
 *   high ones; s0 (the share of potential buyers who buy at P0) is drawn per SKU.
 * - `reference-price`: a base curve times exp(−η·ln(p/r)) where r is the
 *   reference price (a decaying mean of past shelf prices) and η is the loss
 *   sensitivity above r, the gain sensitivity below it (loss-averse: loss ≥ gain).
 * - `store-traffic`: a base curve times the category's traffic,
 *   exp(−κ·max(0, Ī − τ)), where Ī is a decaying mean of the category's past daily
 *   price index against the competitor (weights: each SKU's base demand).
 *
 * The last two remember past prices (see `memory.ts`); the others are a function
 * of today's price alone.
 *
 * @module
 */
import type { BaseShapeName, DemandShapeName, DemandShapeSpec } from "./shape_spec.ts";

/** The reference-price effect's parameters. */
export interface ReferenceEffect {
  lossSensitivity: number;
  gainSensitivity: number;
  halfLifeDays: number;
  windowDays: number;
}

/** The store-traffic effect's parameters. */
export interface TrafficEffect {
  sensitivity: number;
  tolerance: number;
  halfLifeDays: number;
  windowDays: number;
}

/** A shape with every parameter filled in. */
export interface ResolvedShape {
  name: DemandShapeName;
  base: BaseShapeName;
  shareAtReferenceRange: [number, number];
  reference: ReferenceEffect | null;
  traffic: TrafficEffect | null;
}

/** What each shape declares: its base curve and which memory it needs. */
interface _ShapeDef {
  base: BaseShapeName | "parameter";
  memory: "none" | "reference" | "traffic";
}

/** The one place that says what each shape is. */
const SHAPES: Record<DemandShapeName, _ShapeDef> = {
  "constant-elasticity": { base: "constant-elasticity", memory: "none" },
  "linear": { base: "linear", memory: "none" },
  "logit": { base: "logit", memory: "none" },
  "reference-price": { base: "parameter", memory: "reference" },
  "store-traffic": { base: "parameter", memory: "traffic" },
};

/** The default of every shape parameter (documented in the README's scenario format). */
export const SHAPE_DEFAULTS = Object.freeze({
  /** The curve under reference-price and store-traffic effects. */
  base: "constant-elasticity" as BaseShapeName,
  /** logit: share of potential buyers who buy at P0, per SKU uniform in this range. */
  shareAtReferenceRange: [0.3, 0.7] as [number, number],
  reference: Object.freeze({
    lossSensitivity: 2,
    gainSensitivity: 0.5,
    halfLifeDays: 7,
    windowDays: 28,
  }) as Readonly<ReferenceEffect>,
  traffic: Object.freeze({
    sensitivity: 3,
    tolerance: 1.02,
    halfLifeDays: 14,
    windowDays: 56,
  }) as Readonly<TrafficEffect>,
});

/** The shape of a scenario or category spec (none: constant elasticity) with defaults applied. */
export function resolveShape(spec: DemandShapeSpec | undefined): ResolvedShape {
  const s = spec === undefined
    ? { shape: "constant-elasticity" as const }
    : typeof spec === "string"
    ? { shape: spec }
    : spec;
  const def = SHAPES[s.shape];
  if (!def) throw new RangeError(`Cannot resolve demand shape ${JSON.stringify(s.shape)}`);
  const o = s as Record<string, unknown>;
  const base = def.base === "parameter"
    ? (o.base as BaseShapeName | undefined) ?? SHAPE_DEFAULTS.base
    : def.base;
  const pick = <T extends object>(defaults: T): T => {
    const out = { ...defaults };
    for (const k of Object.keys(defaults) as (keyof T)[]) {
      if (o[k as string] !== undefined) out[k] = o[k as string] as T[keyof T];
    }
    return out;
  };
  const reference = def.memory === "reference" ? pick(SHAPE_DEFAULTS.reference) : null;
  if (reference && reference.lossSensitivity < reference.gainSensitivity) {
    throw new RangeError(
      `Cannot use a reference-price market with loss sensitivity ${reference.lossSensitivity} below gain sensitivity ${reference.gainSensitivity}: shoppers must be loss-averse (the oracle's hold-path search is only near-optimal then)`,
    );
  }
  const traffic = def.memory === "traffic" ? pick(SHAPE_DEFAULTS.traffic) : null;
  for (const e of [reference, traffic]) {
    if (e && e.windowDays < e.halfLifeDays) {
      throw new RangeError(
        `Cannot use a ${s.shape} market whose window of ${e.windowDays} days is shorter than its half-life of ${e.halfLifeDays} days`,
      );
    }
  }
  return {
    name: s.shape,
    base,
    shareAtReferenceRange: (o.shareAtReferenceRange as [number, number] | undefined) ??
      SHAPE_DEFAULTS.shareAtReferenceRange,
    reference,
    traffic,
  };
}

/** A SKU's shape: its resolved shape and, on a logit curve, its share at P0. */
export interface SkuShape extends ResolvedShape {
  /** logit: the share s0 of potential buyers who buy at P0; null on other curves. */
  share: number | null;
}

/**
 * The own-price effect of a base curve at `price`: 1 at `p0`, log slope `eps` there.
 * Constant elasticity is computed exactly as the simulator always has.
 */
export function ownPriceEffect(
  base: BaseShapeName,
  price: number,
  p0: number,
  eps: number,
  share: number | null,
): number {
  switch (base) {
    case "constant-elasticity":
      return Math.exp(eps * Math.log(price / p0));
    case "linear":
      return Math.max(0, 1 + eps * (price / p0 - 1));
    case "logit": {
      const s0 = share!;
      const beta = -eps / (p0 * (1 - s0));
      return 1 / (s0 + (1 - s0) * Math.exp(beta * (price - p0)));
    }
  }
}

/** The reference-price effect at `price` against reference `reference` (1 without one). */
export function referenceEffect(
  e: ReferenceEffect,
  price: number,
  reference: number | null,
): number {
  if (reference === null) return 1;
  const gap = Math.log(price / reference);
  return Math.exp(-(gap > 0 ? e.lossSensitivity : e.gainSensitivity) * gap);
}

/** The traffic multiplier of a smoothed category price index (1 without one). */
export function trafficEffect(e: TrafficEffect, smoothedIndex: number | null): number {
  if (smoothedIndex === null) return 1;
  return Math.exp(-e.sensitivity * Math.max(0, smoothedIndex - e.tolerance));
}

/** Weights of the past days 1..window, halving every `halfLifeDays` (most recent first). */
export function decayWeights(halfLifeDays: number, windowDays: number): Float64Array {
  const w = new Float64Array(windowDays);
  const theta = Math.pow(0.5, 1 / halfLifeDays);
  for (let k = 0; k < windowDays; k++) w[k] = Math.pow(theta, k);
  return w;
}
