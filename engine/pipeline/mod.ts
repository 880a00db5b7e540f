/** The daily run, its lock, digests and price export. @module */
export * from "./daily.ts";
export * from "./lock.ts";
export * from "./digest.ts";
export * from "./export.ts";
export * from "./replay.ts";
