/**
 * Content hashing over a canonical JSON form: keys sorted, numbers as JSON
 * writes them, so equal content gives equal digests on every machine.
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every depth; `undefined` fields are dropped.
 * Byte for byte what `JSON.stringify` gives for a copy of the value whose objects
 * have their keys inserted in sorted order (so array-index keys come first, in
 * numeric order, as JavaScript enumerates them), written directly: it is on the
 * daily run's hot path (every snapshot and decision is hashed).
 *
 * @param value Any value `JSON.stringify` accepts.
 * @returns The canonical JSON text.
 * @throws {TypeError} When `value` holds a non-finite number (or a bigint).
 *
 * @example Usage
 * ```ts
 * import { canonicalJson } from "./hash.ts";
 * import assert from "node:assert/strict";
 *
 * const json = canonicalJson({ b: 1, a: [true, { d: null, c: undefined }] });
 * assert.equal(json, '{"a":[true,{"d":null}],"b":1}');
 * assert.throws(() => canonicalJson({ x: NaN }), TypeError);
 * ```
 */
export function canonicalJson(value: unknown): string {
  return write(value, "") as string;
}

const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/** `"key":` for object keys, which repeat across records. */
const quoted = new Map<string, string>();

function quotedKey(k: string): string {
  let q = quoted.get(k);
  if (q === undefined) {
    q = JSON.stringify(k) + ":";
    if (quoted.size < 10_000) quoted.set(k, q);
  }
  return q;
}

function isIndexKey(k: string): boolean {
  return INDEX_KEY.test(k) && Number(k) < 4294967295;
}

/** The canonical JSON of `v` (found under `key`), or undefined where JSON omits it. */
function write(v: unknown, key: string): string | undefined {
  if (
    v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function"
  ) {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      if (!Number.isFinite(v)) {
        throw new TypeError(`Cannot hash a non-finite number (${v}) in canonical JSON`);
      }
      return String(v); // what JSON writes for a finite number, -0 as 0 included
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return JSON.stringify(v); // throws, as JSON.stringify does
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) {
        let out = "[";
        for (let i = 0; i < v.length; i++) {
          if (i) out += ",";
          out += write(v[i], String(i)) ?? "null";
        }
        return out + "]";
      }
      let keys = Object.keys(v).sort();
      if (keys.some(isIndexKey)) {
        const indices = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
        keys = [...indices, ...keys.filter((k) => !isIndexKey(k))];
      }
      let out = "{";
      let any = false;
      for (const k of keys) {
        const w = write((v as Record<string, unknown>)[k], k);
        if (w === undefined) continue;
        out += (any ? "," : "") + quotedKey(k) + w;
        any = true;
      }
      return out + "}";
    }
    default:
      return undefined; // undefined, functions and symbols
  }
}

/**
 * The sha256 of a string's UTF-8 bytes.
 *
 * @param text The text to hash.
 * @returns 64 lowercase hex digits.
 *
 * @example Usage
 * ```ts
 * import { sha256Hex } from "./hash.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   sha256Hex("abc"),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Hex sha256 of bytes (e.g. a file's content).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Bytes, sha256Hex } from "./hash.ts";
 *
 * assert.equal(sha256Bytes(new TextEncoder().encode("abc")), sha256Hex("abc"));
 * ```
 */
export function sha256Bytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The sha256 of a value's {@linkcode canonicalJson}: equal content, equal hash,
 * whatever the order of its keys.
 *
 * @param value Any value `canonicalJson` accepts.
 * @returns 64 lowercase hex digits.
 * @throws {TypeError} When `value` holds a non-finite number.
 *
 * @example Usage
 * ```ts
 * import { contentHash } from "./hash.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(contentHash({ a: 1, b: 2 }), contentHash({ b: 2, a: 1 }));
 * assert.notEqual(contentHash({ a: 1 }), contentHash({ a: 2 }));
 * ```
 */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * A running sha256 over lines: each `line(text)` adds the text and a newline. The lines
 * are handed to the hash some 64 KB at a time (the same bytes as one by one, at a
 * fraction of the calls: digests are on the daily run's hot path).
 *
 * @returns `line(text)` to hash the next line, and `hex()` for the digest (call once, last).
 *
 * @example Usage
 * ```ts
 * import { createLineHash, sha256Hex } from "./hash.ts";
 * import assert from "node:assert/strict";
 *
 * const hash = createLineHash();
 * hash.line("a");
 * hash.line("b");
 * assert.equal(hash.hex(), sha256Hex("a\nb\n"));
 * ```
 */
export function createLineHash(): { line(text: string): void; hex(): string } {
  const h = createHash("sha256");
  let pending = "";
  return {
    line(text) {
      pending += text + "\n";
      if (pending.length > 65_536) {
        h.update(pending);
        pending = "";
      }
    },
    hex: () => h.update(pending).digest("hex"),
  };
}

/**
 * A running sha256 over many records: each record's {@linkcode canonicalJson}
 * followed by a newline.
 *
 * @returns `add(value)` to hash the next record, and `hex()` for the digest (call once, last).
 *
 * @example Usage
 * ```ts
 * import { createDigest, sha256Hex } from "./hash.ts";
 * import assert from "node:assert/strict";
 *
 * const digest = createDigest();
 * digest.add({ sku: "A", price: 1.99 });
 * digest.add({ sku: "B", price: 2.49 });
 * assert.equal(digest.hex(), sha256Hex('{"price":1.99,"sku":"A"}\n{"price":2.49,"sku":"B"}\n'));
 * ```
 */
export function createDigest(): { add(value: unknown): void; hex(): string } {
  const lines = createLineHash();
  return { add: (value) => lines.line(canonicalJson(value)), hex: lines.hex };
}
