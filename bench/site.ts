/**
 * The site's benchmark: the time `deno task site:build` takes for a store, and
 * the bytes each page downloads when read in Debian's chromium with the browser
 * cache off (the built files served as a plain static server would), for the
 * issue's budget of about 1 MB per page on a 500-SKU store after 120 runs.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { openStore } from "../engine/store/db.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { defaultRunDate, readCatalogBefore } from "../engine/store/queries.ts";
import { createDemoStore } from "../sim/demo.ts";
import { recordSimulatedActuals } from "../sim/store.ts";

const SITE = fileURLToPath(new URL("../site/", import.meta.url));

/** Options of {@linkcode benchSite}. */
export interface SiteBenchOptions {
  /** Build for this store; default: a new demo store of `skus` run `days` days. */
  db?: string;
  skus: number;
  days: number;
  say: (message: string) => void;
}

/** The pages measured: the sidebar's and the first SKU's page. */
const PAGES = [
  "index.html",
  "alerts.html",
  "forecast.html",
  "models.html",
  "pricing.html",
  "sku.html",
  "backtest.html",
  "controls.html",
];

async function build(store: string, output: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(SITE, "build.ts")],
    env: { PRICING_DB: store, SITE_OUTPUT: output },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`site build failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  }
  return (performance.now() - started) / 1000;
}

/** Builds the site for a store and measures what each page downloads. */
export async function benchSite(o: SiteBenchOptions): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "bench_site_" });
  try {
    let store = o.db;
    if (!store) {
      store = join(dir, "pricing.db");
      o.say(`site: demo store of ${o.skus} SKUs run ${o.days} days`);
      const db = openStore(store);
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
    const firstSku = (() => {
      const db = openStore(store, { readOnly: true });
      try {
        return readCatalogBefore(db, "9999-12-31")[0].sku;
      } finally {
        db.close();
      }
    })();
    o.say(`site: building for ${store}`);
    const output = join(dir, "dist");
    const seconds = await build(store, output);
    let files = 0, bytesOnDisk = 0;
    for await (const f of walk(output)) (files++, bytesOnDisk += (await Deno.stat(f)).size);
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      if (path.includes("..")) return new Response("bad path", { status: 400 });
      try {
        const body = await Deno.readFile(
          join(output, path.endsWith("/") ? `${path}index.html` : path),
        );
        const type = path.endsWith(".html") || path.endsWith("/")
          ? "text/html"
          : path.endsWith(".js")
          ? "text/javascript"
          : path.endsWith(".css")
          ? "text/css"
          : "application/octet-stream";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
      headless: true,
      viewport: { width: 1280, height: 1000 },
    });
    const bytes: Record<string, number> = {};
    try {
      const page = context.pages()[0] ?? await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      let n = 0;
      cdp.on("Network.loadingFinished", (e) => (n += e.encodedDataLength));
      for (const p of [...PAGES, `sku/${firstSku}.html`]) {
        n = 0;
        await page.goto(`${base}/${p}`, { waitUntil: "networkidle" });
        await page.waitForTimeout(200);
        bytes[p] = n;
      }
    } finally {
      await context.close();
      await server.shutdown();
    }
    const largest = Object.entries(bytes).sort((a, b) => b[1] - a[1])[0];
    return {
      site: {
        store,
        build_seconds: Math.round(seconds * 10) / 10,
        output_files: files,
        output_mb: Math.round(bytesOnDisk / 1e5) / 10,
        page_bytes: bytes,
        largest_page: { page: largest[0], bytes: largest[1] },
        budget_bytes: 1_000_000,
        within_budget: largest[1] <= 1_000_000,
      },
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* walk(p);
    else if (e.isFile) yield p;
  }
}
