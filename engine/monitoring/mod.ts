/**
 * Monitoring: forecast accuracy, feature drift against the champion's training
 * reference, data quality, alerts and retrain requests that wait for a person.
 *
 * @module
 */
export * from "./psi.ts";
export * from "./drift.ts";
export * from "./forecast.ts";
export * from "./quality.ts";
export * from "./alerts.ts";
export * from "./retrain.ts";
export * from "./assess.ts";
export * from "./health.ts";
