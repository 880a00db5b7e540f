/**
 * Seeded randomness, calendar dates, content hashing, rounding, binary search,
 * camelCase record types and the engine's error classes.
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
export * from "./errors.ts";
export * from "./html.ts";
export * from "./period.ts";
