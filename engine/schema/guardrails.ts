/**
 * The guardrail terms of a SKU: the one declaration of the fields that bound its
 * price. The catalog record and the feature snapshot carry them; the pricing
 * engine's `Guardrails` and the simulator's SKU parameters are typed from them
 * (in camelCase).
 *
 * @module
 */
import { z } from "zod";
import { Fraction, type Infer, Price, PriceEnding } from "./common.ts";

const /** @ignore */ _GuardrailTerms = z.object({
  /** What one unit costs the retailer. */
  unit_cost: Price,
  /** Lowest allowed price. */
  floor_price: Price,
  /** Highest allowed price. */
  ceiling_price: Price,
  /** Fraction in [0, 1): `(p - unit_cost) / p >= min_margin`. */
  min_margin: Fraction,
  /** Fraction in (0, 1]: `|p / previous price - 1| <= max_daily_change`. */
  max_daily_change: z.number().finite().positive().max(1),
  /** How the price must end. */
  price_ending: PriceEnding,
});
/** What bounds a SKU's price, in currency units. */
export const GuardrailTerms: typeof _GuardrailTerms = _GuardrailTerms;
/** The guardrail terms as a record holds them (snake_case). */
export type GuardrailTerms = Infer<typeof GuardrailTerms>;
