/**
 * The operations server's benchmark: `deno task serve` started in a fresh
 * process on a demo store (or a copy of a given store), driven over loopback by
 * a real HTTP client (fetch) with a seeded mix of the API's read endpoints
 * (health, alerts, runs, pricing pages, SKU searches and histories, decisions
 * with explanations, models, overrides): latency percentiles per endpoint, one
 * request at a time and with 8 in flight, and the server process's peak memory.
 *
 * @module
 */
import { join } from "node:path";
import { backup } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { defaultRunDate, latestSucceededRun, readCatalogBefore } from "../engine/store/queries.ts";
import { createRandom } from "../engine/util/random.ts";
import { createDemoStore } from "../sim/demo.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { addUser } from "../serve/mod.ts";
import { median } from "./_timing.ts";

/** Options of {@linkcode benchServe}. */
export interface ServeBenchOptions {
  /** Measure on a copy of this store; default: a new demo store of `skus` run `days` days. */
  db?: string;
  skus: number;
  days: number;
  /** Timed requests per mode (one at a time; 8 in flight). */
  requests: number;
  say: (message: string) => void;
}

/** The target: p99 under 20 ms on the demo store. */
export const SERVE_TARGET_P99_MS = 20;

const SERVE = new URL("../tasks/serve.ts", import.meta.url).pathname;

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const k = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, k)];
}

const ms = (x: number) => Math.round(x * 100) / 100;

function summary(samples: readonly number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50_ms: ms(percentile(s, 50)),
    p95_ms: ms(percentile(s, 95)),
    p99_ms: ms(percentile(s, 99)),
    max_ms: ms(s[s.length - 1]),
  };
}

/** The store the bench measures on, in `dir`; returns its path and what it holds. */
async function prepareStore(
  o: ServeBenchOptions,
  dir: string,
): Promise<{ path: string; skus: string[]; runId: string; source: string }> {
  const path = join(dir, "pricing.db");
  if (o.db) {
    o.say(`serve: copying ${o.db}`);
    const src = openStore(o.db, { readOnly: true });
    try {
      await backup(src, path);
    } finally {
      src.close();
    }
  } else {
    o.say(`serve: demo store of ${o.skus} SKUs run ${o.days} days`);
    const db = openStore(path);
    try {
      await createDemoStore(db, { skus: o.skus });
      runDates(db, {
        from: defaultRunDate(db),
        days: o.days,
        recordActuals: recordSimulatedActuals,
        monitoring: {},
      });
    } finally {
      db.close();
    }
  }
  const db = openStore(path);
  try {
    const run = latestSucceededRun(db);
    if (!run) throw new RangeError(`Cannot bench the server on ${o.db ?? path}: no successful run`);
    return {
      path,
      skus: readCatalogBefore(db, "9999-12-31").map((c) => c.sku),
      runId: run.run_id,
      source: o.db ?? `demo store, ${o.skus} SKUs x ${o.days} runs`,
    };
  } finally {
    db.close();
  }
}

/** A seeded list of requests: [endpoint name, path]. */
function requestMix(n: number, skus: readonly string[], runId: string, seed: number) {
  const random = createRandom(seed);
  const sku = () => skus[Math.floor(random() * skus.length)];
  const kinds: [string, () => string][] = [
    ["health", () => "/api/health"],
    ["alerts", () => "/api/alerts?status=all&limit=50"],
    ["runs", () => "/api/runs?limit=20"],
    ["pricing", () => `/api/pricing?limit=100&offset=${100 * Math.floor(random() * 5)}`],
    ["skus", () => `/api/skus?q=${sku().slice(0, -1)}`],
    ["sku_history", () => `/api/skus/${sku()}/history?days=120`],
    ["decision", () => `/api/decisions/${encodeURIComponent(runId)}/${sku()}`],
    ["models", () => "/api/models"],
    ["overrides", () => "/api/overrides"],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [name, path] = kinds[i % kinds.length];
    return [name, path()] as const;
  });
}

function memoryOf(pid: number): { peak_rss_mb: number; rss_mb: number } | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return {
      peak_rss_mb: Math.round(kb("VmHWM") / 102.4) / 10,
      rss_mb: Math.round(kb("VmRSS") / 102.4) / 10,
    };
  } catch {
    return null;
  }
}

/** Times the server's read endpoints over loopback in a fresh `deno task serve` process. */
export async function benchServe(o: ServeBenchOptions): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "bench_serve_" });
  const child: { process: Deno.ChildProcess | null } = { process: null };
  try {
    const store = await prepareStore(o, dir);
    const token = (() => {
      const db = openStore(store.path);
      try {
        return addUser(db, { name: "bench", role: "viewer" }, { actor: "bench", recordedAt: null })
          .token;
      } finally {
        db.close();
      }
    })();
    const server = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        SERVE,
        "--db",
        store.path,
        "--port",
        "0",
        "--site",
        join(dir, "none"),
        "--json",
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    child.process = server;
    const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("Cannot bench the server: it exited before listening");
      line += value;
    }
    reader.releaseLock();
    const base = JSON.parse(line).url.replace(/\/$/, "");
    const memoryAtStart = memoryOf(server.pid);
    const headers = { authorization: `Bearer ${token}` };
    const one = async (path: string) => {
      const t = performance.now();
      const r = await fetch(`${base}${path}`, { headers });
      const body = await r.arrayBuffer();
      const elapsed = performance.now() - t;
      if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
      return { elapsed, bytes: body.byteLength };
    };
    o.say(
      `serve: warming up, then ${o.requests} requests one at a time and ${o.requests} with 8 in flight`,
    );
    for (const [, path] of requestMix(Math.min(200, o.requests), store.skus, store.runId, 7)) {
      await one(path);
    }
    const sequential = requestMix(o.requests, store.skus, store.runId, 1);
    const byEndpoint = new Map<string, number[]>();
    const bytes = new Map<string, number[]>();
    const all: number[] = [];
    const started = performance.now();
    for (const [name, path] of sequential) {
      const r = await one(path);
      all.push(r.elapsed);
      (byEndpoint.get(name) ?? byEndpoint.set(name, []).get(name)!).push(r.elapsed);
      (bytes.get(name) ?? bytes.set(name, []).get(name)!).push(r.bytes);
    }
    const sequentialSeconds = (performance.now() - started) / 1000;
    const concurrent = requestMix(o.requests, store.skus, store.runId, 2);
    const inFlight: number[] = [];
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < concurrent.length) {
        const [, path] = concurrent[next++];
        inFlight.push((await one(path)).elapsed);
      }
    }));
    const concurrentSeconds = (performance.now() - t) / 1000;
    const memory = memoryOf(server.pid);
    server.kill("SIGTERM");
    await server.status;
    child.process = null;
    const seq = summary(all);
    return {
      serve: {
        store: store.source,
        skus: store.skus.length,
        client:
          "fetch over loopback (HTTP/1.1, keep-alive), one process; server: deno task serve in a fresh process",
        sequential: {
          ...seq,
          requests_per_s: Math.round(all.length / sequentialSeconds),
          by_endpoint: Object.fromEntries(
            [...byEndpoint].map(([name, xs]) => [
              name,
              { ...summary(xs), median_bytes: median(bytes.get(name)!) },
            ]),
          ),
        },
        concurrent_8: {
          ...summary(inFlight),
          requests_per_s: Math.round(inFlight.length / concurrentSeconds),
        },
        server_memory_at_start: memoryAtStart,
        server_memory: memory,
        target_p99_ms: SERVE_TARGET_P99_MS,
        meets_target: seq.p99_ms < SERVE_TARGET_P99_MS,
      },
    };
  } finally {
    if (child.process) {
      child.process.kill("SIGTERM");
      await child.process.status;
    }
    await Deno.remove(dir, { recursive: true });
  }
}
