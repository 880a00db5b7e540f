/** Seeded randomness, calendar dates and content hashing. @module */
export * from "./random.ts";
export * from "./date.ts";
export * from "./hash.ts";
export * from "./shares.ts";
