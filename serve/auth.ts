/**
 * Who is asking, and may they: a bearer token (`Authorization: Bearer ...`) or
 * the site's session cookie (set by signing in with a token), the role each
 * endpoint needs, and CSRF protection for the site's forms: a request that
 * changes anything on the strength of the cookie must carry the session's CSRF
 * token in `X-CSRF-Token` and, when the browser names one, come from the
 * server's own origin. Sessions live in the server's memory only.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { timingSafeEqual } from "node:crypto";
import type { Role } from "../engine/schema/users.ts";
import { readTokens } from "../engine/store/queries.ts";
import { HttpError } from "./http.ts";
import { verifyToken } from "./users.ts";

/** Each role includes the ones before it. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, operator: 2, approver: 3 };

/** Who made a request, and how they proved it. */
export interface Principal {
  user: string;
  role: Role;
  tokenId: number;
  via: "bearer" | "session";
  /** The session's id and CSRF token (session only). */
  session?: { id: string; csrf: string };
}

/** The site's session cookie. */
export const SESSION_COOKIE = "pricing_session";

interface Session {
  tokenId: number;
  csrf: string;
  expires: number;
}

const random = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

const same = (a: string, b: string) =>
  a.length === b.length &&
  timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));

/** Sessions of the site's signed-in users, kept in memory for `ttlMs`. */
export class Sessions {
  readonly #sessions = new Map<string, Session>();
  constructor(readonly ttlMs: number, readonly now: () => number) {}

  /** Opens a session for a token; returns its id and CSRF token. */
  open(tokenId: number): { id: string; csrf: string } {
    const id = random(32);
    const csrf = random(32);
    this.#sessions.set(id, { tokenId, csrf, expires: this.now() + this.ttlMs });
    return { id, csrf };
  }

  /** The live session `id`, or null (expired ones are dropped). */
  get(id: string): Session | null {
    const s = this.#sessions.get(id);
    if (!s) return null;
    if (s.expires <= this.now()) {
      this.#sessions.delete(id);
      return null;
    }
    return s;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/** The principal of a request (bearer token first, then session cookie), or null. */
export function authenticate(db: DatabaseSync, req: Request, sessions: Sessions): Principal | null {
  const header = req.headers.get("authorization");
  if (header !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new HttpError(401, "unauthorized", "the Authorization header must be: Bearer TOKEN", {
        "www-authenticate": 'Bearer realm="pricing"',
      });
    }
    const t = verifyToken(db, m[1]);
    if (!t) {
      throw new HttpError(401, "unauthorized", "the token is unknown or revoked", {
        "www-authenticate": 'Bearer realm="pricing", error="invalid_token"',
      });
    }
    return { user: t.name, role: t.role, tokenId: t.token_id, via: "bearer" };
  }
  const id = cookie(req, SESSION_COOKIE);
  const s = id ? sessions.get(id) : null;
  if (!id || !s) return null;
  // The session stands only while its token does (a revoked token ends it).
  const t = readTokens(db, { live: true }).find((x) => x.token_id === s.tokenId);
  if (!t) {
    sessions.close(id);
    return null;
  }
  return {
    user: t.name,
    role: t.role,
    tokenId: t.token_id,
    via: "session",
    session: { id, csrf: s.csrf },
  };
}

/**
 * Refuses a cookie-authenticated request that changes something without the session's
 * CSRF token, or from another origin (403). Bearer requests carry no ambient credential.
 */
export function checkCsrf(req: Request, p: Principal): void {
  if (p.via !== "session" || !p.session) return;
  const origin = req.headers.get("origin");
  if (origin !== null && origin !== new URL(req.url).origin) {
    throw new HttpError(403, "csrf", `cross-origin request refused (origin ${origin})`);
  }
  const presented = req.headers.get("x-csrf-token") ?? "";
  if (!same(presented, p.session.csrf)) {
    throw new HttpError(
      403,
      "csrf",
      "missing or wrong X-CSRF-Token: a form must send the token GET /api/session gives",
    );
  }
}

/** Refuses (401 unauthenticated, 403 wrong role) a principal below `role`. */
export function requireRole(p: Principal | null, role: Role): Principal {
  if (!p) {
    throw new HttpError(
      401,
      "unauthorized",
      "sign in: send Authorization: Bearer TOKEN (deno task users add NAME --role ROLE issues one)",
      { "www-authenticate": 'Bearer realm="pricing"' },
    );
  }
  if (ROLE_RANK[p.role] < ROLE_RANK[role]) {
    throw new HttpError(
      403,
      "forbidden",
      `${p.user} has the role ${p.role}; this needs ${role} or above`,
    );
  }
  return p;
}
