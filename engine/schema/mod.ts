/** Zod schemas for every record that crosses a boundary. @module */
export * from "./common.ts";
export * from "./guardrails.ts";
export * from "./inputs.ts";
export * from "./features.ts";
export * from "./run.ts";
export * from "./pricing.ts";
export * from "./rules.ts";
export * from "./models.ts";
export * from "./monitoring.ts";
export * from "./backtest.ts";
export * from "./imports.ts";
export * from "./contract.ts";
export * from "./contract_doc.ts";
export * from "./users.ts";
export * from "./evaluation.ts";
