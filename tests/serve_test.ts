/**
 * The operations server's API on a small default demo store: every endpoint
 * answers what its schema says and is in the OpenAPI document; pages and
 * ETags work; a viewer cannot write; an operator's freeze prices the next daily
 * run as static; tokens are stored only as sha256; and every refusal
 * (unauthenticated, wrong role, bad body, oversized body, no CSRF token,
 * another origin, wrong content type, unknown resource, wrong state) is a clear
 * 4xx that writes nothing. The tasks `users` and `serve` are driven as a
 * scheduler would: processes, a real HTTP client over loopback.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { z } from "zod";
import { openStore } from "../engine/store/db.ts";
import { appendCatalog } from "../engine/store/write/inputs.ts";
import { skusView } from "../site/lib/views/skus.ts";
import {
  openReadOnly,
  readDecisions,
  readModelEvents,
  readModelSummaries,
  readOverrides,
  readRuns,
} from "../engine/store/queries.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { addUser, createApp, ROUTES, tokenHash } from "../serve/mod.ts";
import { AUDIT_TABLES } from "../engine/store/migrations.ts";
import { runForward } from "./_ops_stores.ts";
import { createDemoStore } from "../sim/demo.ts";

const dir = await Deno.makeTempDir({ prefix: "serve_test_" });
const DB = join(dir, "pricing.db");
const tokens = await (async () => {
  const db = openStore(DB);
  try {
    await createDemoStore(db, { skus: 30, days: 200, seed: 7 });
    runForward(db, 3);
    // A candidate that waits for approval.
    trainCandidate(db, { kind: "elasticity", actor: "test", recordedAt: null });
    const by = { actor: "test", recordedAt: null };
    return {
      viewer: addUser(db, { name: "vera", role: "viewer" }, by).token,
      operator: addUser(db, { name: "olga", role: "operator" }, by).token,
      approver: addUser(db, { name: "amir", role: "approver" }, by).token,
    };
  } finally {
    db.close();
  }
})();

// Answers are JSON the tests read field by field.
// deno-lint-ignore no-explicit-any
type Json = any;

const NOW = new Date("2026-01-01T12:00:00Z");
const app = createApp({ db: DB, site: null, now: () => NOW, maxBodyBytes: 4096 });
const BASE = "http://ops.test";

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined && !headers["content-type"]) {
    headers["content-type"] = "application/json";
  }
  const r = await app.handle(
    new Request(`${BASE}${path}`, {
      method,
      headers,
      body: options.body === undefined
        ? undefined
        : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body),
    }),
  );
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

/** Row counts of every audit table: what "writes nothing" compares. */
function counts(): Record<string, number> {
  const db = openReadOnly(DB);
  try {
    return Object.fromEntries(
      AUDIT_TABLES.map((t) => [t, Number(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()?.n)]),
    );
  } finally {
    db.close();
  }
}

const routeOf = (method: string, path: string) =>
  ROUTES.find((r) => r.method === method && r.path === path)!;

function checkSchema(method: string, path: string, body: unknown): void {
  const r = routeOf(method, path).response.safeParse(body);
  assert.ok(r.success, `${method} ${path}: ${r.success ? "" : (r.error as z.ZodError).message}`);
}

const latestRun = () => {
  const db = openReadOnly(DB);
  try {
    return readRuns(db)[0];
  } finally {
    db.close();
  }
};

Deno.test("every GET endpoint answers its schema, and the OpenAPI document lists every endpoint", async () => {
  const run = latestRun();
  const sku = "SKU-00004";
  const paths: [string, string][] = [
    ["/api/health", "/api/health"],
    ["/api/alerts", "/api/alerts?status=all"],
    ["/api/runs", "/api/runs"],
    ["/api/pricing", "/api/pricing"],
    ["/api/skus", "/api/skus?q=SKU-0000"],
    ["/api/skus/{sku}/history", `/api/skus/${sku}/history?days=30`],
    ["/api/decisions/{run_id}/{sku}", `/api/decisions/${encodeURIComponent(run.run_id)}/${sku}`],
    ["/api/models", "/api/models"],
    ["/api/overrides", "/api/overrides"],
  ];
  for (const [route, path] of paths) {
    const r = await call("GET", path, { token: tokens.viewer });
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    checkSchema("GET", route, r.body);
  }
  const decision = await call(
    "GET",
    `/api/decisions/${encodeURIComponent(run.run_id)}/${sku}`,
    { token: tokens.viewer },
  );
  assert.equal(decision.body.sku, sku);
  assert.equal(typeof decision.body.explanation, "object");
  const history = await call("GET", `/api/skus/${sku}/history?days=30`, { token: tokens.viewer });
  assert.equal(history.body.decisions.length, 3);
  assert.equal(history.body.days.length, 30);
  assert.ok(history.body.decisions.every((d: object) => !("explanation" in d)));

  const doc = await call("GET", "/api/openapi.json");
  assert.equal(doc.status, 200);
  assert.equal(doc.body.openapi, "3.1.0");
  for (const r of ROUTES) {
    const op = doc.body.paths[r.path]?.[r.method.toLowerCase()];
    assert.ok(op, `OpenAPI lacks ${r.method} ${r.path}`);
    assert.ok(op.responses[String(r.status ?? 200)].content["application/json"].schema);
    if (r.role) assert.equal(op["x-role"], r.role);
  }
  const needed = [
    "/api/health",
    "/api/alerts",
    "/api/runs",
    "/api/pricing",
    "/api/skus/{sku}/history",
    "/api/decisions/{run_id}/{sku}",
    "/api/models",
    "/api/openapi.json",
    "/api/overrides",
    "/api/overrides/{id}/revoke",
    "/api/models/{version}/approve",
    "/api/models/{version}/reject",
  ];
  for (const p of needed) assert.ok(doc.body.paths[p], `OpenAPI lacks ${p}`);
  const pricingParams = doc.body.paths["/api/pricing"].get.parameters.map((p: { name: string }) =>
    p.name
  );
  assert.deepEqual(pricingParams.sort(), ["limit", "offset", "sku", "strategy"]);
});

Deno.test("pages: offset and limit cut the same list, total counts all of it", async () => {
  const all = await call("GET", "/api/pricing?limit=500", { token: tokens.viewer });
  assert.equal(all.body.total, 30);
  assert.equal(all.body.items.length, 30);
  const page = await call("GET", "/api/pricing?offset=10&limit=7", { token: tokens.viewer });
  assert.equal(page.body.total, 30);
  assert.deepEqual(page.body.items, all.body.items.slice(10, 17));
  const ml = await call("GET", "/api/pricing?strategy=ml&limit=500", { token: tokens.viewer });
  assert.ok(ml.body.items.every((d: { strategy: string }) => d.strategy === "ml"));
  assert.equal(ml.body.total, ml.body.items.length);
  const runs = await call("GET", "/api/runs?offset=1&limit=1", { token: tokens.viewer });
  assert.equal(runs.body.total, 3);
  assert.equal(runs.body.items.length, 1);
  assert.equal(
    runs.body.items[0].run_id,
    (await call("GET", "/api/runs", { token: tokens.viewer }))
      .body.items[1].run_id,
  );
  for (
    const bad of ["limit=0", "limit=501", "offset=-1", "limit=abc", "nope=1", "limit=1&limit=2"]
  ) {
    const r = await call("GET", `/api/runs?${bad}`, { token: tokens.viewer });
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error.code, "bad_query");
  }
  const badSku = await call("GET", "/api/skus/no%20such/history", { token: tokens.viewer });
  assert.equal(badSku.status, 400);
  const unknown = await call("GET", "/api/skus/SKU-99999/history", { token: tokens.viewer });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /not in the catalog/);
});

Deno.test("a GET answer carries an ETag, and the same request with If-None-Match is 304", async () => {
  const first = await call("GET", "/api/health", { token: tokens.viewer });
  const etag = first.headers.get("etag");
  assert.ok(etag && /^"[\w-]+"$/.test(etag), String(etag));
  const again = await app.handle(
    new Request(`${BASE}/api/health`, {
      headers: { authorization: `Bearer ${tokens.viewer}`, "if-none-match": etag },
    }),
  );
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");
  const other = await call("GET", "/api/health", {
    token: tokens.viewer,
    headers: { "if-none-match": '"something-else"' },
  });
  assert.equal(other.status, 200);
});

Deno.test("refusals are clear 4xx answers that write nothing", async () => {
  const before = counts();
  const freeze = {
    kind: "PRICE_FREEZE",
    scope: "sku",
    target: "SKU-00005",
    until: "2099-01-01",
    reason: "test",
  };
  const cases: [string, Promise<{ status: number; body: Json }>, number, RegExp][] = [
    ["no token", call("POST", "/api/overrides", { body: freeze }), 401, /sign in/],
    ["no token on a read", call("GET", "/api/health"), 401, /sign in/],
    [
      "unknown token",
      call("POST", "/api/overrides", { token: "pw_" + "x".repeat(43), body: freeze }),
      401,
      /unknown or revoked/,
    ],
    [
      "malformed header",
      call("GET", "/api/health", { headers: { authorization: "Basic abc" } }),
      401,
      /Bearer TOKEN/,
    ],
    [
      "viewer writes",
      call("POST", "/api/overrides", { token: tokens.viewer, body: freeze }),
      403,
      /vera has the role viewer; this needs operator/,
    ],
    [
      "operator approves",
      call("POST", "/api/models/x/approve", { token: tokens.operator, body: { reason: "r" } }),
      403,
      /needs approver/,
    ],
    [
      "bad body",
      call("POST", "/api/overrides", {
        token: tokens.operator,
        body: { ...freeze, kind: "DISCOUNT" },
      }),
      400,
      /kind/,
    ],
    [
      "unknown field",
      call("POST", "/api/overrides", { token: tokens.operator, body: { ...freeze, price: 1 } }),
      400,
      /price/,
    ],
    [
      "no reason",
      call("POST", "/api/overrides", { token: tokens.operator, body: { ...freeze, reason: " " } }),
      400,
      /reason/,
    ],
    [
      "not JSON",
      call("POST", "/api/overrides", { token: tokens.operator, body: "{kind:" }),
      400,
      /not JSON/,
    ],
    [
      "form encoded",
      call("POST", "/api/overrides", {
        token: tokens.operator,
        body: "kind=PRICE_FREEZE",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
      /application\/json/,
    ],
    [
      "oversized body",
      call("POST", "/api/overrides", {
        token: tokens.operator,
        body: { ...freeze, reason: "x".repeat(5000) },
      }),
      413,
      /4096/,
    ],
    [
      "unknown SKU",
      call("POST", "/api/overrides", {
        token: tokens.operator,
        body: { ...freeze, target: "SKU-99999" },
      }),
      422,
      /no such sku/,
    ],
    [
      "empty window",
      call("POST", "/api/overrides", {
        token: tokens.operator,
        body: { ...freeze, from: "2099-01-02" },
      }),
      422,
      /not after its first day/,
    ],
    [
      "revoke unknown",
      call("POST", "/api/overrides/999/revoke", { token: tokens.operator, body: { reason: "r" } }),
      404,
      /no override 999/,
    ],
    [
      "approve unknown",
      call("POST", "/api/models/nope/approve", { token: tokens.approver, body: { reason: "r" } }),
      404,
      /no model nope/,
    ],
    [
      "approve champion",
      call("POST", `/api/models/${champion()}/approve`, {
        token: tokens.approver,
        body: { reason: "r" },
      }),
      409,
      /champion, not pending/,
    ],
    [
      "wrong method",
      call("DELETE", "/api/overrides", { token: tokens.operator }),
      405,
      /not allowed/,
    ],
    ["unknown endpoint", call("GET", "/api/prices", { token: tokens.viewer }), 404, /no endpoint/],
  ];
  for (const [what, answer, status, message] of cases) {
    const r = await answer;
    assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.status, status, what);
    assert.match(r.body.error.message, message, what);
  }
  assert.deepEqual(counts(), before, "a refusal wrote something");
});

function champion(): string {
  const db = openReadOnly(DB);
  try {
    return readModelSummaries(db).find((m) => m.status === "champion")!.version;
  } finally {
    db.close();
  }
}

Deno.test("the site's session: sign in with a token, change only with the CSRF token and from the same origin", async () => {
  const signIn = await call("POST", "/api/session", { body: { token: tokens.operator } });
  assert.equal(signIn.status, 200);
  assert.equal(signIn.body.user, "olga");
  const csrf = signIn.body.csrf_token as string;
  const setCookie = signIn.headers.get("set-cookie")!;
  assert.match(setCookie, /^pricing_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\//);
  const cookie = setCookie.split(";")[0];
  const session = await call("GET", "/api/session", { headers: { cookie } });
  assert.deepEqual(session.body, {
    signed_in: true,
    user: "olga",
    role: "operator",
    csrf_token: csrf,
  });
  assert.deepEqual((await call("GET", "/api/session")).body, { signed_in: false });
  assert.equal((await call("GET", "/api/health", { headers: { cookie } })).status, 200);

  const before = counts();
  const body = {
    kind: "FORCE_RULE_BASED",
    scope: "category",
    target: "snacks",
    until: "2099-01-01",
    reason: "review",
  };
  const refused = [
    await call("POST", "/api/overrides", { headers: { cookie }, body }),
    await call("POST", "/api/overrides", {
      headers: { cookie, "x-csrf-token": "0".repeat(64) },
      body,
    }),
    await call("POST", "/api/overrides", {
      headers: { cookie, "x-csrf-token": csrf, origin: "http://evil.test" },
      body,
    }),
    await call("POST", "/api/session", { body: { token: "pw_nope" } }),
    await call("POST", "/api/session", {
      body: { token: tokens.viewer },
      headers: { origin: "http://evil.test" },
    }),
  ];
  assert.deepEqual(refused.map((r) => r.status), [403, 403, 403, 401, 403]);
  assert.match(refused[0].body.error.message, /X-CSRF-Token/);
  assert.match(refused[2].body.error.message, /cross-origin/);
  assert.deepEqual(counts(), before, "a refused form wrote something");

  const ok = await call("POST", "/api/overrides", {
    headers: { cookie, "x-csrf-token": csrf, origin: BASE },
    body,
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.override.actor, "olga");
  // Revoked, and the session ends with it; sign out needs the CSRF token too.
  const out = await call("DELETE", "/api/session", { headers: { cookie } });
  assert.equal(out.status, 403);
  const revoked = await call("POST", `/api/overrides/${ok.body.override.id}/revoke`, {
    headers: { cookie, "x-csrf-token": csrf },
    body: { reason: "done" },
  });
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.override.revoked_by, "olga");
  const twice = await call("POST", `/api/overrides/${ok.body.override.id}/revoke`, {
    token: tokens.operator,
    body: { reason: "again" },
  });
  assert.equal(twice.status, 409);
  const signOut = await call("DELETE", "/api/session", {
    headers: { cookie, "x-csrf-token": csrf },
  });
  assert.equal(signOut.status, 200);
  assert.deepEqual((await call("GET", "/api/session", { headers: { cookie } })).body, {
    signed_in: false,
  });
});

Deno.test("an operator's freeze is appended with their name and prices the next daily run as static", async () => {
  const r = await call("POST", "/api/overrides", {
    token: tokens.operator,
    body: {
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: "SKU-00007",
      until: "2099-01-01",
      reason: "supplier deal",
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const db = openStore(DB);
  try {
    const o = readOverrides(db).find((x) => x.id === r.body.override.id)!;
    assert.deepEqual(
      [o.kind, o.scope, o.target, o.actor, o.reason, o.recorded_at],
      ["PRICE_FREEZE", "sku", "SKU-00007", "olga", "supplier deal", NOW.toISOString()],
    );
    const [next] = runForward(db, 1);
    const d = readDecisions(db, next.run_id).find((x) => x.sku === "SKU-00007")!;
    assert.equal(d.strategy, "static");
    assert.equal(d.override_kind, "PRICE_FREEZE");
    assert.equal(d.override_id, o.id);
  } finally {
    db.close();
  }
});

Deno.test("an approver approves a pending model exactly as the CLI records it", async () => {
  const pending = (() => {
    const db = openReadOnly(DB);
    try {
      return readModelSummaries(db).find((m) => m.status === "pending")!.version;
    } finally {
      db.close();
    }
  })();
  const old = champion();
  // The candidate is worse than the champion on its holdout: refused, as the CLI refuses it.
  const refused = await call("POST", `/api/models/${encodeURIComponent(pending)}/approve`, {
    token: tokens.approver,
    body: { reason: "beats the champion" },
  });
  assert.equal(refused.status, 422, JSON.stringify(refused.body));
  assert.match(JSON.stringify(refused.body), /pass --force with --reason/);
  const r = await call("POST", `/api/models/${encodeURIComponent(pending)}/approve`, {
    token: tokens.approver,
    body: { reason: "simpler model", force: true },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const forced = (r.body as { forced: string[] }).forced;
  assert.equal(forced.length, 1);
  assert.deepEqual(r.body, { status: "approved", version: pending, retired: old, forced });
  const db = openReadOnly(DB);
  try {
    const events = readModelEvents(db, { version: pending }).map((
      e,
    ) => [e.event, e.actor, e.reason]);
    assert.deepEqual(events.slice(1), [
      ["approved", "amir", `simpler model [approved with --force although ${forced[0]}]`],
      ["promoted", "amir", "simpler model"],
    ]);
    assert.deepEqual(
      readModelEvents(db, { version: old }).at(-1)!.event,
      "retired",
    );
  } finally {
    db.close();
  }
});

Deno.test("an approver rejects a pending model: the registry records it rejected with their name and reason, and the champion keeps pricing", async () => {
  const before = champion();
  const pending = (() => {
    const db = openStore(DB);
    try {
      return trainCandidate(db, { kind: "elasticity", actor: "test", recordedAt: null }).version;
    } finally {
      db.close();
    }
  })();
  const path = `/api/models/${encodeURIComponent(pending)}/reject`;
  const unchanged = counts();
  const operator = await call("POST", path, { token: tokens.operator, body: { reason: "no" } });
  assert.equal(operator.status, 403, JSON.stringify(operator.body));
  assert.deepEqual(counts(), unchanged, "an operator's reject writes nothing");

  const r = await call("POST", path, {
    token: tokens.approver,
    body: { reason: "holdout window too short" },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  checkSchema("POST", "/api/models/{version}/reject", r.body);
  assert.deepEqual(r.body, { status: "rejected", version: pending });
  const db = openReadOnly(DB);
  try {
    const m = readModelSummaries(db, { version: pending })[0];
    assert.equal(m.status, "rejected");
    const last = readModelEvents(db, { version: pending }).at(-1)!;
    assert.deepEqual(
      [last.event, last.actor, last.reason, last.recorded_at],
      ["rejected", "amir", "holdout window too short", NOW.toISOString()],
    );
  } finally {
    db.close();
  }
  assert.equal(champion(), before, "the champion is unchanged");
  // A rejected model is no longer pending: neither rejected again nor approved.
  for (const kind of ["reject", "approve"]) {
    const again = await call("POST", `/api/models/${encodeURIComponent(pending)}/${kind}`, {
      token: tokens.approver,
      body: { reason: "again" },
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.match(again.body.error.message, /is rejected, not pending/);
  }
});

Deno.test("tokens are stored only as their sha256: no token appears anywhere in the store's files", async () => {
  const db = openReadOnly(DB);
  try {
    const stored = db.prepare("SELECT token_sha256 FROM user_tokens ORDER BY id").all().map((r) =>
      r.token_sha256
    );
    assert.deepEqual(stored, [tokens.viewer, tokens.operator, tokens.approver].map(tokenHash));
  } finally {
    db.close();
  }
  const text = new TextDecoder("latin1");
  for (const name of await Array.fromAsync(Deno.readDir(dir))) {
    if (!name.name.startsWith("pricing.db")) continue;
    const bytes = text.decode(await Deno.readFile(join(dir, name.name)));
    for (const t of Object.values(tokens)) {
      assert.ok(!bytes.includes(t), `${name.name} holds a token in clear`);
      assert.ok(!bytes.includes(t.slice(3, 23)), `${name.name} holds part of a token`);
    }
  }
});

Deno.test("deno task users issues and revokes tokens, and deno task serve answers over loopback until SIGTERM", async () => {
  const task = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../tasks/users.ts", import.meta.url).pathname, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const added = await task(["add", "carol", "--role", "viewer", "--db", DB, "--json"]);
  assert.equal(added.code, 0, new TextDecoder().decode(added.stderr));
  const issued = JSON.parse(new TextDecoder().decode(added.stdout));
  assert.equal(issued.user, "carol");
  assert.match(issued.token, /^pw_[\w-]{43}$/);
  const taken = await task(["add", "carol", "--role", "viewer", "--db", DB]);
  assert.equal(taken.code, 2);
  assert.match(new TextDecoder().decode(taken.stderr), /name is taken/);
  const badRole = await task(["add", "dan", "--role", "admin", "--db", DB]);
  assert.equal(badRole.code, 2);

  const serve = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../tasks/serve.ts", import.meta.url).pathname,
      "--db",
      DB,
      "--port",
      "0",
      "--site",
      join(dir, "no-site"),
      "--json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = serve.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    line += value;
  }
  const listening = JSON.parse(line);
  assert.equal(listening.status, "listening");
  try {
    const ok = await fetch(`${listening.url}api/health`, {
      headers: { authorization: `Bearer ${issued.token}` },
    });
    assert.equal(ok.status, 200);
    assert.ok(["ok", "info", "warning", "critical"].includes((await ok.json()).status));
    const revoked = await task(["revoke", "carol", "--reason", "left", "--db", DB]);
    assert.equal(revoked.code, 0);
    const refused = await fetch(`${listening.url}api/health`, {
      headers: { authorization: `Bearer ${issued.token}` },
    });
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const page = await fetch(listening.url);
    assert.equal(page.status, 404);
    assert.match((await page.json()).error.message, /no site to serve/);
  } finally {
    serve.kill("SIGTERM");
    const status = await serve.status;
    await reader.cancel();
    await serve.stderr.cancel();
    assert.equal(status.code, 0);
  }
});

Deno.test("the server serves the built site's files, marks its pages, answers 304 and refuses paths outside it", async () => {
  const site = join(dir, "site");
  await Deno.mkdir(join(site, "sku"), { recursive: true });
  await Deno.writeTextFile(
    join(site, "index.html"),
    "<html><head><title>x</title></head><body>home</body></html>",
  );
  await Deno.writeTextFile(join(site, "sku", "A.html"), "<html><head></head><body>A</body></html>");
  const served = createApp({ db: DB, site });
  try {
    const get = (path: string, headers: Record<string, string> = {}) =>
      served.handle(new Request(`${BASE}${path}`, { headers }));
    const home = await get("/");
    assert.equal(home.status, 200);
    assert.match(await home.text(), /<head>\n<meta name="pricing-serve" content="api">/);
    assert.equal((await get("/sku/A")).status, 200);
    const a = await get("/sku/A.html");
    const etag = a.headers.get("etag")!;
    await a.body?.cancel();
    assert.equal((await get("/sku/A.html", { "if-none-match": etag })).status, 304);
    for (const bad of ["/../deno.json", "/%2e%2e/deno.json", "/sku/../../deno.json"]) {
      const r = await get(bad);
      assert.ok(r.status === 400 || r.status === 404, `${bad} answered ${r.status}`);
      assert.doesNotMatch(await r.text(), /"imports"/);
    }
    assert.equal((await get("/missing.html")).status, 404);
    const post = await served.handle(new Request(`${BASE}/index.html`, { method: "POST" }));
    assert.equal(post.status, 405);
  } finally {
    served.close();
  }
});

globalThis.addEventListener("unload", () => {
  app.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the SKU explorer's index and /api/skus?q= find a SKU by its product name", async () => {
  const path = join(dir, "named.db");
  const db = openStore(path);
  const terms = {
    effective_date: "2025-01-01",
    category: "cereal",
    unit_cost: 1.5,
    floor_price: 1.99,
    ceiling_price: 4.99,
    min_margin: 0.2,
    max_daily_change: 0.2,
    price_ending: "9",
    active: true,
  } as const;
  appendCatalog(db, [
    { ...terms, sku: "C-001", name: "Honey Nut Rings 340g" },
    { ...terms, sku: "C-002", name: "Bran Flakes 500g" },
    { ...terms, sku: "C-003" },
  ]);
  const viewer = addUser(db, { name: "vic", role: "viewer" }, { actor: "test", recordedAt: null })
    .token;
  assert.deepEqual(skusView(db).skus.map((s) => s.name), [
    "Honey Nut Rings 340g",
    "Bran Flakes 500g",
    null,
  ]);
  db.close();
  const named = createApp({ db: path, site: null, now: () => NOW, maxBodyBytes: 4096 });
  const r = await named.handle(
    new Request(`${BASE}/api/skus?q=honey`, { headers: { authorization: `Bearer ${viewer}` } }),
  );
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.deepEqual(body.items.map((s: { sku: string }) => s.sku), ["C-001"]);
});
