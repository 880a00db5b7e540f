/**
 * Test helper: a block packed the way the first stores did (every column at full
 * width), to test reading and re-packing such stores.
 *
 * @module
 */
import type { Block } from "./block.ts";

/** A block packed the way the first stores did (every column at full width). */
export function fullWidth(b: Block): Uint8Array {
  const n = b.day.length;
  const out = new Uint8Array(8 + n * 49);
  out[0] = 1;
  new DataView(out.buffer).setUint32(4, n, true);
  let at = 8;
  for (
    const c of ["units", "price", "competitor", "onHand", "onOrder", "day", "nextReceipt"] as const
  ) {
    const bytes = new Uint8Array(b[c].buffer, b[c].byteOffset, b[c].byteLength);
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  out.set(b.flags, at);
  return out;
}
