/**
 * The API's endpoints, declared once: method, path, the role each needs, the
 * zod schemas of its query, body and answer (the OpenAPI document is made from
 * them), and what it does. Reads go through the site's views over the
 * read-only queries; writes go through the engine functions the command line
 * uses (`recordOverride`, `revokeOverride`, `approveModel`, `rejectModel`), so
 * each is an appended row with the signed-in user as its actor, never a price.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { IsoDate, Sku } from "../engine/schema/common.ts";
import { AlertRecord } from "../engine/schema/monitoring.ts";
import { Decision, OverrideKind, OverrideRecord, OverrideScope } from "../engine/schema/pricing.ts";
import { Role } from "../engine/schema/users.ts";
import { recordOverride, revokeOverride } from "../engine/pricing/override_requests.ts";
import { approveModel, rejectModel } from "../engine/registry/approval.ts";
import {
  countRuns,
  readDecision,
  readModelSummaries,
  readOverrides,
} from "../engine/store/queries.ts";
import { AlertFilter, alertList } from "../site/lib/views/alerts.ts";
import { Health, healthView } from "../site/lib/views/health.ts";
import { ModelsData, modelsView } from "../site/lib/views/models.ts";
import { OverridesData, overridesView } from "../site/lib/views/overrides.ts";
import { pricingView, SiteDecision } from "../site/lib/views/pricing.ts";
import { runsView, SiteRun } from "../site/lib/views/runs.ts";
import { SkuHistory, skuView } from "../site/lib/views/sku.ts";
import { SkuSummary, skusView } from "../site/lib/views/skus.ts";
import type { Principal } from "./auth.ts";
import { HttpError } from "./http.ts";

/** What a handler gets. */
export interface RouteContext {
  req: Request;
  url: URL;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  principal: Principal | null;
  /** The read-only connection. */
  read: DatabaseSync;
  /** The writable connection (writes go through engine functions). */
  write: DatabaseSync;
  now: () => Date;
}

/** One endpoint. */
export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** With `{name}` path parameters. */
  path: string;
  summary: string;
  /** The least role allowed; null: anyone (the handler decides). */
  role: Role | null;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The answer's schema (success status below). */
  response: z.ZodType;
  status?: number;
  handle(ctx: RouteContext): unknown;
}

const Offset = z.coerce.number().int().min(0).default(0);
const Limit = z.coerce.number().int().min(1).max(500).default(100);

/** A page of `item`s: how many match, and the ones from `offset`. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    total: z.number().int().min(0),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1),
    items: z.array(item),
  });
}

const slice = <T>(all: readonly T[], q: { offset: number; limit: number }) => ({
  total: all.length,
  offset: q.offset,
  limit: q.limit,
  items: all.slice(q.offset, q.offset + q.limit),
});

/** The signed-in session, as `GET /api/session` tells the site. */
export const SessionInfo = z.object({
  signed_in: z.boolean(),
  user: z.string().optional(),
  role: Role.optional(),
  /** Send it as X-CSRF-Token with every change the site's forms make. */
  csrf_token: z.string().optional(),
});

const Reason = z.strictObject({
  reason: z.string().trim().min(1, { error: "give a reason" }).max(1000),
});

/** `POST /api/overrides`: what the CLI's `override freeze|force-rule` takes. */
export const OverrideBody = z.strictObject({
  kind: OverrideKind,
  scope: OverrideScope,
  /** The SKU or category; null or absent for scope all. */
  target: z.string().trim().min(1).max(64).nullable().optional(),
  /** First run date it applies to (default: the store's next run date). */
  from: IsoDate.optional(),
  /** First run date it no longer applies to. */
  until: IsoDate,
  reason: z.string().trim().min(1, { error: "give a reason" }).max(1000),
});

const Recorded = z.object({ status: z.enum(["recorded", "revoked"]), override: OverrideRecord });
const Verdict = z.object({
  status: z.enum(["approved", "rejected"]),
  version: z.string(),
  retired: z.string().nullable().optional(),
  /** The approval checks an approval with `force` went past (recorded with the reason). */
  forced: z.array(z.string()).optional(),
});

/** `POST /api/models/{version}/approve`: the reason, and `force` as the CLI's --force. */
const ApproveBody = Reason.extend({ force: z.boolean().optional() });

const ModelVersion = z.object({ version: z.string().min(1).max(200) });

/** Engine refusals (RangeError: unknown SKU, empty window, ...) become 422 with their message. */
function engine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new HttpError(422, "refused", error.message, {}, { cause: error });
    }
    throw error;
  }
}

const verdict = (kind: "approve" | "reject") => ({
  method: "POST" as const,
  path: `/api/models/{version}/${kind}`,
  summary: kind === "approve"
    ? "Approve a pending model: it becomes the champion the next daily run prices with"
    : "Reject a pending model; the champion keeps pricing",
  role: "approver" as const,
  params: ModelVersion,
  body: kind === "approve" ? ApproveBody : Reason,
  response: Verdict,
  handle: ({ params, body, principal, write, now }: RouteContext) => {
    const m = readModelSummaries(write, { version: params.version })[0];
    if (!m) throw new HttpError(404, "not_found", `no model ${params.version} in the registry`);
    if (m.status !== "pending") {
      throw new HttpError(409, "conflict", `model ${params.version} is ${m.status}, not pending`);
    }
    const b = body as { reason: string; force?: boolean };
    const v = { actor: principal!.user, reason: b.reason, force: b.force ?? false };
    const at = { ...v, recordedAt: now().toISOString() };
    return engine(() =>
      kind === "approve"
        ? { status: "approved", ...approveModel(write, params.version, at) }
        : { status: "rejected", ...rejectModel(write, params.version, at) }
    );
  },
});

/** Every endpoint of the API. */
export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/api/health",
    summary: "What is wrong now: open alerts, the last run, forecast accuracy, pending models",
    role: "viewer",
    response: Health,
    handle: ({ read, now }) => healthView(read, { now: now().toISOString() }),
  },
  {
    method: "GET",
    path: "/api/alerts",
    summary: "Alerts, open first and worst first, filtered and paginated",
    role: "viewer",
    query: AlertFilter.extend({ offset: Offset, limit: Limit }).strict(),
    response: page(AlertRecord),
    handle: ({ read, query }) => {
      const q = query as AlertFilter & { offset: number; limit: number };
      return slice(alertList(read, q), q);
    },
  },
  {
    method: "GET",
    path: "/api/runs",
    summary: "Runs of the daily job, newest first",
    role: "viewer",
    query: z.strictObject({ offset: Offset, limit: Limit }),
    response: page(SiteRun),
    handle: ({ read, query }) => {
      const q = query as { offset: number; limit: number };
      return { total: countRuns(read), ...q, items: runsView(read, q).runs };
    },
  },
  {
    method: "GET",
    path: "/api/pricing",
    summary: "The decisions of the latest successful run, by SKU (without explanations)",
    role: "viewer",
    query: z.strictObject({
      offset: Offset,
      limit: Limit,
      strategy: z.enum(["ml", "rule", "static"]).optional(),
      /** Only SKUs whose code contains this text. */
      sku: z.string().min(1).max(64).optional(),
    }),
    response: page(SiteDecision).extend({ run: SiteRun.nullable() }),
    handle: ({ read, query }) => {
      const q = query as { offset: number; limit: number; strategy?: string; sku?: string };
      const p = pricingView(read, q);
      return { run: p.run, total: p.total, offset: q.offset, limit: q.limit, items: p.decisions };
    },
  },
  {
    method: "GET",
    path: "/api/skus",
    summary: "SKUs of the catalog with how the latest run priced them, searched and filtered",
    role: "viewer",
    query: z.strictObject({
      offset: Offset,
      limit: Limit,
      /** Text in the SKU code, its name or its category. */
      q: z.string().max(64).optional(),
      category: z.string().max(64).optional(),
      strategy: z.enum(["ml", "rule", "static"]).optional(),
    }),
    response: page(SkuSummary),
    handle: ({ read, query }) => {
      const q = query as {
        offset: number;
        limit: number;
        q?: string;
        category?: string;
        strategy?: string;
      };
      const text = q.q?.toLowerCase();
      const all = skusView(read).skus.filter((s) =>
        (!text || s.sku.toLowerCase().includes(text) ||
          (s.name ?? "").toLowerCase().includes(text) || s.category.toLowerCase().includes(text)) &&
        (!q.category || s.category === q.category) && (!q.strategy || s.strategy === q.strategy)
      );
      return slice(all, q);
    },
  },
  {
    method: "GET",
    path: "/api/skus/{sku}/history",
    summary: "One SKU over its last days: terms, shelf prices, units, competitor prices, " +
      "decisions (their explanations: /api/decisions/{run_id}/{sku}) and alerts",
    role: "viewer",
    params: z.object({ sku: Sku }),
    query: z.strictObject({ days: z.coerce.number().int().min(1).max(730).default(120) }),
    response: SkuHistory,
    handle: ({ read, params, query }) => {
      try {
        return skuView(read, params.sku, {
          days: (query as { days: number }).days,
          explanations: false,
        });
      } catch (error) {
        if (error instanceof RangeError) throw new HttpError(404, "not_found", error.message);
        throw error;
      }
    },
  },
  {
    method: "GET",
    path: "/api/decisions/{run_id}/{sku}",
    summary: "One decision with its explanation (the demand curve the optimizer saw, the " +
      "binding constraints, the drivers); run_id as in /api/runs, e.g. 2026-01-05%231",
    role: "viewer",
    params: z.object({ run_id: z.string().min(1).max(64), sku: Sku }),
    response: Decision,
    handle: ({ read, params }) => {
      const d = readDecision(read, params.run_id, params.sku);
      if (!d) {
        throw new HttpError(
          404,
          "not_found",
          `run ${params.run_id} has no decision for ${params.sku}`,
        );
      }
      return d;
    },
  },
  {
    method: "GET",
    path: "/api/models",
    summary: "The registry: champion, every model with its holdout metrics next to the " +
      "champion's and seasonal naive's, events with actor and reason, retrain requests",
    role: "viewer",
    response: ModelsData,
    handle: ({ read }) => modelsView(read),
  },
  {
    method: "GET",
    path: "/api/overrides",
    summary: "Every override, newest first, and whether it applies to the next run",
    role: "viewer",
    response: OverridesData,
    handle: ({ read }) => overridesView(read),
  },
  {
    method: "POST",
    path: "/api/overrides",
    summary: "Record a PRICE_FREEZE or FORCE_RULE_BASED override (intent: each daily run " +
      "applies it for its own run date), with the signed-in user as its actor",
    role: "operator",
    body: OverrideBody,
    response: Recorded,
    status: 201,
    handle: ({ write, body, principal, now }) => {
      const b = body as z.infer<typeof OverrideBody>;
      const override = engine(() =>
        recordOverride(write, {
          kind: b.kind,
          scope: b.scope,
          target: b.scope === "all" ? null : b.target ?? null,
          from: b.from,
          until: b.until,
          actor: principal!.user,
          reason: b.reason,
        }, now().toISOString())
      );
      return { status: "recorded", override };
    },
  },
  {
    method: "POST",
    path: "/api/overrides/{id}/revoke",
    summary: "Revoke an override from the next run on (past runs keep what they saw)",
    role: "operator",
    params: z.object({ id: z.coerce.number().int().positive() }),
    body: Reason,
    response: Recorded,
    handle: ({ write, params, body, principal, now }) => {
      const id = Number(params.id);
      const o = readOverrides(write).find((x) => x.id === id);
      if (!o) throw new HttpError(404, "not_found", `no override ${id}`);
      if (o.revocation_id !== null) {
        throw new HttpError(
          409,
          "conflict",
          `override ${id} is already revoked (by ${o.revoked_by})`,
        );
      }
      const override = engine(() =>
        revokeOverride(write, {
          override_id: id,
          actor: principal!.user,
          reason: (body as { reason: string }).reason,
        }, now().toISOString())
      );
      return { status: "revoked", override };
    },
  },
  verdict("approve"),
  verdict("reject"),
];
