/**
 * The API's OpenAPI 3.1 document, made from the route table's zod schemas, so
 * it cannot drift from what the server checks and answers.
 *
 * @module
 */
import { z } from "zod";
import type { Route } from "./routes.ts";
import { SessionInfo } from "./routes.ts";

const ErrorBody = z.object({
  error: z.object({ status: z.number().int(), code: z.string(), message: z.string() }),
});

const json = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
};

const content = (schema: z.ZodType, io: "input" | "output" = "output") => ({
  content: { "application/json": { schema: json(schema, io) } },
});

const ERRORS: Record<string, string> = {
  "400": "bad query, path parameter or body (the message names the field and the value)",
  "401": "no or unknown token / session",
  "403": "the role is too low, or a session's form lacks its CSRF token",
  "404": "no such resource",
  "409": "the resource is not in a state that allows it (already revoked, not pending)",
  "413": "body larger than the limit",
  "415": "body not application/json",
  "422": "refused by the engine (unknown SKU or category, empty window, ...)",
};

function operation(r: Route): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const [name, s] of Object.entries(r.params?.shape ?? {})) {
    parameters.push({ name, in: "path", required: true, schema: json(s as z.ZodType, "input") });
  }
  if (r.query) {
    const q = json(r.query, "input") as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({
        name,
        in: "query",
        required: q.required?.includes(name) ?? false,
        schema,
      });
    }
  }
  const status = String(r.status ?? 200);
  const errors = r.method === "GET"
    ? ["400", "401", "403", "404"]
    : ["400", "401", "403", "404", "409", "413", "415", "422"];
  return {
    summary: r.summary,
    ...(r.role ? { security: [{ bearer: [] }, { session: [] }], "x-role": r.role } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(r.body ? { requestBody: { required: true, ...content(r.body, "input") } } : {}),
    responses: {
      [status]: { description: "success", ...content(r.response) },
      ...(r.method === "GET" ? { "304": { description: "not modified (If-None-Match)" } } : {}),
      ...Object.fromEntries(
        errors.map((e) => [e, { description: ERRORS[e], ...content(ErrorBody) }]),
      ),
    },
  };
}

/** The OpenAPI document of `routes` (plus the session endpoints the site signs in with). */
export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    (paths[r.path] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  paths["/api/session"] = {
    get: {
      summary: "The site's session: who is signed in and the CSRF token its forms send",
      responses: { "200": { description: "session", ...content(SessionInfo) } },
    },
    post: {
      summary: "Sign the site in with a bearer token: sets the HttpOnly session cookie",
      requestBody: {
        required: true,
        ...content(z.strictObject({ token: z.string() }), "input"),
      },
      responses: {
        "200": { description: "signed in", ...content(SessionInfo) },
        "401": { description: ERRORS["401"], ...content(ErrorBody) },
      },
    },
    delete: {
      summary: "Sign out (needs the session's X-CSRF-Token)",
      responses: { "200": { description: "signed out", ...content(SessionInfo) } },
    },
  };
  paths["/api/openapi.json"] = {
    get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Pricing workbench operations API",
      version: "1",
      description:
        "Read-only views of the audit store, and controls that record intent (overrides, model " +
        "approvals) as appended rows with the caller as actor. Roles: viewer reads; operator " +
        "also records and revokes overrides; approver also approves and rejects models. Tokens " +
        "come from `deno task users add NAME --role ROLE`. GET answers carry an ETag.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "pricing_session",
          description: "Set by POST /api/session; changes also need the X-CSRF-Token header",
        },
      },
    },
    paths,
  };
}
