/** Seeded randomness, calendar dates, content hashing, rounding and binary search. @module */
export * from "./random.ts";
export * from "./date.ts";
export * from "./hash.ts";
export * from "./round.ts";
export * from "./lower_bound.ts";
