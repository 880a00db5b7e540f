/**
 * Test helpers of the site: building it against a store, a plain static file
 * server (no clean-URL help: a link must name its file), Debian's chromium
 * through playwright-core, a watch on every page for console errors and
 * requests outside the site, bytes downloaded per page, and where screenshots
 * go (`SITE_SCREENSHOT_DIR`, default out/site-screenshots/, git-ignored).
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where a test's screenshots go: SITE_SCREENSHOT_DIR/NAME, default out/site-screenshots/NAME. */
export async function screenshotDir(name: string): Promise<string> {
  const dir = join(
    Deno.env.get("SITE_SCREENSHOT_DIR") ?? join(ROOT, "out", "site-screenshots"),
    name,
  );
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

/** Builds the site against `store` into `output` (`deno task site:build`); returns the seconds it took. */
export async function buildSite(store: string, output: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "site", "build.ts")],
    env: { PRICING_DB: store, SITE_OUTPUT: output },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `site build failed:\n${text.slice(-4000)}`);
  return seconds;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves the files of `dir` the way a plain static server does: the path as given, or a
 * directory's index.html; `/pricing` is 404 (only `/pricing.html` exists).
 */
export function plainStaticServer(dir: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname));
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    for (const candidate of [path, join(path, "index.html")]) {
      const file = join(dir, candidate);
      try {
        if (!(await Deno.stat(file)).isFile) continue;
        const type = TYPES[extname(file)] ?? "application/octet-stream";
        return new Response(await Deno.readFile(file), { headers: { "content-type": type } });
      } catch {
        continue;
      }
    }
    return new Response("not found", { status: 404 });
  });
}

/** Chromium with a fresh profile. */
export async function browser(profile: string): Promise<BrowserContext> {
  return await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 1000 },
  });
}

/**
 * A page whose console errors, page errors, failed requests and requests leaving `base` are
 * collected, and which counts the bytes it transfers (the browser cache off).
 */
export async function watchedPage(
  context: BrowserContext,
  base: string,
): Promise<{ page: Page; problems: string[]; bytes: () => number; resetBytes: () => void }> {
  const page = context.pages()[0] ?? await context.newPage();
  const problems: string[] = [];
  // Every page load counts the bytes it transfers, in full (no browser cache), once per
  // address: a module a page happens to fetch twice (a preload racing its import) is what
  // the page needs once, and counting it twice made the figure depend on timing.
  const urls = new Map<string, string>();
  let sizes = new Map<string, number>();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId) ?? e.requestId;
    sizes.set(url, Math.max(sizes.get(url) ?? 0, e.encodedDataLength));
  });
  const bytes = () => [...sizes.values()].reduce((a, b) => a + b, 0);
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console on ${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A navigation cancels the previous page's preloads still in flight: not a failure.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") {
      problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
    }
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) {
      problems.push(`request outside the site: ${r.url()}`);
    }
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return { page, problems, bytes, resetBytes: () => void (sizes = new Map()) };
}

/** Opens `path` and waits until the page has rendered its charts and tables. */
export async function open(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}/${path}`, { waitUntil: "networkidle" });
  await page.locator("main h1").first().waitFor({ timeout: 20_000 });
}
