/**
 * A person's approval between a candidate and the prices: approving promotes
 * the candidate and retires the champion; rejecting leaves the champion.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { readChampion, readModels } from "../store/queries.ts";
import { appendModelEvent, transaction } from "../store/writer.ts";
import { InputError } from "../util/errors.ts";

/** Who decides and why. */
export interface Verdict {
  actor: string;
  reason: string;
  recordedAt: string | null;
}

function pending(db: DatabaseSync, version: string, action: string, v: Verdict) {
  if (!v.actor.trim()) {
    throw new InputError(`Cannot ${action} model ${version}: name who decides (--by)`);
  }
  if (!v.reason.trim()) {
    throw new InputError(`Cannot ${action} model ${version}: give a reason (--reason)`);
  }
  const m = readModels(db, { version })[0];
  if (!m) throw new InputError(`Cannot ${action} model ${version}: not in the registry`);
  if (m.status !== "pending") {
    throw new InputError(`Cannot ${action} model ${version}: it is ${m.status}, not pending`);
  }
  return m;
}

/** Approves a pending model: approved + promoted; the previous champion is retired. */
export function approveModel(
  db: DatabaseSync,
  version: string,
  v: Verdict,
): { version: string; retired: string | null } {
  return transaction(db, () => {
    pending(db, version, "approve", v);
    const previous = readChampion(db);
    appendModelEvent(db, version, "approved", v.actor, v.reason, v.recordedAt);
    if (previous) {
      appendModelEvent(
        db,
        previous.version,
        "retired",
        v.actor,
        `replaced by ${version}`,
        v.recordedAt,
      );
    }
    appendModelEvent(db, version, "promoted", v.actor, v.reason, v.recordedAt);
    return { version, retired: previous?.version ?? null };
  });
}

/** Rejects a pending model; the champion keeps pricing. */
export function rejectModel(db: DatabaseSync, version: string, v: Verdict): { version: string } {
  return transaction(db, () => {
    pending(db, version, "reject", v);
    appendModelEvent(db, version, "rejected", v.actor, v.reason, v.recordedAt);
    return { version };
  });
}
