/**
 * `deno task override`: record, revoke and list pricing overrides. An override
 * is intent: each daily run resolves it for its own run date.
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { openReadOnly } from "../engine/store/queries.ts";
import {
  listOverrides,
  recordOverride,
  revokeOverride,
} from "../engine/pricing/override_requests.ts";
import type { OverrideKind, OverrideRecord } from "../engine/schema/pricing.ts";
import { isIsoDate } from "../engine/util/date.ts";
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage:
  deno task override freeze|force-rule (--sku SKU | --category C | --all) --until YYYY-MM-DD
                     [--from YYYY-MM-DD] --by WHO --reason TEXT [--db PATH] [--json]
  deno task override revoke ID --by WHO --reason TEXT [--db PATH] [--json]
  deno task override list [--active-on YYYY-MM-DD] [--db PATH] [--json]

Overrides are recorded as intent and resolved by each daily run for its own run date: one
applies to run date D when FROM <= D < UNTIL and it is not revoked. The most specific scope
wins (sku over category over all); at equal scope a freeze beats force-rule. Nothing is
ever changed in place: a revocation is a new record.

  freeze              keep each covered SKU's last price (strategy static)
  force-rule          price each covered SKU by the retail rules instead of the model
  --sku SKU           one SKU            } exactly one of these three
  --category C        every SKU of C     }
  --all               every SKU          }
  --from YYYY-MM-DD   first run date it applies to (default: the store's next run date,
                      the day after the latest sales, not today's date)
  --until YYYY-MM-DD  first run date it no longer applies to
  --by WHO            who asks (recorded with the override)
  --reason TEXT       why (recorded with the override)

  revoke ID           stop override ID from the next run on (past runs keep what they saw)
  list                every override, or with --active-on those that would apply that day
  --db PATH           the store (default data/pricing.db); it must exist
  --json              print exactly one JSON object on stdout
  -h, --help          this text

Exit codes: 0 success, 1 failure, 2 bad usage or input (unknown SKU, missing store, ...).`;

const Who = {
  by: z.string({ error: "is required: who asks" }).trim().min(1, { error: "must name who asks" }),
  reason: z.string({ error: "is required: why" }).trim().min(1, { error: "must give a reason" }),
};
const CalendarDate = z.string({ error: "is required (YYYY-MM-DD)" }).refine(isIsoDate, {
  error: "expected a calendar date as YYYY-MM-DD",
});

const RecordSchema = z.object({
  sku: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
  all: z.boolean().optional(),
  from: CalendarDate.optional(),
  until: CalendarDate,
  ...Who,
  db: Flags.db,
});
const RevokeSchema = z.object({ ...Who, db: Flags.db });
const ListSchema = z.object({ "active-on": CalendarDate.optional(), db: Flags.db });

const KIND: Record<string, OverrideKind> = {
  freeze: "PRICE_FREEZE",
  "force-rule": "FORCE_RULE_BASED",
};

let json = false;
await main("override", () => json, () => {
  const [command, ...rest] = Deno.args;
  if (command === undefined || command === "-h" || command === "--help") {
    console.log(USAGE);
    return;
  }
  json = rest.includes("--json");
  if (command in KIND) return record(KIND[command], rest);
  if (command === "revoke") return revoke(rest);
  if (command === "list") return list(rest);
  throw new UsageError(
    `unknown command ${
      JSON.stringify(command)
    }: expected freeze, force-rule, revoke or list\n\n${USAGE}`,
  );
});

function record(kind: OverrideKind, argv: string[]): void {
  const args = parseTask({
    name: "override",
    usage: USAGE,
    schema: RecordSchema,
    flags: {
      sku: { type: "string" },
      category: { type: "string" },
      all: { type: "boolean" },
      from: { type: "string" },
      until: { type: "string" },
      by: { type: "string" },
      reason: { type: "string" },
      db: { type: "string" },
    },
  }, argv);
  const f = args.flags;
  const given = [
    f.sku !== undefined && "--sku",
    f.category !== undefined && "--category",
    f.all && "--all",
  ].filter((x): x is string => Boolean(x));
  if (given.length !== 1) {
    throw new UsageError(
      `give exactly one of --sku SKU, --category C or --all (got ${
        given.length ? given.join(" and ") : "none"
      })`,
    );
  }
  const db = openExisting(f.db, false);
  try {
    const o = recordOverride(db, {
      kind,
      scope: f.sku !== undefined ? "sku" : f.category !== undefined ? "category" : "all",
      target: f.sku ?? f.category ?? null,
      from: f.from,
      until: f.until,
      actor: f.by,
      reason: f.reason,
    }, new Date().toISOString());
    if (json) console.log(JSON.stringify({ status: "recorded", id: o.id, override: o }));
    log(
      `Recorded override ${o.id}: ${o.kind} for ${scopeText(o)} on run dates ${o.effective_from} ` +
        `up to ${o.expires_at} (exclusive), by ${o.actor}.`,
    );
  } finally {
    db.close();
  }
}

function revoke(argv: string[]): void {
  const args = parseTask({
    name: "override",
    usage: USAGE,
    schema: RevokeSchema,
    flags: { by: { type: "string" }, reason: { type: "string" }, db: { type: "string" } },
    positionals: 1,
  }, argv);
  const raw = args.positionals[0];
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(
      `revoke expects an override id (a whole number, see deno task override list), got ${
        raw === undefined ? "none" : JSON.stringify(raw)
      }`,
    );
  }
  const db = openExisting(args.flags.db, false);
  try {
    const o = revokeOverride(db, {
      override_id: Number(raw),
      actor: args.flags.by,
      reason: args.flags.reason,
    }, new Date().toISOString());
    if (json) {
      console.log(JSON.stringify({
        status: "revoked",
        id: o.id,
        revocation_id: o.revocation_id,
        override: o,
      }));
    }
    log(
      `Revoked override ${o.id} (${o.kind} for ${scopeText(o)}) by ${o.revoked_by}: ` +
        `runs not yet made no longer apply it.`,
    );
  } finally {
    db.close();
  }
}

function list(argv: string[]): void {
  const args = parseTask({
    name: "override",
    usage: USAGE,
    schema: ListSchema,
    flags: { "active-on": { type: "string" }, db: { type: "string" } },
  }, argv);
  const db = openExisting(args.flags.db, true);
  try {
    const overrides = listOverrides(db, { activeOn: args.flags["active-on"] });
    if (json) console.log(JSON.stringify({ overrides }));
    log(table(overrides, args.flags["active-on"]));
  } finally {
    db.close();
  }
}

function openExisting(path: string, readOnly: boolean) {
  if (!existsSync(path)) {
    throw new RangeError(
      `no store at ${path} (run deno task daily to create the demo store, or pass --db PATH)`,
    );
  }
  return readOnly ? openReadOnly(path) : openStore(path);
}

function scopeText(o: OverrideRecord): string {
  return o.scope === "all" ? "all SKUs" : `${o.scope} ${o.target}`;
}

function table(rows: OverrideRecord[], activeOn: string | undefined): string {
  if (rows.length === 0) {
    return activeOn ? `No override applies on ${activeOn}.` : "No overrides recorded.";
  }
  const head = ["id", "kind", "scope", "target", "from", "until", "actor", "reason", "revoked"];
  const body = rows.map((o) => [
    String(o.id),
    o.kind,
    o.scope,
    o.target ?? "-",
    o.effective_from,
    o.expires_at,
    o.actor,
    o.reason.length > 48 ? `${o.reason.slice(0, 45)}...` : o.reason,
    o.revocation_id === null ? "no" : `yes (by ${o.revoked_by})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
