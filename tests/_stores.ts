/** Test helpers: small simulator-backed stores in temporary files. @module */
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { loadScenario } from "../sim/scenario.ts";
import { writeSimulatedStore } from "../sim/store.ts";

/** Creates a simulated store in a new temporary directory; returns its path and handle. */
export async function simulatedStore(
  options: { skus: number; days: number; seed?: number; scenario?: string },
): Promise<{ path: string; db: DatabaseSync; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "pricing-test-" });
  const path = `${dir}/store.db`;
  const db = openStore(path);
  writeSimulatedStore(db, {
    scenario: await loadScenario(options.scenario ?? "default"),
    seed: options.seed ?? 11,
    skus: options.skus,
    historyDays: options.days,
  });
  return { path, db, dir };
}
