/**
 * HTTP plumbing of the operations server: errors that become clear 4xx
 * answers, JSON answers with an ETag (and 304 when the client has it), request
 * bodies read with a size limit and checked by zod, query strings checked by zod.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { describeIssues } from "../engine/schema/common.ts";

/** A refusal or failure the client is told about: status, a machine code and a reason. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Headers every answer carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
});

/** The body of every error answer. */
export function errorBody(
  e: HttpError,
): { error: { status: number; code: string; message: string } } {
  return { error: { status: e.status, code: e.code, message: e.message } };
}

/** A JSON answer to an error. */
export function errorResponse(e: HttpError): Response {
  return new Response(JSON.stringify(errorBody(e)), {
    status: e.status,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...e.headers,
    },
  });
}

/** The strong ETag of a body: a quoted prefix of its sha256. */
export function etagOf(body: string | Uint8Array): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** Whether an If-None-Match header matches `etag` (a list, weak tags or `*`). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/** A JSON answer; a GET answer carries an ETag and becomes 304 when `req` already has it. */
export function jsonResponse(
  req: Request,
  value: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  const body = JSON.stringify(value);
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    ...init.headers,
  };
  const status = init.status ?? 200;
  if (req.method === "GET" && status === 200) {
    const etag = etagOf(body);
    headers.etag = etag;
    headers["cache-control"] = "no-cache";
    if (matchesEtag(req.headers.get("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers });
    }
  } else {
    headers["cache-control"] = "no-store";
  }
  return new Response(body, { status, headers });
}

/** Parses a query string's parameters with `schema` (repeated names are refused): 400 on a bad one. */
export function parseQuery<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
  const values: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (k in values) throw new HttpError(400, "bad_query", `query parameter ${k} is given twice`);
    values[k] = v;
  }
  const r = schema.safeParse(values);
  if (!r.success) {
    throw new HttpError(400, "bad_query", `bad query: ${describeIssues(r.error, values)}`);
  }
  return r.data;
}

/**
 * Reads a JSON body of at most `limit` bytes and parses it with `schema`: 415 when it is
 * not `application/json`, 413 when too large, 400 when malformed or invalid.
 */
export async function readJsonBody<T extends z.ZodType>(
  req: Request,
  schema: T,
  limit: number,
): Promise<z.infer<T>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `the request body must be application/json (got ${type || "no content type"})`,
    );
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(
      413,
      "payload_too_large",
      `the body has ${declared} bytes; at most ${limit}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new HttpError(413, "payload_too_large", `the body exceeds ${limit} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (bytes.set(c, at), at += c.length);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new HttpError(400, "bad_json", `the body is not JSON: ${(error as Error).message}`);
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new HttpError(400, "bad_body", `bad body: ${describeIssues(r.error, value)}`);
  }
  return r.data;
}
