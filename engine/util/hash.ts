/**
 * Content hashing over a canonical JSON form: keys sorted, numbers as JSON
 * writes them, so equal content gives equal digests on every machine.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every depth; `undefined` fields are dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new TypeError(`Cannot hash a non-finite number (${v}) in canonical JSON`);
    }
    return v;
  });
}

/** Hex sha256 of a string. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Hex sha256 of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** A running sha256 over many canonical JSON records, one per line. */
export function createDigest(): { add(value: unknown): void; hex(): string } {
  const h = createHash("sha256");
  return {
    add(value) {
      h.update(canonicalJson(value));
      h.update("\n");
    },
    hex: () => h.digest("hex"),
  };
}
