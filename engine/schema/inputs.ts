/**
 * Input records: what the retailer (or the simulator) tells the engine. All are
 * append-only; a correction is a new record with a `reason`.
 *
 * @module
 */
import { z } from "zod";
import { IsoDate, Price, Sku } from "./common.ts";
import { GuardrailTerms } from "./guardrails.ts";

/**
 * A SKU's place in the store's price lines, all optional: SKUs of one `family` share
 * one price (per `size`); within a family of several sizes the price per unit of
 * size does not rise with size (a ladder); a key-value item is held to a tighter
 * price-index band.
 */
export const CatalogLines = z.object({
  /** The price family; null or absent: none. */
  family: z.string().min(1).max(64).nullable().optional(),
  /** Pack size in any unit shared by the family (e.g. litres); null or absent: none. */
  size: z.number().finite().positive().nullable().optional(),
  /** A key-value item (shoppers know its price). Absent: false. */
  key_value_item: z.boolean().optional(),
});
export type CatalogLines = z.infer<typeof CatalogLines>;

/** Catalog attributes of a SKU, in force from `effective_date` until a later record. */
export const CatalogRecord = z.object({
  sku: Sku,
  effective_date: IsoDate,
  category: z.string().min(1).max(64),
  ...GuardrailTerms.shape,
  active: z.boolean(),
  reason: z.string().min(1).default("initial"),
  ...CatalogLines.shape,
}).refine((r) => r.floor_price <= r.ceiling_price, {
  error: "floor_price must not exceed ceiling_price",
  path: ["floor_price"],
});
export type CatalogRecord = z.infer<typeof CatalogRecord>;

/** One SKU's sales on one day. `avg_price` is revenue / units, or the shelf price when no unit sold. */
export const SalesRecord = z.object({
  sku: Sku,
  date: IsoDate,
  units: z.number().int().min(0),
  revenue: z.number().finite().min(0),
  avg_price: Price,
  promo: z.boolean(),
  reason: z.string().min(1).default("observed"),
});
export type SalesRecord = z.infer<typeof SalesRecord>;

/** Stock of a SKU at the end of a day, and what is on its way. */
export const InventoryRecord = z.object({
  sku: Sku,
  date: IsoDate,
  on_hand: z.number().int().min(0),
  on_order: z.number().int().min(0),
  next_receipt_date: IsoDate.nullable(),
  reason: z.string().min(1).default("observed"),
});
export type InventoryRecord = z.infer<typeof InventoryRecord>;

/** A competitor's shelf price for a SKU, observed on a day. */
export const CompetitorPriceRecord = z.object({
  sku: Sku,
  date: IsoDate,
  competitor_price: Price,
  reason: z.string().min(1).default("observed"),
});
export type CompetitorPriceRecord = z.infer<typeof CompetitorPriceRecord>;
