/**
 * A scenario: everything that shapes a simulated market except the seed (the
 * default number of SKUs and history window included, overridable per run).
 * Scenarios live as JSON in `sim/scenarios/<name>.json`.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, type InferInput, IsoDate, PriceEnding } from "../engine/schema/common.ts";
import { GuardrailTerms } from "../engine/schema/guardrails.ts";
import { InputTypeError } from "../engine/util/errors.ts";
import { DemandShapeSpec } from "./market/shape_spec.ts";
import { resolveShape } from "./market/shapes.ts";

/** A closed interval `[low, high]` of finite numbers with low ≤ high. */
function _range(min = -Infinity, max = Infinity) {
  return z.tuple([z.number().finite().min(min).max(max), z.number().finite().min(min).max(max)])
    .refine((r) => r[0] <= r[1], { error: "range must be [low, high] with low <= high" });
}

const _positiveRange = z.tuple([z.number().finite().positive(), z.number().finite().positive()])
  .refine((r) => r[0] <= r[1], { error: "range must be [low, high] with low <= high" });

const /** @ignore */ _CategorySpec = z.object({
  name: z.string().min(1).max(64),
  /** Relative weight when drawing a SKU's category. */
  weight: z.number().finite().positive(),
  /** Reference (base) price range; drawn log-uniformly. */
  priceRange: _positiveRange,
  /** Gross margin (P0 − cost)/P0 at the reference price; drawn uniformly. */
  marginRange: _range(0, 0.95),
  /** Own-price elasticity: normal(mean, sd), then clipped to the scenario's `elasticityClip`. */
  elasticityMean: z.number().finite().negative(),
  elasticitySd: z.number().finite().min(0),
  /** Cross-price elasticity with the competitor price (positive: substitutes); uniform. */
  crossElasticityRange: _range(0, 5),
  /** Units per day at the reference price: lognormal with this median and log-sd. */
  baseUnitsMedian: z.number().finite().positive(),
  baseUnitsSigma: z.number().finite().min(0),
  /** Seven weekday multipliers, Monday first (normalised to mean 1). */
  weeklyProfile: z.array(z.number().finite().positive()).length(7),
  /** Yearly seasonality amplitude A (uniform) and phase φ in days (± jitter). */
  seasonAmplitudeRange: _range(0, 0.9),
  seasonPhaseDays: z.number().finite().min(0).max(365),
  seasonPhaseJitterDays: z.number().finite().min(0).max(183),
  /** The shape of this category's demand curves; default: the scenario's `demandShape`. */
  demandShape: DemandShapeSpec.optional(),
});
/** One product category: its share of the assortment and how its SKUs behave. */
export const CategorySpec: typeof _CategorySpec = _CategorySpec;
/** The type {@linkcode CategorySpec} parses to. */
export type CategorySpec = Infer<typeof CategorySpec>;

const /** @ignore */ _RegimeShift = z.object({
  date: IsoDate,
  categories: z.array(z.string().min(1)).optional(),
  /** Multiplies expected demand. */
  demandMultiplier: z.number().finite().positive().default(1),
  /** Added to every affected SKU's own-price elasticity (negative: more price sensitive). */
  elasticityShift: z.number().finite().default(0),
});
/** A change in the market from `date` on, for the listed categories (all when omitted). */
export const RegimeShift: typeof _RegimeShift = _RegimeShift;
/** The type {@linkcode RegimeShift} parses to. */
export type RegimeShift = Infer<typeof RegimeShift>;

/** The most SKUs a simulated market holds: the one cap the scenario, the market and the tasks share. */
export const MAX_SKUS = 1_000_000;

const /** @ignore */ _Scenario = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  /** First day of history. */
  startDate: IsoDate,
  /** Days of history (the last history day is startDate + historyDays − 1). */
  historyDays: z.number().int().min(1).max(20_000),
  /** Default number of SKUs (at most {@linkcode MAX_SKUS}). */
  skus: z.number().int().min(1).max(MAX_SKUS),
  categories: z.array(CategorySpec).min(1),
  /**
   * The shape of every category's demand curves (a category may name its own):
   * `constant-elasticity` (default), `linear`, `logit`, `reference-price` or
   * `store-traffic`, alone or as `{"shape": NAME, ...parameters}`.
   */
  demandShape: DemandShapeSpec.optional(),
  /** Own-price elasticities are clipped to this range. */
  elasticityClip: _range(-20, -0.01),
  /** Log growth of demand per year, per SKU uniform. */
  trendRange: _range(-2, 2),
  /** Log-sd of the per-SKU noise on the category's weekly profile. */
  weeklyNoiseSd: z.number().finite().min(0).max(1),
  /** Gamma shape of the gamma–Poisson count noise (larger: closer to Poisson). */
  dispersionShape: z.number().finite().positive(),
  pricing: z.object({
    /** Catalog floor = unit cost × this. */
    floorCostMultiple: z.number().finite().min(1),
    /** Catalog ceiling = reference price × this. */
    ceilingMultiple: z.number().finite().min(1),
    /** Every SKU's catalog terms, checked as a catalog record checks them. */
    minMargin: GuardrailTerms.shape.min_margin,
    maxDailyChange: GuardrailTerms.shape.max_daily_change,
    /** Price ending for reference prices below `endingThreshold`, and at or above it. */
    endingThreshold: z.number().finite().positive(),
    endingBelow: PriceEnding,
    endingAbove: PriceEnding,
    /** Historical regular price: blocks of this many days (uniform integer)… */
    blockDaysRange: _range(1, 3650),
    /** …at P0 × (1 + d), d uniform in ±dev, dev drawn per SKU from this range. */
    levelDeviationRange: _range(0, 0.9),
  }),
  promotions: z.object({
    /** Length of a promotion block in days. */
    blockDays: z.number().int().min(1),
    /** Share of blocks (historical only) in which the store runs a promotion. */
    share: z.number().finite().min(0).max(1),
    /** Discount off the regular price, uniform per block. */
    discountRange: _range(0, 0.9),
    /** Display lift multiplier on demand during a promotion, uniform per SKU. */
    liftRange: _range(1, 10),
  }),
  competitor: z.object({
    /** Competitor prices are constant over segments of this many days. */
    segmentDays: z.number().int().min(1),
    /** Per-SKU competitor price ratio to P0: ratioMean × exp(ratioSd·z). */
    ratioMean: z.number().finite().positive(),
    ratioSd: z.number().finite().min(0),
    /** Per-segment log-sd around the SKU's ratio level. */
    levelSd: z.number().finite().min(0),
  }),
  inventory: z.object({
    /** Review period R in days (each SKU has its own offset). */
    reviewDays: z.number().int().min(2),
    /** Lead time L in days; must be less than R. */
    leadDays: z.number().int().min(0),
    /** Order-up-to level = expected demand over R + L days at P0 × this factor (uniform per SKU). */
    safetyFactorRange: _range(0.1, 10),
  }).refine((v) => v.leadDays < v.reviewDays, {
    error: "leadDays must be less than reviewDays",
    path: ["leadDays"],
  }),
  costIncrease: z.object({
    /** Share of SKUs whose supplier raises the cost mid-history. */
    share: z.number().finite().min(0).max(1),
    /** Relative cost increase, uniform. */
    increaseRange: _range(0, 2),
    /** Day offset from startDate at which it happens, uniform integer. */
    dayOffsetRange: _range(0, 20_000),
    /** Share of the cost increase passed into the historical regular price. */
    passThrough: z.number().finite().min(0).max(2),
  }),
  /** Share of SKUs launched during the last `newSkuWindowDays` of history (cold start). */
  newSkuShare: z.number().finite().min(0).max(1),
  newSkuWindowDays: z.number().int().min(1),
  regimeShifts: z.array(RegimeShift).default([]),
}).superRefine((s, ctx) => {
  const names = new Set<string>();
  s.categories.forEach((c, i) => {
    if (names.has(c.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["categories", i, "name"],
        message: `duplicate category name ${JSON.stringify(c.name)}`,
      });
    }
    names.add(c.name);
    if (c.marginRange[0] <= s.pricing.minMargin) {
      ctx.addIssue({
        code: "custom",
        path: ["categories", i, "marginRange"],
        message: `margins must exceed pricing.minMargin ${s.pricing.minMargin}`,
      });
    }
  });
  const shapes: [PropertyKey[], unknown][] = [
    [["demandShape"], s.demandShape],
    ...s.categories.map((c, i): [PropertyKey[], unknown] => [
      ["categories", i, "demandShape"],
      c.demandShape,
    ]),
  ];
  for (const [path, spec] of shapes) {
    try {
      resolveShape(spec as DemandShapeSpec | undefined);
    } catch (error) {
      ctx.addIssue({ code: "custom", path, message: (error as Error).message });
    }
  }
  s.regimeShifts.forEach((r, i) => {
    (r.categories ?? []).forEach((c, j) => {
      if (!names.has(c)) {
        ctx.addIssue({
          code: "custom",
          path: ["regimeShifts", i, "categories", j],
          message: `unknown category ${JSON.stringify(c)}`,
        });
      }
    });
  });
  if (s.newSkuWindowDays > s.historyDays) {
    ctx.addIssue({
      code: "custom",
      path: ["newSkuWindowDays"],
      message: `must not exceed historyDays ${s.historyDays}`,
    });
  }
});
/** The scenario schema. Every field is documented where it is declared. */
export const Scenario: typeof _Scenario = _Scenario;
/** The type {@linkcode Scenario} parses to. */
export type Scenario = Infer<typeof Scenario>;
/** A scenario as written in JSON (defaults not yet applied). */
export type ScenarioInput = InferInput<typeof Scenario>;

/** Parses a scenario object, throwing a `TypeError` naming the source, each field and value. */
export function parseScenario(value: unknown, source = "scenario"): Scenario {
  const result = Scenario.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(scenario)";
    return `${path}: ${issue.message} (value: ${_preview(_valueAt(value, issue.path))})`;
  });
  throw new InputTypeError(`Cannot load scenario ${source}: ${lines.join("; ")}`);
}

/**
 * Reads a scenario by name (`sim/scenarios/<name>.json`) or by file path (anything
 * containing a slash or ending in `.json`).
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const isPath = nameOrPath.includes("/") || nameOrPath.includes("\\") ||
    nameOrPath.endsWith(".json");
  if (!isPath && !/^[A-Za-z0-9._-]+$/.test(nameOrPath)) {
    throw new InputTypeError(
      `Cannot load scenario ${JSON.stringify(nameOrPath)}: not a valid name`,
    );
  }
  const file = isPath ? nameOrPath : new URL(`./scenarios/${nameOrPath}.json`, import.meta.url);
  const label = typeof file === "string" ? file : decodeURIComponent(file.pathname);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputTypeError(`Cannot load scenario ${label}: file not found`);
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputTypeError(
      `Cannot load scenario ${label}: invalid JSON (${(error as Error).message})`,
    );
  }
  return parseScenario(json, label);
}

function _valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function _preview(v: unknown): string {
  if (v === undefined) return "missing";
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
