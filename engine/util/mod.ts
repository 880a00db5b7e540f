/**
 * Seeded randomness, calendar dates, content hashing, rounding, binary search and
 * camelCase record types.
 *
 * @module
 */
export * from "./random.ts";
export * from "./date.ts";
export * from "./hash.ts";
export * from "./shares.ts";
export * from "./round.ts";
export * from "./lower_bound.ts";
export * from "./camel_case.ts";
