/**
 * How a scenario names the shape of its demand curves: a shape's name alone
 * (`"demandShape": "logit"`) or an object with the shape and any of its
 * parameters (`{"shape": "reference-price", "lossSensitivity": 3}`). Every
 * parameter left out takes its documented default (`SHAPE_DEFAULTS` in
 * `shapes.ts`), so naming the shape alone gives a sensible market.
 *
 * @module
 */
import { z } from "zod";

/** Every demand shape the simulator knows. */
export const DemandShapeName = z.enum([
  "constant-elasticity",
  "linear",
  "logit",
  "reference-price",
  "store-traffic",
]);
export type DemandShapeName = z.infer<typeof DemandShapeName>;

/** The shapes a price curve itself can have (the others add an effect on top of one of these). */
export const BaseShapeName = z.enum(["constant-elasticity", "linear", "logit"]);
export type BaseShapeName = z.infer<typeof BaseShapeName>;

const _share = z.tuple([
  z.number().finite().min(0.01).max(0.99),
  z.number().finite().min(0.01)
    .max(0.99),
])
  .refine((r) => r[0] <= r[1], { error: "range must be [low, high] with low <= high" });
const _days = z.number().int().min(1).max(365);

/** The curve's own parameters, shared by the shapes built on a base curve. */
const _curve = {
  /** The curve under the effect (reference-price and store-traffic). */
  base: BaseShapeName.optional(),
  /** logit: share of the day's potential buyers who buy at the reference price, per SKU uniform. */
  shareAtReferenceRange: _share.optional(),
};

/** A shape with its parameters; every parameter is optional (see `SHAPE_DEFAULTS`). */
export const DemandShapeObject = z.discriminatedUnion("shape", [
  z.strictObject({ shape: z.literal("constant-elasticity") }),
  z.strictObject({ shape: z.literal("linear") }),
  z.strictObject({
    shape: z.literal("logit"),
    shareAtReferenceRange: _curve.shareAtReferenceRange,
  }),
  z.strictObject({
    shape: z.literal("reference-price"),
    ..._curve,
    /** Log demand lost per log point the price stands above the reference price. */
    lossSensitivity: z.number().finite().min(0).max(20).optional(),
    /** Log demand gained per log point the price stands below the reference price. */
    gainSensitivity: z.number().finite().min(0).max(20).optional(),
    /** The reference price is a mean of past shelf prices with weights halving every this many days… */
    halfLifeDays: _days.optional(),
    /** …over this many past days. */
    windowDays: _days.optional(),
  }),
  z.strictObject({
    shape: z.literal("store-traffic"),
    ..._curve,
    /** Log traffic lost per point of the category's smoothed price index above `tolerance`. */
    sensitivity: z.number().finite().min(0).max(50).optional(),
    /** The category price index (own / competitor) above which shoppers start to stay away. */
    tolerance: z.number().finite().min(0.5).max(2).optional(),
    /** The index shoppers react to is a mean of past days' indices, weights halving every… */
    halfLifeDays: _days.optional(),
    /** …over this many past days. */
    windowDays: _days.optional(),
  }),
]);
export type DemandShapeObject = z.infer<typeof DemandShapeObject>;

/** What a scenario (or one of its categories) writes in `demandShape`. */
export const DemandShapeSpec = z.union([DemandShapeName, DemandShapeObject]);
export type DemandShapeSpec = z.infer<typeof DemandShapeSpec>;
