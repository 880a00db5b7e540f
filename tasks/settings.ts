/**
 * `deno task settings`: the store's objective and business rules, per store and
 * per category, from a date on; and what is in force on a date.
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { openReadOnly } from "../engine/store/queries.ts";
import { pricingSettingsView, recordPricingSettings } from "../engine/pricing/settings_requests.ts";
import { PricingRules, RuleName } from "../engine/schema/rules.ts";
import { InputError } from "../engine/util/errors.ts";
import {
  DEFAULT_DB,
  defineCommands,
  defineTask,
  Flags,
  log,
  printable,
  runMain,
  UsageError,
} from "./_cli.ts";

const Share = (help: string) =>
  z.string().regex(/^(off|\d*\.?\d+)$/, { error: "expected a share (e.g. 0.97) or off" })
    .transform((v) => (v === "off" ? null : Number(v))).meta({ arg: "F|off", help });
const Band = (help: string) =>
  z.string().regex(/^(off|\d*\.?\d+,\d*\.?\d+)$/, {
    error: "expected LOW,HIGH (e.g. 0.97,1.05) or off",
  }).transform((v) => (v === "off" ? null : v.split(",").map(Number))).meta({
    arg: "LO,HI|off",
    help,
  });
const Margin = (help: string) =>
  z.string().regex(/^\d*\.?\d+$/, { error: "expected a share, e.g. 0.03" }).transform(Number)
    .meta({ arg: "M", help });
const DB = Flags.db(`the store (default ${DEFAULT_DB}); it must exist`).default(DEFAULT_DB);

const set = defineTask({
  name: "settings set",
  about:
    "Records the whole setting of one scope (the store, or a --category) from a date on: each daily run prices under the settings in force on its run date (the latest setting of the store, and of each category, effective on or before it) and records them with the run, so its replay sees the same. A flag left out inherits (a category from the store, the store from the defaults); off turns a rule off.",
  flags: z.object({
    category: Flags.text("the category's own setting (default: the store's)", "C").optional(),
    from: Flags.date("first run date it applies to (default: the store's next run date)")
      .optional(),
    by: Flags.text("who sets it (recorded)", "WHO"),
    reason: Flags.text("why (recorded)", "TEXT"),
    objective: z.enum(["profit", "revenue"]).meta({
      arg: "profit|revenue",
      help: "what the optimizer maximises (default profit)",
    }).optional(),
    "units-floor": Share("category demand >= F x its trailing 28-day level (e.g. 0.97)")
      .optional(),
    "revenue-floor": Share("the same for revenue").optional(),
    "price-index": Band("the category's sales-weighted price index against the competitor")
      .optional(),
    "kvi-index": Band(
      "each key-value item's price over the competitor's (default [LO, min(HI, 1)])",
    ).optional(),
    "floor-margin": Margin("floors are planned M above themselves (default 0.03)").optional(),
    "index-margin": Margin("the price index is planned M inside its band (default 0.005)")
      .optional(),
    rule: z.array(z.string()).meta({
      arg: "NAME=hard|soft[:PRIORITY]",
      help:
        "hard or soft, with an optional priority (1 binds first), for family, ladder, kvi_index, price_index, units_floor, revenue_floor; repeatable",
    }).optional(),
    db: DB,
  }),
  run({ flags: f, json }) {
    const raw: Record<string, unknown> = {
      objective: f.objective,
      units_floor: f["units-floor"],
      revenue_floor: f["revenue-floor"],
      price_index: f["price-index"],
      kvi_index: f["kvi-index"],
      floor_margin: f["floor-margin"],
      index_margin: f["index-margin"],
    };
    if (f.rule?.length) raw.modes = Object.fromEntries(f.rule.map(_mode));
    for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
    const parsed = PricingRules.safeParse(raw);
    if (!parsed.success) {
      throw new UsageError(
        parsed.error.issues.map((i) => `--${String(i.path[0]).replaceAll("_", "-")}: ${i.message}`)
          .join("; "),
      );
    }
    const db = _open(f.db, false);
    try {
      const stored = recordPricingSettings(db, {
        category: f.category ?? null,
        from: f.from,
        settings: parsed.data,
        actor: f.by,
        reason: f.reason,
      }, new Date().toISOString());
      log(
        `settings ${stored.id}: ${
          stored.scope === "store" ? "the store" : printable(stored.target ?? "")
        } from ${stored.effective_from}`,
      );
      if (json) console.log(JSON.stringify({ status: "recorded", setting: stored }));
    } finally {
      db.close();
    }
  },
});

/** `NAME=hard|soft[:PRIORITY]` as a rule mode. */
function _mode(text: string): [string, { hard: boolean; priority?: number }] {
  const m = /^([a-z_]+)=(hard|soft)(?::(\d+))?$/.exec(text);
  if (!m || !RuleName.safeParse(m[1]).success) {
    throw new UsageError(
      `--rule ${JSON.stringify(text)}: expected NAME=hard|soft[:PRIORITY] with NAME one of ${
        RuleName.options.join(", ")
      }`,
    );
  }
  return [m[1], { hard: m[2] === "hard", ...(m[3] ? { priority: Number(m[3]) } : {}) }];
}

const show = defineTask({
  name: "settings show",
  about: "The pricing settings in force on a date, per category, and every setting recorded.",
  flags: z.object({
    date: Flags.date("the run date to resolve for (default: the store's next run date)")
      .optional(),
    db: DB,
  }),
  run({ flags: f, json }) {
    const db = _open(f.db, true);
    try {
      const view = pricingSettingsView(db, f.date);
      if (json) console.log(JSON.stringify(view));
      else {
        log(`pricing settings in force on ${view.date}:`);
        for (const [c, r] of Object.entries(view.categories)) {
          log(`  ${printable(c)}: ${JSON.stringify(r)}`);
        }
        log(`${view.history.length} setting(s) recorded`);
      }
    } finally {
      db.close();
    }
  },
});

function _open(path: string, readOnly: boolean) {
  if (!existsSync(path)) {
    throw new InputError(
      `Cannot read the settings: no store at --db ${path} (create one with deno task init, daily or sim)`,
    );
  }
  return readOnly ? openReadOnly(path) : openStore(path, { busyTimeoutMs: 10_000 });
}

/** `deno task settings`. */
export const task = defineCommands({
  name: "settings",
  about:
    "The store's objective and business rules, per store and per category, from a date on; and what is in force on a date.",
  commands: { set, show },
});

if (import.meta.main) await runMain(task);
