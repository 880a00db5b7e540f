/** The history blocks (each SKU's joined history by month), their sync and the weekly elasticity fits. @module */
export * from "./block.ts";
export * from "./sync.ts";
export * from "./read.ts";
export * from "./fits.ts";
export * from "./repack.ts";
