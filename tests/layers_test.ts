/**
 * The layers point one way. Every import in `engine/` (tests aside) must go to
 * its own folder or to a lower layer:
 * util → schema → store → elasticity → features/data → demand →
 * pricing/registry/monitoring → pipeline → the public door `engine/mod.ts`;
 * folders on one layer do not import each other. The engine never imports
 * `sim/`, `tasks/`, `site/` or `serve/`; `sim/` never imports them either; `site/`
 * never imports `serve/` or `tasks/`, and `serve/` (the operations server) never
 * imports `tasks/`.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** The layer of each folder of engine/. */
const LAYERS: Record<string, number> = {
  util: 0,
  schema: 1,
  store: 2,
  elasticity: 3,
  features: 4,
  data: 4,
  ingest: 4,
  demand: 5,
  pricing: 6,
  registry: 6,
  monitoring: 6,
  pipeline: 7,
  "mod.ts": 8,
};

/** Top-level folders that may import each other, highest first: a folder imports only later ones. */
const TOP = ["tasks", "serve", "site", "bench", "sim", "engine"];

function* sources(dir: string): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      yield* sources(path);
    } else if (/\.(ts|js)$/.test(entry.name) && !/_test\.ts$/.test(entry.name)) {
      yield path;
    }
  }
}

/**
 * Relative import specifiers of a source file (static, dynamic and type-only), leaving out
 * block comments (a JSDoc example imports the public door; the module itself does not).
 */
export function importsOf(source: string): string[] {
  const text = source.replaceAll(/\/\*[\s\S]*?\*\//g, "");
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
  for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

function topOf(path: string): string {
  return relative(ROOT, path).split("/")[0];
}

function layerOf(path: string): { folder: string; layer: number } {
  const folder = relative(join(ROOT, "engine"), path).split("/")[0];
  const layer = LAYERS[folder];
  if (layer === undefined) {
    throw new Error(`engine/${folder} has no layer: add it to LAYERS in tests/layers_test.ts`);
  }
  return { folder, layer };
}

/** Every import that goes against the layers, as "from -> to (why)". */
function upwardImports(): string[] {
  const bad: string[] = [];
  for (const top of ["engine", "sim", "site", "serve"]) {
    for (const file of sources(join(ROOT, top))) {
      for (const spec of importsOf(Deno.readTextFileSync(file))) {
        const target = resolve(dirname(file), spec);
        const from = relative(ROOT, file), to = relative(ROOT, target);
        const fromTop = topOf(file), toTop = topOf(target);
        if (TOP.indexOf(toTop) < TOP.indexOf(fromTop)) {
          bad.push(`${from} -> ${to} (${fromTop}/ must not import ${toTop}/)`);
          continue;
        }
        if (fromTop !== "engine" || toTop !== "engine") continue;
        const a = layerOf(file), b = layerOf(target);
        if (a.folder === b.folder) continue;
        if (b.layer > a.layer) {
          bad.push(`${from} -> ${to} (${a.folder} is below ${b.folder})`);
        } else if (b.layer === a.layer) {
          bad.push(`${from} -> ${to} (${a.folder} and ${b.folder} are on one layer)`);
        }
      }
    }
  }
  return bad;
}

Deno.test("importsOf() finds static, dynamic, type-only and side-effect imports", () => {
  const text = `import { a } from "./a.ts";
import type { B } from "../b/b.ts";
export * from "./c.ts";
import "./d.ts";
const e = await import("./e.ts");
import { z } from "zod";
/** @example
 * import { f } from "./mod.ts";
 */`;
  assert.deepEqual(importsOf(text), ["./a.ts", "../b/b.ts", "./c.ts", "./d.ts", "./e.ts"]);
});

Deno.test("engine/ imports point down the layers, and engine/, sim/, site/ and serve/ never import above them", () => {
  assert.deepEqual(upwardImports(), []);
});
