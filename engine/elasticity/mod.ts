/** Own-price elasticity: per-SKU log-log Poisson regression, shrunk toward the category. @module */
export * from "./glm.ts";
export * from "./estimate.ts";
export * from "./shrink.ts";
export * from "./weekly.ts";
