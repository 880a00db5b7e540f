/**
 * `deno task evaluate`: an honest evaluation of the approved model's setting on
 * the store's own data (rolling origin over the last N periods), its verdict
 * recorded so that the daily run leaves untrusted SKUs to the rule.
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import { evaluateStore, type StoreEvaluation } from "../engine/registry/evaluate.ts";
import { openStore } from "../engine/store/db.ts";
import { appendEvaluation, transaction } from "../engine/store/writer.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineTask, Flags, log, printable, runMain } from "./_cli.ts";

/** `deno task evaluate`. */
export const task = defineTask({
  name: "evaluate",
  about:
    "Evaluates the approved model's setting on the store's own data by rolling origin: for each of the last N periods it trains the setting on the data before it and forecasts every SKU at the shelf price it actually had. Prints WAPE and bias against the seasonal-naive forecast and the elasticity-only model (overall, by category, by sales-volume decile), the price response over periods where a SKU's shelf price moved by at least 5% (sign agreement, Spearman, calibration slope; promotion moves apart), the elasticity estimates against a held-out fit, and a verdict: which SKUs the model should price and which it should leave to the rule. The verdict is recorded with the model: from the next daily run, a SKU it leaves to the rule is priced by it with the reason code (ML_UNTRUSTED_PRICE_RESPONSE or ML_WORSE_THAN_NAIVE).",
  flags: z.object({
    db: Flags.db("the store (default data/pricing.db); it must exist").default("data/pricing.db"),
    periods: Flags.whole(
      "periods to evaluate, the latest ones (default 26 on a weekly store, 28 on a daily one)",
      { min: 2, max: 520 },
    ).optional(),
    "retrain-every": Flags.whole(
      "periods between retrainings (default 1 on a weekly store, 7 on a daily one)",
      { max: 520 },
    ).optional(),
    "dry-run": Flags.on("evaluate and print, record nothing (the daily run keeps its verdict)")
      .optional(),
    by: Flags.text('who evaluates (recorded; default "cli")', "WHO").optional(),
  }),
  run({ flags, json }) {
    if (!existsSync(flags.db)) {
      throw new InputError(`Cannot evaluate: no store at --db ${flags.db}`);
    }
    const db = openStore(flags.db);
    try {
      const e = evaluateStore(db, {
        periods: flags.periods,
        retrainEvery: flags["retrain-every"],
        onProgress: (m) => log(`evaluate: ${m}`),
      });
      let evaluationId: number | null = null;
      if (e.model.version !== null && !flags["dry-run"]) {
        const { verdict: _v, ...summary } = e;
        evaluationId = transaction(db, () =>
          appendEvaluation(db, {
            modelVersion: e.model.version!,
            period: e.period,
            fromDate: e.from,
            toDate: e.to,
            periods: e.periods,
            summary: { ...summary, verdict_categories: e.verdict.categories },
            verdicts: e.verdict.skus.map((s) => ({
              sku: s.sku,
              category: s.category,
              reason_code: s.reason_code!,
              detail: s.detail.slice(0, 1000),
            })),
            actor: flags.by ?? "cli",
            recordedAt: new Date().toISOString(),
          }));
      }
      if (json) console.log(JSON.stringify({ ...e, evaluation_id: evaluationId }));
      else log(describe(e, evaluationId));
    } finally {
      db.close();
    }
  },
});

const f3 = (x: number | null) => (x === null ? "-" : x.toFixed(3));
const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);

/** The evaluation as the table the README shows. */
export function describe(e: StoreEvaluation, evaluationId: number | null): string {
  const unit = e.period === "week" ? "weeks" : "days";
  const out: string[] = [];
  out.push(
    `Evaluation of ${e.model.version ?? "the default gbdt setting (no approved model)"} ` +
      `(${e.model.kind}${
        e.model.price_response ? `, price response ${e.model.price_response}` : ""
      }) by rolling origin over the last ${e.periods} ${unit}, ${e.from} to ${e.to}: ` +
      `${e.skus} SKUs, ${e.rows} forecasts without promotion or stockout, ${e.trainings} trainings.`,
    "",
    "                         model    seasonal naive   elasticity only",
    `WAPE                     ${f3(e.wape.model).padEnd(8)} ${f3(e.wape.naive).padEnd(16)} ${
      f3(e.wape.elasticity)
    }`,
    `bias                     ${f3(e.bias.model).padEnd(8)} ${f3(e.bias.naive).padEnd(16)} ${
      f3(e.bias.elasticity)
    }`,
    `WAPE, promotion ${e.period}s ${e.period === "day" ? " " : ""}   ${
      f3(e.promo.wape.model).padEnd(8)
    } ${f3(e.promo.wape.naive).padEnd(16)} ${f3(e.promo.wape.elasticity)}  (${e.promo.rows} rows)`,
    `WAPE model / naive: ${f3(e.targets.wape_ratio)} (target <= ${e.targets.wape_ratio_max}: ${
      e.targets.wape_met ? "met" : "NOT met"
    })`,
    "",
    `Price response on non-promotion moves of at least 5%: ${e.price_response.moves} moves, ` +
      `sign agreement ${pct(e.price_response.sign_agreement)} (target >= ${
        pct(e.targets.sign_agreement_min)
      }: ${e.targets.sign_agreement_met ? "met" : "NOT met"}), Spearman ${
        f3(e.price_response.spearman)
      }, calibration slope ${f3(e.price_response.calibration_slope)}`,
    `  moves into or out of a promotion: ${e.price_response_promo.moves}, sign agreement ${
      pct(e.price_response_promo.sign_agreement)
    }, Spearman ${f3(e.price_response_promo.spearman)}, slope ${
      f3(e.price_response_promo.calibration_slope)
    }`,
    `  elasticity-only model: sign agreement ${
      pct(e.price_response_elasticity.sign_agreement)
    }, Spearman ${f3(e.price_response_elasticity.spearman)}, slope ${
      f3(e.price_response_elasticity.calibration_slope)
    }`,
    `Elasticities (as priced): median ${f3(e.elasticity.median)}, from ${f3(e.elasticity.min)} to ${
      f3(e.elasticity.max)
    }; ${e.elasticity.positive} positive, every one negative: ${
      e.targets.every_elasticity_negative ? "yes" : "NO"
    }; ${e.elasticity.raw_positive} of ${e.elasticity.skus} SKUs' own fits positive, ` +
      `${e.elasticity.bounded} SKU-${e.period}s at a prior bound`,
    `  against a fit held out on the evaluated ${unit} (${e.elasticity.held_out.moves} SKUs): ` +
      `same sign ${pct(e.elasticity.held_out.sign_agreement)}, Spearman ${
        f3(e.elasticity.held_out.spearman)
      }, slope ${f3(e.elasticity.held_out.calibration_slope)}`,
    "",
    "category                 SKUs  rows   WAPE model  naive   elast.  moves  sign    Spearman  slope   verdict",
  );
  const verdictOf = new Map(e.verdict.categories.map((c) => [c.category, c]));
  for (const c of e.by_category) {
    const v = verdictOf.get(c.category);
    out.push(
      `${printable(c.category).slice(0, 24).padEnd(24)} ${String(c.skus).padStart(4)}  ${
        String(c.rows).padStart(5)
      }  ${f3(c.wape.model).padStart(10)}  ${f3(c.wape.naive).padStart(6)}  ${
        f3(c.wape.elasticity).padStart(6)
      }  ${String(c.price_response.moves).padStart(5)}  ${
        pct(c.price_response.sign_agreement).padStart(6)
      }  ${f3(c.price_response.spearman).padStart(8)}  ${
        f3(c.price_response.calibration_slope).padStart(6)
      }  ${v ? (v.verdict === "ml" ? "ml" : `rule (${v.reason_code})`) : "-"}`,
    );
  }
  out.push(
    "",
    "volume decile  SKUs  rows   WAPE model  naive   elast.  moves  sign    Spearman  slope",
  );
  for (const d of e.by_decile) {
    out.push(
      `${String(d.decile).padStart(13)}  ${String(d.skus).padStart(4)}  ${
        String(d.rows).padStart(5)
      }  ${f3(d.wape.model).padStart(10)}  ${f3(d.wape.naive).padStart(6)}  ${
        f3(d.wape.elasticity).padStart(6)
      }  ${String(d.price_response.moves).padStart(5)}  ${
        pct(d.price_response.sign_agreement).padStart(6)
      }  ${f3(d.price_response.spearman).padStart(8)}  ${
        f3(d.price_response.calibration_slope).padStart(6)
      }`,
    );
  }
  const l = e.left_to_rule;
  out.push(
    "",
    `Left to the rule if the last ${e.period} were priced now: ${
      l.verdict + l.elasticity_out_of_prior + l.cold_start
    } of ${l.skus} SKUs (${pct(l.share)}): ${l.verdict} by the verdict (${
      Object.entries(e.verdict.left_to_rule.by_reason).map(([k, n]) => `${k} ${n}`).join(", ") ||
      "none"
    }), ${l.elasticity_out_of_prior} ML_ELASTICITY_OUT_OF_PRIOR, ${l.cold_start} ML_COLD_START.`,
  );
  for (const c of e.verdict.categories) {
    out.push(`  ${printable(c.category)}: ${c.verdict}; ${printable(c.detail)}`);
  }
  for (
    const s of e.verdict.skus.filter((x) =>
      !verdictOf.has(x.category) || verdictOf.get(x.category)!.verdict === "ml"
    )
  ) {
    out.push(`  ${s.sku}: rule (${s.reason_code}); ${printable(s.detail)}`);
  }
  out.push(
    evaluationId === null
      ? e.model.version === null
        ? "Nothing recorded: no approved model to attach the verdict to."
        : "Nothing recorded (--dry-run)."
      : `Recorded as evaluation ${evaluationId} of ${e.model.version}: from the next daily run its verdict decides which SKUs ML leaves to the rule.`,
  );
  return out.join("\n");
}

if (import.meta.main) await runMain(task);
