import assert from "node:assert/strict";
import { forecastAccuracy, forecastDrift, type ForecastPair } from "./forecast.ts";
import { addDays } from "../util/date.ts";

const pair = (date: string, sku: string, category: string, predicted: number, actual: number) => ({
  date,
  sku,
  category,
  strategy: "ml",
  predicted,
  actual,
  censored: false,
  promo: false,
});

Deno.test("forecastAccuracy() measures WAPE and bias per window and scope, leaving out censored and promotion days", () => {
  const pairs: ForecastPair[] = [
    pair("2026-01-09", "A", "x", 10, 8),
    pair("2026-01-09", "B", "y", 5, 5),
    { ...pair("2026-01-09", "C", "y", 5, 0), censored: true },
    { ...pair("2026-01-09", "D", "y", 5, 20), promo: true },
    pair("2025-12-20", "A", "x", 10, 10),
  ];
  const rows = forecastAccuracy(pairs, "2026-01-10");
  const all7 = rows.find((r) => r.window_days === 7 && r.scope_kind === "all")!;
  assert.equal(all7.n, 2);
  assert.equal(all7.wape, Math.round((2 / 13) * 1e6) / 1e6);
  assert.equal(all7.bias, Math.round((2 / 13) * 1e6) / 1e6);
  const all30 = rows.find((r) => r.window_days === 30 && r.scope_kind === "all")!;
  assert.equal(all30.n, 3);
  assert.deepEqual(rows.filter((r) => r.window_days === 7).map((r) => r.scope), [
    "all",
    "ml",
    "x",
    "y",
  ]);
  const empty = forecastAccuracy([], "2026-01-10");
  assert.equal(empty[0].wape, null);
});

Deno.test("forecastDrift() needs a larger bias from a small, noisy category than from a large, steady one", () => {
  const days = Array.from({ length: 7 }, (_, i) => addDays("2026-01-03", i));
  // Forty SKUs, each selling 20 % less than forecast every day: drift.
  const steady = days.flatMap((d) =>
    Array.from({ length: 40 }, (_, k) => pair(d, `S${k}`, "steady", 10, 8 - (k % 3) + 1))
  );
  // Ten SKUs, on average 30 % below forecast but half of them above it: not drift.
  const noisy = days.flatMap((d) =>
    Array.from({ length: 10 }, (_, k) => pair(d, `N${k}`, "noisy", 10, k % 2 ? 1 : 13))
  );
  const drifts = forecastDrift([...steady, ...noisy], "2026-01-10", { minBias: 0.15 });
  const scopes = drifts.map((d) => d.scope);
  assert.ok(scopes.includes("steady"), JSON.stringify(drifts));
  assert.ok(!scopes.includes("noisy"), JSON.stringify(drifts));
});
