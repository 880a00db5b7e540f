/** Overrides and decisions: the pricing audit records. @module */
import { z } from "zod";
import { type Infer, IsoDate, Price, Sku } from "./common.ts";
import { RulesSettings } from "./rules.ts";

const /** @ignore */ _OverrideKind = z.enum(["PRICE_FREEZE", "FORCE_RULE_BASED"]);
/** What an override does: keep the last price, or price by the rules. */
export const OverrideKind: typeof _OverrideKind = _OverrideKind;
/** The type {@linkcode OverrideKind} parses to. */
export type OverrideKind = Infer<typeof OverrideKind>;

const /** @ignore */ _OverrideScope = z.enum(["sku", "category", "all"]);
/** What an override covers, from most to least specific. */
export const OverrideScope: typeof _OverrideScope = _OverrideScope;
/** The type {@linkcode OverrideScope} parses to. */
export type OverrideScope = Infer<typeof OverrideScope>;

const Actor = z.string().trim().min(1, { error: "must name who acts (--by)" }).max(128);
const Reason = z.string().trim().min(1, { error: "must give a reason (--reason)" }).max(1000);

const /** @ignore */ _OverrideRequest = z.object({
  kind: OverrideKind,
  scope: OverrideScope,
  target: z.string().min(1).max(64).nullable(),
  effective_from: IsoDate,
  expires_at: IsoDate,
  actor: Actor,
  reason: Reason,
}).superRefine((o, ctx) => {
  if (o.scope === "all" && o.target !== null) {
    ctx.addIssue({ code: "custom", path: ["target"], message: "must be empty for scope all" });
  }
  if (o.scope !== "all" && o.target === null) {
    ctx.addIssue({ code: "custom", path: ["target"], message: `is required for scope ${o.scope}` });
  }
  if (o.scope === "sku" && o.target !== null && !Sku.safeParse(o.target).success) {
    ctx.addIssue({ code: "custom", path: ["target"], message: "is not a valid SKU code" });
  }
  if (o.expires_at <= o.effective_from) {
    ctx.addIssue({
      code: "custom",
      path: ["expires_at"],
      message: `must be after effective_from ${o.effective_from}`,
    });
  }
});
/** An override as requested: intent, applied when a run's date falls in [effective_from, expires_at). */
export const OverrideRequest: typeof _OverrideRequest = _OverrideRequest;
/** The type {@linkcode OverrideRequest} parses to. */
export type OverrideRequest = Infer<typeof OverrideRequest>;

const /** @ignore */ _OverrideRecord = z.object({
  id: z.number().int().positive(),
  kind: OverrideKind,
  scope: OverrideScope,
  target: z.string().nullable(),
  effective_from: IsoDate,
  expires_at: IsoDate,
  actor: z.string(),
  reason: z.string(),
  recorded_at: z.string().nullable(),
  revocation_id: z.number().int().positive().nullable(),
  revoked_by: z.string().nullable(),
  revoke_reason: z.string().nullable(),
});
/** A stored override with its id and, if revoked, the revocation. */
export const OverrideRecord: typeof _OverrideRecord = _OverrideRecord;
/** The type {@linkcode OverrideRecord} parses to. */
export type OverrideRecord = Infer<typeof OverrideRecord>;

const /** @ignore */ _RevocationRequest = z.object({
  override_id: z.number().int().positive(),
  actor: Actor,
  reason: Reason,
});
/** A revocation as requested. */
export const RevocationRequest: typeof _RevocationRequest = _RevocationRequest;
/** The type {@linkcode RevocationRequest} parses to. */
export type RevocationRequest = Infer<typeof RevocationRequest>;

const /** @ignore */ _StrategyName = z.enum(["ml", "rule", "static"]);
/** The strategies that can price a SKU. */
export const StrategyName: typeof _StrategyName = _StrategyName;
/** The type {@linkcode StrategyName} parses to. */
export type StrategyName = Infer<typeof StrategyName>;

const /** @ignore */ _Decision = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  sku: Sku,
  strategy: StrategyName,
  override_id: z.number().int().positive().nullable(),
  override_kind: OverrideKind.nullable(),
  snapshot_id: z.string().regex(/^[0-9a-f]{64}$/),
  model_version: z.string().nullable(),
  previous_price: Price,
  price: Price,
  expected_units: z.number().finite().min(0),
  expected_revenue: z.number().finite().min(0),
  expected_profit: z.number().finite(),
  infeasible: z.boolean(),
  conflict: z.string().nullable(),
  binding: z.array(z.string()),
  reason_codes: z.array(z.string()),
  explanation: z.record(z.string(), z.unknown()),
});
/** One pricing decision: a SKU's price for a run date, with everything that explains it. */
export const Decision: typeof _Decision = _Decision;
/** The type {@linkcode Decision} parses to. */
export type Decision = Infer<typeof Decision>;

const /** @ignore */ _PricingSettings = z.object({
  defaultStrategy: StrategyName,
  minHistoryDays: z.number().int().min(0),
  minCandidates: z.number().int().min(1),
  rule: z.object({
    targetMargin: z.number().finite(),
    competitorBand: z.tuple([z.number().finite(), z.number().finite()]),
    markdownCoverDays: z.number().finite(),
    markdownPct: z.number().finite(),
    markupCoverDays: z.number().finite(),
    markupPct: z.number().finite(),
  }).partial(),
  inventory: z.object({
    defaultReplenishmentDays: z.number().finite(),
    overstockCoverDays: z.number().finite(),
    maxOverstockDiscount: z.number().finite(),
  }),
  /**
   * The objectives and business rules of the store and its categories, resolved from the
   * store's settings for the run date. Absent: profit, no rules (beyond families and
   * ladders in the catalog, which always hold).
   */
  rules: RulesSettings.optional(),
});
/** The pricing settings a run records with its start (and its replay reads back). */
export const PricingSettings: typeof _PricingSettings = _PricingSettings;
/** The type {@linkcode PricingSettings} parses to. */
export type PricingSettings = Infer<typeof PricingSettings>;
