/** Digests of a run's inputs (its snapshots) and outputs (its decisions). @module */
import type { SnapshotRow } from "../schema/features.ts";
import type { Decision } from "../schema/pricing.ts";
import { createDigest } from "../util/hash.ts";

/** sha256 over the snapshot ids, by SKU: what the run read. */
export function inputDigest(
  snapshots: readonly Pick<SnapshotRow, "sku" | "snapshot_id">[],
): string {
  const d = createDigest();
  for (const s of [...snapshots].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
    d.add([s.sku, s.snapshot_id]);
  }
  return d.hex();
}

/** sha256 over the canonical decisions by SKU, without the run id: what the run decided. */
export function outputDigest(decisions: readonly Omit<Decision, "run_id">[]): string {
  const d = createDigest();
  for (const x of [...decisions].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
    const { run_id: _ignored, ...rest } = x as Decision;
    d.add(rest);
  }
  return d.hex();
}
