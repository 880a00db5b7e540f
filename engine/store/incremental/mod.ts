/**
 * Incremental readers: per open connection, state built from the rows read so
 * far and brought up to date by reading only rows appended since (by row id).
 * A rollback drops the state. Each reader gives the same answers as a fresh read.
 *
 * @module
 */
export * from "./catalog.ts";
export * from "./forecast_pairs.ts";
