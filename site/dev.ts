/**
 * `deno task site:dev`: Observable Framework's live preview that never shows stale
 * data. Framework caches each data loader's output until the loader's source
 * changes, not when the store does; so this drops the cache before the preview
 * starts and again whenever the store (or its WAL) is written, and the next page
 * load re-runs the loaders against the store as it is.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { storePath } from "./lib/site_data.ts";

const SITE = dirname(fileURLToPath(import.meta.url));
const CACHE = join(SITE, "src", ".observablehq", "cache");

async function dropCache(why: string): Promise<void> {
  await Deno.remove(CACHE, { recursive: true }).catch(() => {});
  console.error(`site:dev: loader cache dropped (${why})`);
}

await dropCache("start");
const store = storePath();
const preview = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "npm:@observablehq/framework@1.13.4", "preview", "--no-open", ...Deno.args],
  cwd: SITE,
  env: { OBSERVABLE_TELEMETRY_DISABLE: "true" },
}).spawn();

if (existsSync(dirname(store))) {
  const name = basename(store);
  let timer: ReturnType<typeof setTimeout> | undefined;
  (async () => {
    for await (const event of Deno.watchFs(dirname(store), { recursive: false })) {
      if (!event.paths.some((p) => basename(p).startsWith(name))) continue;
      clearTimeout(timer);
      timer = setTimeout(() => dropCache(`${name} changed`), 300);
    }
  })();
} else {
  console.error(`site:dev: no store at ${store} yet; the loaders will say so`);
}

Deno.exit((await preview.status).code);
