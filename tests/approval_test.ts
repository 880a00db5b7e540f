import assert from "node:assert/strict";
import { join } from "node:path";
import { approvalChecks, approveModel } from "../engine/registry/approval.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { openReadOnly, readChampion, readModelEvents } from "../engine/store/queries.ts";
import type { ModelMetrics } from "../engine/schema/models.ts";
import { onlyJson, runTask } from "./_run_task.ts";
import { weeklyStore } from "./_weekly_store.ts";

const METRICS: ModelMetrics = {
  holdout_from: "2024-12-04",
  holdout_to: "2024-12-31",
  holdout_rows: 310,
  train_rows: 3350,
  candidate: {
    wape: 0.5,
    bias: 0,
    price_response: { moves: 40, sign_agreement: 0.7, spearman: 0.4, calibration_slope: 0.8 },
  },
  seasonal_naive: { wape: 0.6, bias: 0 },
  champion: {
    version: "gbdt-1",
    wape: 0.495,
    bias: 0,
    price_response: { moves: 40, sign_agreement: 0.7, spearman: 0.4, calibration_slope: 0.8 },
  },
};

Deno.test("approvalChecks() names each check a candidate fails, with the values", () => {
  assert.deepEqual(approvalChecks(METRICS), []);
  const worse = { ...METRICS, candidate: { ...METRICS.candidate, wape: 0.65 } };
  const failed = approvalChecks(worse);
  assert.equal(failed.length, 2);
  assert.match(failed[0], /WAPE 0.65 is worse than the seasonal-naive forecast's 0.6/);
  assert.match(failed[1], /worse than the champion gbdt-1's 0.495 .* by more than 2%/);
  // 2% is allowed, more is not
  const within = { ...METRICS, candidate: { ...METRICS.candidate, wape: 0.5049 } };
  assert.deepEqual(approvalChecks(within), []);
  const flat = {
    ...METRICS,
    candidate: {
      ...METRICS.candidate,
      price_response: { ...METRICS.candidate.price_response!, sign_agreement: 0.6 },
    },
  };
  assert.match(approvalChecks(flat)[0], /sign agreement 0.6 is below the champion gbdt-1's 0.7/);
  // models registered before price response was measured are not held to it
  const old = { ...flat, champion: { ...flat.champion!, price_response: undefined } };
  assert.deepEqual(approvalChecks(old), []);
});

Deno.test("models approve refuses a candidate worse than the champion on the same holdout, --force approves it and records why", async () => {
  const dir = await Deno.makeTempDir({ prefix: "approval_" });
  try {
    const path = join(dir, "weekly.db");
    const db = await weeklyStore(path);
    const gbdt = trainCandidate(db, { actor: "test", recordedAt: null });
    // three small steps from the mean: a candidate far worse than the champion
    const flat = trainCandidate(db, {
      gbdt: { trees: 3, learningRate: 0.05 },
      actor: "test",
      recordedAt: null,
    });
    approveModel(db, gbdt.version, { actor: "test", reason: "first", recordedAt: null });
    db.close();
    assert.ok(flat.metrics.candidate.wape > gbdt.metrics.candidate.wape * 1.02);
    const listed = onlyJson(await runTask("models", ["list", "--db", path, "--json"]));
    const pending = (listed.models as { version: string; approval_checks: string[] }[])
      .find((m) => m.version === flat.version)!;
    // registered before the gbdt was approved: it was compared with no champion then
    assert.ok(pending.approval_checks.every((c) => !c.includes("champion")));
    const refused = await runTask("models", [
      "approve",
      flat.version,
      "--db",
      path,
      "--by",
      "ann",
      "--reason",
      "fewer trees",
      "--json",
    ]);
    assert.equal(refused.code, 2, refused.stderr);
    const error = String(onlyJson(refused).error);
    assert.match(error, new RegExp(`worse than the champion ${gbdt.version}'s`));
    assert.match(error, /pass --force with --reason/);
    const forced = await runTask("models", [
      "approve",
      flat.version,
      "--db",
      path,
      "--by",
      "ann",
      "--reason",
      "fewer trees",
      "--force",
      "--json",
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((onlyJson(forced).forced as string[]).length, 2); // naive and the champion
    const read = openReadOnly(path);
    assert.equal(readChampion(read)?.version, flat.version);
    const approved = readModelEvents(read, { version: flat.version })
      .find((e) => e.event === "approved")!;
    assert.match(approved.reason, /^fewer trees \[approved with --force although its WAPE/);
    read.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
