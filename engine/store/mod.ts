/** The audit store: opening and migrating, the writer, and the read-only queries. @module */
export * from "./db.ts";
export * from "./migrations.ts";
export * from "./writer.ts";
export * from "./queries.ts";
export * from "./bulk.ts";
export * from "./connection_state.ts";
export * from "./incremental/mod.ts";
export * from "./history/mod.ts";
