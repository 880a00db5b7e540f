/**
 * Types that turn snake_case record fields into the camelCase names code uses, so
 * a field set declared once as a record schema also types the objects computed
 * from it.
 *
 * @module
 */

/** `"max_daily_change"` → `"maxDailyChange"`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** `T` with every key in camelCase: `{ unit_cost: number }` → `{ unitCost: number }`. */
export type CamelCased<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };
