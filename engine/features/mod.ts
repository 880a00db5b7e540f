/** The feature job: inputs before the run date → one snapshot per active SKU. @module */
export * from "./inputs.ts";
export * from "./history.ts";
export * from "./window.ts";
export * from "./snapshot.ts";
export * from "./reference.ts";
export * from "./block_inputs.ts";
export * from "./job.ts";
