/** Seeded randomness, calendar dates, content hashing and rounding. @module */
export * from "./random.ts";
export * from "./date.ts";
export * from "./hash.ts";
export * from "./round.ts";
