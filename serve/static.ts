/**
 * The built site, served as files: `/` is index.html, a path without an
 * extension finds its `.html`, every answer has an ETag (304 when the browser
 * has it). Each page is marked `<meta name="pricing-serve">` so that it shows
 * the forms that talk to this server's API (a static copy shows none).
 *
 * @module
 */
import { extname, join, normalize } from "node:path";
import { etagOf, HttpError, matchesEtag, SECURITY_HEADERS } from "./http.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".csv": "text/csv; charset=utf-8",
};

/** What the server adds to every page's head. */
export const SERVED_MARK = '<meta name="pricing-serve" content="api">';

interface Cached {
  mtime: number;
  size: number;
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** A handler of GET and HEAD for the files of `dir` (the built site). */
export function staticFiles(dir: string): (req: Request, url: URL) => Promise<Response> {
  const cache = new Map<string, Cached>();

  async function load(file: string): Promise<Cached | null> {
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(file);
    } catch {
      return null;
    }
    if (!stat.isFile) return null;
    const mtime = stat.mtime?.getTime() ?? 0;
    const hit = cache.get(file);
    if (hit && hit.mtime === mtime && hit.size === stat.size) return hit;
    let body: Uint8Array<ArrayBuffer> = await Deno.readFile(file);
    if (extname(file) === ".html") {
      body = new TextEncoder().encode(
        new TextDecoder().decode(body).replace("<head>", `<head>\n${SERVED_MARK}`),
      );
    }
    const entry = { mtime, size: stat.size, body, etag: etagOf(body) };
    if (body.length < 2_000_000) cache.set(file, entry);
    return entry;
  }

  return async (req, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw new HttpError(
        405,
        "method_not_allowed",
        `${req.method} is not allowed on ${url.pathname}`,
        {
          allow: "GET, HEAD",
        },
      );
    }
    let path: string;
    try {
      path = normalize(decodeURIComponent(url.pathname));
    } catch {
      throw new HttpError(400, "bad_path", `bad path ${url.pathname}`);
    }
    if (path.split("/").includes("..") || path.includes("\0")) {
      throw new HttpError(400, "bad_path", `bad path ${url.pathname}`);
    }
    const candidates = path.endsWith("/")
      ? [join(path, "index.html")]
      : extname(path)
      ? [path]
      : [`${path}.html`, join(path, "index.html")];
    for (const candidate of candidates) {
      const found = await load(join(dir, candidate));
      if (!found) continue;
      const headers: Record<string, string> = {
        ...SECURITY_HEADERS,
        "content-type": TYPES[extname(candidate)] ?? "application/octet-stream",
        etag: found.etag,
        // Framework's assets carry their content hash in their names; pages do not.
        "cache-control": /\/_(?:file|import|node|observablehq|npm)\//.test(candidate)
          ? "public, max-age=31536000, immutable"
          : "no-cache",
      };
      if (matchesEtag(req.headers.get("if-none-match"), found.etag)) {
        return new Response(null, { status: 304, headers });
      }
      return new Response(req.method === "HEAD" ? null : found.body, { headers });
    }
    throw new HttpError(404, "not_found", `no file ${url.pathname} in the built site`);
  };
}
