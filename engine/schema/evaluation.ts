/**
 * A model's evaluation on the store's own data, as stored, and the SKUs its
 * verdict leaves to the rule.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, IsoDate, Sku } from "./common.ts";

const /** @ignore */ _VerdictCode = z.enum(["ML_WORSE_THAN_NAIVE", "ML_UNTRUSTED_PRICE_RESPONSE"]);
/** Why an evaluation's verdict leaves a SKU to the rule. */
export const VerdictCode: typeof _VerdictCode = _VerdictCode;
/** The type {@linkcode VerdictCode} parses to. */
export type VerdictCode = Infer<typeof VerdictCode>;

const /** @ignore */ _EvaluationRecord = z.object({
  id: z.number().int().positive(),
  /** The registered model whose settings were evaluated; the verdict applies to it. */
  model_version: z.string().min(1),
  period: z.enum(["day", "week"]),
  from_date: IsoDate,
  to_date: IsoDate,
  periods: z.number().int().positive(),
  /** The evaluation's figures (what `deno task evaluate --json` prints, verdict aside). */
  summary: z.record(z.string(), z.unknown()),
  actor: z.string().min(1),
  recorded_at: z.string().nullable(),
});
/** A stored evaluation. */
export const EvaluationRecord: typeof _EvaluationRecord = _EvaluationRecord;
/** The type {@linkcode EvaluationRecord} parses to. */
export type EvaluationRecord = Infer<typeof EvaluationRecord>;

const /** @ignore */ _VerdictLine = z.object({
  sku: Sku,
  category: z.string(),
  reason_code: VerdictCode,
  /** The evidence, in words (at most 1,000 characters). */
  detail: z.string().min(1).max(1000),
});
/** A SKU an evaluation's verdict leaves to the rule, and why. */
export const VerdictLine: typeof _VerdictLine = _VerdictLine;
/** The type {@linkcode VerdictLine} parses to. */
export type VerdictLine = Infer<typeof VerdictLine>;
