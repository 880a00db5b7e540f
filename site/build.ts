/**
 * `deno task site:build`: Observable Framework's build of the site against the
 * store (PRICING_DB) into SITE_OUTPUT. Framework caches each data loader's
 * output by loader file, not by store, so the cache is dropped before and after;
 * and builds of this checkout take turns (a lock), since they share the cache.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SITE = dirname(fileURLToPath(import.meta.url));
const STATE = join(SITE, "src", ".observablehq");
const CACHE = join(STATE, "cache");

await Deno.mkdir(STATE, { recursive: true });
const lock = await Deno.open(join(STATE, "build.lock"), { create: true, write: true });
await lock.lock(true);
try {
  await Deno.remove(CACHE, { recursive: true }).catch(() => {});
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "npm:@observablehq/framework@1.13.4", "build", ...Deno.args],
    cwd: SITE,
    env: { OBSERVABLE_TELEMETRY_DISABLE: "true" },
  }).spawn().status;
  Deno.exitCode = code;
} finally {
  await Deno.remove(CACHE, { recursive: true }).catch(() => {});
  await lock.unlock();
  lock.close();
}
