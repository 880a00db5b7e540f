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
import { isIsoDate } from "../engine/util/date.ts";
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage:
  deno task settings set [--category C] [--from YYYY-MM-DD] --by WHO --reason TEXT
                         [--objective profit|revenue] [--units-floor F|off] [--revenue-floor F|off]
                         [--price-index LO,HI|off] [--kvi-index LO,HI|off] [--floor-margin M]
                         [--index-margin M]
                         [--rule NAME=hard|soft[:PRIORITY]]... [--db PATH] [--json]
  deno task settings show [--date YYYY-MM-DD] [--db PATH] [--json]

Each daily run prices under the settings in force on its run date (the latest setting of the
store, and of each category, effective on or before it) and records them with the run, so its
replay sees the same. "set" writes the whole setting of one scope: a flag left out inherits (a
category from the store, the store from the defaults), "off" turns a rule off.

  --category C          the category's own setting (default: the store's)
  --from YYYY-MM-DD     first run date it applies to (default: the store's next run date)
  --objective NAME      profit (default) or revenue
  --units-floor F       category demand >= F x its trailing 28-day level (e.g. 0.97)
  --revenue-floor F     the same for revenue
  --price-index LO,HI   the category's sales-weighted price index against the competitor
  --kvi-index LO,HI     each key-value item's price over the competitor's (default [LO, min(HI, 1)])
  --floor-margin M      floors are planned M above themselves (default 0.03)
  --index-margin M      the price index is planned M inside its band (default 0.005)
  --rule NAME=MODE      hard or soft, with an optional priority (1 binds first), for family,
                        ladder, kvi_index, price_index, units_floor, revenue_floor; repeatable
  --by WHO, --reason TEXT   recorded with the setting
  --date YYYY-MM-DD     show: the run date to resolve for (default: the store's next run date)
  --db PATH             the store (default data/pricing.db); it must exist
  --json                print exactly one JSON object on stdout
  -h, --help            this text

Exit codes: 0 success, 1 failure, 2 bad usage or input.`;

const CalendarDate = z.string().refine(isIsoDate, {
  error: "expected a calendar date as YYYY-MM-DD",
});
const Share = z.string().regex(/^(off|\d*\.?\d+)$/, { error: "expects a share (e.g. 0.97) or off" })
  .transform((v) => (v === "off" ? null : Number(v)));
const Band = z.string().regex(/^(off|\d*\.?\d+,\d*\.?\d+)$/, {
  error: "expects LOW,HIGH (e.g. 0.97,1.05) or off",
}).transform((v) => (v === "off" ? null : v.split(",").map(Number)));

const SetSchema = z.object({
  category: z.string().min(1).optional(),
  from: CalendarDate.optional(),
  by: z.string({ error: "is required: who sets it" }).trim().min(1),
  reason: z.string({ error: "is required: why" }).trim().min(1),
  objective: z.string().optional(),
  "units-floor": Share.optional(),
  "revenue-floor": Share.optional(),
  "price-index": Band.optional(),
  "kvi-index": Band.optional(),
  "floor-margin": z.string().regex(/^\d*\.?\d+$/, { error: "expects a share, e.g. 0.03" })
    .transform(Number).optional(),
  "index-margin": z.string().regex(/^\d*\.?\d+$/, { error: "expects a share, e.g. 0.005" })
    .transform(Number).optional(),
  rule: z.array(z.string()).optional(),
  db: Flags.db,
});
const ShowSchema = z.object({ date: CalendarDate.optional(), db: Flags.db });

let json = false;
await main("settings", () => json, () => {
  const [command, ...rest] = Deno.args;
  if (command === undefined || command === "-h" || command === "--help") {
    console.log(USAGE);
    return;
  }
  json = rest.includes("--json");
  if (command === "set") return set(rest);
  if (command === "show") return show(rest);
  throw new UsageError(
    `unknown command ${JSON.stringify(command)}: expected set or show\n\n${USAGE}`,
  );
});

function set(argv: string[]): void {
  const f = parseTask({
    name: "settings",
    usage: USAGE,
    schema: SetSchema,
    flags: {
      category: { type: "string" },
      from: { type: "string" },
      by: { type: "string" },
      reason: { type: "string" },
      objective: { type: "string" },
      "units-floor": { type: "string" },
      "revenue-floor": { type: "string" },
      "price-index": { type: "string" },
      "kvi-index": { type: "string" },
      "floor-margin": { type: "string" },
      "index-margin": { type: "string" },
      rule: { type: "string", multiple: true },
      db: { type: "string" },
    },
  }, argv).flags;
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
        stored.scope === "store" ? "the store" : stored.target
      } from ${stored.effective_from}`,
    );
    if (json) console.log(JSON.stringify({ status: "recorded", setting: stored }));
  } finally {
    db.close();
  }
}

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

function show(argv: string[]): void {
  const f = parseTask({
    name: "settings",
    usage: USAGE,
    schema: ShowSchema,
    flags: { date: { type: "string" }, db: { type: "string" } },
  }, argv).flags;
  const db = _open(f.db, true);
  try {
    const view = pricingSettingsView(db, f.date);
    if (json) console.log(JSON.stringify(view));
    else {
      log(`pricing settings in force on ${view.date}:`);
      for (const [c, r] of Object.entries(view.categories)) log(`  ${c}: ${JSON.stringify(r)}`);
      log(`${view.history.length} setting(s) recorded`);
    }
  } finally {
    db.close();
  }
}

function _open(path: string, readOnly: boolean) {
  if (!existsSync(path)) {
    throw new UsageError(`no store at ${path} (create one with deno task daily or deno task sim)`);
  }
  return readOnly ? openReadOnly(path) : openStore(path, { busyTimeoutMs: 10_000 });
}
