/**
 * The operations server's request handler: the API (routes, authentication,
 * roles, CSRF, validated queries and bodies, ETags, the OpenAPI document and
 * the site's sign-in) and the built site's files. Every refusal is a JSON 4xx
 * with a reason, decided before anything is written.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import { openStore } from "../engine/store/db.ts";
import { openReadOnly } from "../engine/store/queries.ts";
import {
  authenticate,
  checkCsrf,
  type Principal,
  requireRole,
  SESSION_COOKIE,
  Sessions,
} from "./auth.ts";
import { errorResponse, HttpError, jsonResponse, parseQuery, readJsonBody } from "./http.ts";
import { openApiDocument } from "./openapi.ts";
import { type Route, ROUTES } from "./routes.ts";
import { staticFiles } from "./static.ts";
import { verifyToken } from "./users.ts";

/** Options of {@linkcode createApp}. */
export interface AppOptions {
  /** The store (it must exist; migrations not yet applied are applied). */
  db: string;
  /** The built site's directory; null serves the API only. */
  site: string | null;
  /** Largest request body in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** How long a site session lasts. Default 8 hours. */
  sessionHours?: number;
  /** The clock (tests pass a fixed one). Default: the wall clock. */
  now?: () => Date;
  /** Called with each failure that is not the client's (500). Default: console.error. */
  onError?: (error: unknown, req: Request) => void;
}

/** A request handler and what it holds open. */
export interface App {
  handle(req: Request): Promise<Response>;
  close(): void;
}

interface Compiled {
  route: Route;
  parts: string[];
}

function compile(routes: readonly Route[]): Compiled[] {
  return routes.map((route) => ({ route, parts: route.path.split("/") }));
}

function match(c: Compiled, parts: string[]): Record<string, string> | null {
  if (c.parts.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = c.parts[i];
    if (p.startsWith("{")) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
    } else if (p !== parts[i]) return null;
  }
  return params;
}

const SignIn = z.strictObject({ token: z.string().min(1).max(200) });

/** Builds the handler over the store at `options.db`. */
export function createApp(options: AppOptions): App {
  // A write waits at most a moment for a daily run's lock (then 503): the server is one thread.
  const write: DatabaseSync = openStore(options.db, { busyTimeoutMs: 250 });
  const read: DatabaseSync = openReadOnly(options.db);
  const now = options.now ?? (() => new Date());
  const limit = options.maxBodyBytes ?? 16 * 1024;
  const sessionMs = (options.sessionHours ?? 8) * 3.6e6;
  const sessions = new Sessions(sessionMs, () => now().getTime());
  const compiled = compile(ROUTES);
  const openapi = JSON.stringify(openApiDocument(ROUTES));
  const files = options.site ? staticFiles(options.site) : null;
  const onError = options.onError ??
    ((e, req) => console.error(`serve: ${req.method} ${req.url}:`, e));

  function sessionInfo(p: Principal | null) {
    return p?.via === "session"
      ? { signed_in: true, user: p.user, role: p.role, csrf_token: p.session!.csrf }
      : { signed_in: false };
  }

  async function session(req: Request): Promise<Response> {
    const principal = authenticate(read, req, sessions);
    if (req.method === "GET") return jsonResponse(req, sessionInfo(principal));
    if (req.method === "POST") {
      const origin = req.headers.get("origin");
      if (origin !== null && origin !== new URL(req.url).origin) {
        throw new HttpError(403, "csrf", `cross-origin sign-in refused (origin ${origin})`);
      }
      const { token } = await readJsonBody(req, SignIn, limit);
      const t = verifyToken(read, token);
      if (!t) throw new HttpError(401, "unauthorized", "the token is unknown or revoked");
      const s = sessions.open(t.token_id);
      const secure = new URL(req.url).protocol === "https:" ? "; Secure" : "";
      return jsonResponse(
        req,
        { signed_in: true, user: t.name, role: t.role, csrf_token: s.csrf },
        {
          headers: {
            "set-cookie": `${SESSION_COOKIE}=${s.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${
              Math.round(sessionMs / 1000)
            }${secure}`,
          },
        },
      );
    }
    if (req.method === "DELETE") {
      const p = requireRole(principal, "viewer");
      checkCsrf(req, p);
      if (p.session) sessions.close(p.session.id);
      return jsonResponse(req, { signed_in: false }, {
        headers: {
          "set-cookie": `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
        },
      });
    }
    throw new HttpError(405, "method_not_allowed", `${req.method} /api/session`, {
      allow: "GET, POST, DELETE",
    });
  }

  async function api(req: Request, url: URL): Promise<Response> {
    if (url.pathname === "/api/openapi.json") {
      if (req.method !== "GET") {
        throw new HttpError(405, "method_not_allowed", "GET only", { allow: "GET" });
      }
      return jsonResponse(req, JSON.parse(openapi));
    }
    if (url.pathname === "/api/session") return await session(req);
    const parts = url.pathname.split("/");
    let allowed: string[] = [];
    for (const c of compiled) {
      const params = match(c, parts);
      if (!params) continue;
      if (c.route.method !== req.method) {
        allowed.push(c.route.method);
        continue;
      }
      allowed = [];
      return await call(c.route, params, req, url);
    }
    if (allowed.length) {
      throw new HttpError(
        405,
        "method_not_allowed",
        `${req.method} is not allowed on ${url.pathname}`,
        {
          allow: allowed.join(", "),
        },
      );
    }
    throw new HttpError(404, "not_found", `no endpoint ${url.pathname} (see /api/openapi.json)`);
  }

  async function call(route: Route, raw: Record<string, string>, req: Request, url: URL) {
    // Who, and may they: before looking at what they send.
    const principal = route.role
      ? requireRole(authenticate(read, req, sessions), route.role)
      : null;
    if (principal && route.method !== "GET") checkCsrf(req, principal);
    let params: Record<string, string> = raw;
    if (route.params) {
      const r = route.params.safeParse(raw);
      if (!r.success) {
        throw new HttpError(
          400,
          "bad_path",
          `bad path parameter: ${
            r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
          }`,
        );
      }
      params = Object.fromEntries(Object.entries(r.data).map(([k, v]) => [k, String(v)]));
    }
    const query = route.query ? parseQuery(url, route.query) : undefined;
    if (!route.query && url.search.length > 1) {
      throw new HttpError(400, "bad_query", `${route.path} takes no query parameters`);
    }
    const body = route.body ? await readJsonBody(req, route.body, limit) : undefined;
    const value = await route.handle({
      req,
      url,
      params,
      query,
      body,
      principal,
      read,
      write,
      now,
    });
    return jsonResponse(req, value, { status: route.status ?? 200 });
  }

  return {
    async handle(req: Request): Promise<Response> {
      const url = new URL(req.url);
      try {
        if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return await api(req, url);
        if (!files) {
          throw new HttpError(
            404,
            "not_found",
            "no site to serve (deno task site:build, then --site DIR)",
          );
        }
        return await files(req, url);
      } catch (error) {
        if (error instanceof HttpError) return errorResponse(error);
        if (/database is (locked|busy)/i.test(String((error as Error)?.message))) {
          return errorResponse(
            new HttpError(503, "busy", "the store is busy (a daily run holds its lock): retry", {
              "retry-after": "5",
            }),
          );
        }
        onError(error, req);
        return errorResponse(
          new HttpError(500, "internal", `internal error: ${(error as Error).message}`),
        );
      }
    },
    close() {
      write.close();
      read.close();
    },
  };
}
