/** The model registry: training candidates, approval, and the champion. @module */
export * from "./accuracy.ts";
export * from "./load.ts";
export * from "./approval.ts";
export * from "./training_set.ts";
export * from "./train.ts";
export * from "./holdout.ts";
export * from "./settings.ts";
export * from "./lookup.ts";
export * from "./price_check.ts";
export * from "./price_response.ts";
export * from "./verdict.ts";
export * from "./evaluate.ts";
