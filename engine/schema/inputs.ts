/**
 * Input records: what the retailer (or the simulator) tells the engine. All are
 * append-only; a correction is a new record with a `reason`.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, IsoDate, plainText, Price, Sku } from "./common.ts";
import { GuardrailTerms } from "./guardrails.ts";

const /** @ignore */ _CatalogLines = z.object({
  /** The price family; null or absent: none. */
  family: plainText(64).min(1).nullable().optional(),
  /** Pack size in any unit shared by the family (e.g. litres); null or absent: none. */
  size: z.number().finite().positive().nullable().optional(),
  /** A key-value item (shoppers know its price). Absent: false. */
  key_value_item: z.boolean().optional(),
});
/**
 * A SKU's place in the store's price lines, all optional: SKUs of one `family` share
 * one price (per `size`); within a family of several sizes the price per unit of
 * size does not rise with size (a ladder); a key-value item is held to a tighter
 * price-index band.
 */
export const CatalogLines: typeof _CatalogLines = _CatalogLines;
/** The type {@linkcode CatalogLines} parses to. */
export type CatalogLines = Infer<typeof CatalogLines>;

const /** @ignore */ _CatalogRecord = z.object({
  sku: Sku,
  effective_date: IsoDate,
  category: plainText(64).min(1),
  /** The product's name, for people (optional). */
  name: plainText(200).min(1).nullable().default(null),
  ...GuardrailTerms.shape,
  active: z.boolean(),
  reason: plainText(500).min(1).default("initial"),
  ...CatalogLines.shape,
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
  units: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  returned_units: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  revenue: z.number().finite().min(0),
  shelf_price: Price,
  promo: z.boolean(),
  reason: plainText(500).min(1).default("observed"),
});
/**
 * One SKU's sales on one day: units sold (net of returns), units returned, the
 * revenue paid, and the day's shelf price (the regular price on the shelf, not
 * the average paid: quantity discounts do not move it).
 */
export const SalesRecord: typeof _SalesRecord = _SalesRecord;
/** The type {@linkcode SalesRecord} parses to. */
export type SalesRecord = Infer<typeof SalesRecord>;

const /** @ignore */ _InventoryRecord = z.object({
  sku: Sku,
  date: IsoDate,
  on_hand: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  on_order: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  next_receipt_date: IsoDate.nullable(),
  reason: plainText(500).min(1).default("observed"),
});
/** Stock of a SKU at the end of a day, and what is on its way. */
export const InventoryRecord: typeof _InventoryRecord = _InventoryRecord;
/** The type {@linkcode InventoryRecord} parses to. */
export type InventoryRecord = Infer<typeof InventoryRecord>;

const /** @ignore */ _CompetitorPriceRecord = z.object({
  sku: Sku,
  date: IsoDate,
  competitor_price: Price,
  reason: plainText(500).min(1).default("observed"),
});
/** A competitor's shelf price for a SKU, observed on a day. */
export const CompetitorPriceRecord: typeof _CompetitorPriceRecord = _CompetitorPriceRecord;
/** The type {@linkcode CompetitorPriceRecord} parses to. */
export type CompetitorPriceRecord = Infer<typeof CompetitorPriceRecord>;
