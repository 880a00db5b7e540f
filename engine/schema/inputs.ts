/**
 * Input records: what the retailer (or the simulator) tells the engine. All are
 * append-only; a correction is a new record with a `reason`.
 *
 * @module
 */
import { z } from "zod";
import { Fraction, type Infer, IsoDate, Price, PriceEnding, Sku } from "./common.ts";

const /** @ignore */ _CatalogRecord = z.object({
  sku: Sku,
  effective_date: IsoDate,
  category: z.string().min(1).max(64),
  unit_cost: Price,
  floor_price: Price,
  ceiling_price: Price,
  min_margin: Fraction,
  max_daily_change: z.number().finite().positive().max(1),
  price_ending: PriceEnding,
  active: z.boolean(),
  reason: z.string().min(1).default("initial"),
}).refine((r) => r.floor_price <= r.ceiling_price, {
  error: "floor_price must not exceed ceiling_price",
  path: ["floor_price"],
});
/** Catalog attributes of a SKU, in force from `effective_date` until a later record. */
export const CatalogRecord: typeof _CatalogRecord = _CatalogRecord;
/** The type {@linkcode CatalogRecord} parses to. */
export type CatalogRecord = Infer<typeof CatalogRecord>;

const /** @ignore */ _SalesRecord = z.object({
  sku: Sku,
  date: IsoDate,
  units: z.number().int().min(0),
  revenue: z.number().finite().min(0),
  avg_price: Price,
  promo: z.boolean(),
  reason: z.string().min(1).default("observed"),
});
/**
 * One SKU's sales on one day. `avg_price` is revenue / units, or the shelf price when no
 * unit sold.
 */
export const SalesRecord: typeof _SalesRecord = _SalesRecord;
/** The type {@linkcode SalesRecord} parses to. */
export type SalesRecord = Infer<typeof SalesRecord>;

const /** @ignore */ _InventoryRecord = z.object({
  sku: Sku,
  date: IsoDate,
  on_hand: z.number().int().min(0),
  on_order: z.number().int().min(0),
  next_receipt_date: IsoDate.nullable(),
  reason: z.string().min(1).default("observed"),
});
/** Stock of a SKU at the end of a day, and what is on its way. */
export const InventoryRecord: typeof _InventoryRecord = _InventoryRecord;
/** The type {@linkcode InventoryRecord} parses to. */
export type InventoryRecord = Infer<typeof InventoryRecord>;

const /** @ignore */ _CompetitorPriceRecord = z.object({
  sku: Sku,
  date: IsoDate,
  competitor_price: Price,
  reason: z.string().min(1).default("observed"),
});
/** A competitor's shelf price for a SKU, observed on a day. */
export const CompetitorPriceRecord: typeof _CompetitorPriceRecord = _CompetitorPriceRecord;
/** The type {@linkcode CompetitorPriceRecord} parses to. */
export type CompetitorPriceRecord = Infer<typeof CompetitorPriceRecord>;
