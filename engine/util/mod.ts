/** Seeded randomness, calendar dates, content hashing and the engine's error classes. @module */
export * from "./random.ts";
export * from "./date.ts";
export * from "./hash.ts";
export * from "./errors.ts";
