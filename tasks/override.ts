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
import { InputError } from "../engine/util/errors.ts";
import {
  defineCommands,
  defineTask,
  EXIT_CODES,
  FIRST_DATE,
  Flags,
  LAST_DATE,
  log,
  printable,
  runMain,
  UsageError,
} from "./_cli.ts";

const DB = Flags.db("the store (default data/pricing.db); it must exist").default(
  "data/pricing.db",
);
const Who = {
  by: Flags.text("who asks (recorded with the override)", "WHO"),
  reason: Flags.text("why (recorded with the override)", "TEXT"),
};

/** `deno task override freeze` and `force-rule`: record an override of `kind`. */
function recordTask(command: string, kind: OverrideKind, about: string) {
  return defineTask({
    name: `override ${command}`,
    about,
    flags: z.object({
      sku: Flags.text("one SKU (give exactly one of --sku, --category and --all)", "SKU")
        .optional(),
      category: Flags.text("every SKU of category C", "C").optional(),
      all: Flags.on("every SKU").optional(),
      from: Flags.date(
        "first run date it applies to (default: the store's next run date, the day after the latest sales or, on a weekly store, the start of the week after the latest week with sales; not today's date)",
      ).optional(),
      until: Flags.date("first run date it no longer applies to"),
      ...Who,
      db: DB,
    }),
    notes:
      `An override applies to run date D when FROM <= D < UNTIL and it is not revoked. Dates lie from ${FIRST_DATE} to ${LAST_DATE}.`,
    run({ flags: f, json }) {
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
          `Recorded override ${o.id}: ${o.kind} for ${
            scopeText(o)
          } on run dates ${o.effective_from} ` +
            `up to ${o.expires_at} (exclusive), by ${printable(o.actor)}.`,
        );
      } finally {
        db.close();
      }
    },
  });
}

const revoke = defineTask({
  name: "override revoke",
  about:
    "Stops override ID from the next run on (past runs keep what they saw). Nothing is changed in place: the revocation is a new record.",
  positionals: [{ name: "ID", help: "the override to revoke (see deno task override list)" }],
  flags: z.object({
    by: Flags.text("who asks (recorded with the revocation)", "WHO"),
    reason: Flags.text("why (recorded with the revocation)", "TEXT"),
    db: DB,
  }),
  run({ flags, positionals: [raw], json }) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
      throw new UsageError(
        `ID: expected an override id, a whole number >= 1 (see deno task override list), got ${
          JSON.stringify(raw)
        }`,
      );
    }
    const db = openExisting(flags.db, false);
    try {
      const o = revokeOverride(db, {
        override_id: Number(raw),
        actor: flags.by,
        reason: flags.reason,
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
        `Revoked override ${o.id} (${o.kind} for ${scopeText(o)}) by ${
          printable(o.revoked_by ?? "")
        }: ` +
          `runs not yet made no longer apply it.`,
      );
    } finally {
      db.close();
    }
  },
});

const list = defineTask({
  name: "override list",
  about:
    "Lists every override, or with --active-on those that would apply to that run date, with its scope, dates, actor, reason and revocation.",
  flags: z.object({
    "active-on": Flags.date("only the overrides that would apply to this run date").optional(),
    db: Flags.db("the store (default data/pricing.db); opened read-only").default(
      "data/pricing.db",
    ),
  }),
  run({ flags, json }) {
    const db = openExisting(flags.db, true);
    try {
      const overrides = listOverrides(db, { activeOn: flags["active-on"] });
      if (json) console.log(JSON.stringify({ overrides }));
      log(table(overrides, flags["active-on"]));
    } finally {
      db.close();
    }
  },
});

/** `deno task override`. */
export const task = defineCommands({
  name: "override",
  about:
    "Records, revokes and lists pricing overrides. Overrides are recorded as intent and resolved by each daily run for its own run date: one applies to run date D when FROM <= D < UNTIL and it is not revoked. The most specific scope wins (sku over category over all); at equal scope a freeze beats force-rule. Nothing is ever changed in place: a revocation is a new record.",
  commands: {
    freeze: recordTask(
      "freeze",
      "PRICE_FREEZE",
      "Freezes prices: each covered SKU keeps its last price (strategy static) on the run dates from --from up to --until.",
    ),
    "force-rule": recordTask(
      "force-rule",
      "FORCE_RULE_BASED",
      "Forces rule-based pricing: each covered SKU is priced by the retail rules instead of the model on the run dates from --from up to --until.",
    ),
    revoke,
    list,
  },
  exitCodes: EXIT_CODES.replace(
    "bad usage or input",
    "bad usage or input (unknown SKU, missing store, ...)",
  ),
});

if (import.meta.main) await runMain(task);

function openExisting(path: string, readOnly: boolean) {
  if (!existsSync(path)) {
    throw new InputError(
      `no store at ${path} (run deno task daily to create the demo store, or pass --db PATH)`,
    );
  }
  return readOnly ? openReadOnly(path) : openStore(path);
}

function scopeText(o: OverrideRecord): string {
  return o.scope === "all" ? "all SKUs" : `${o.scope} ${printable(o.target ?? "")}`;
}

function table(rows: OverrideRecord[], activeOn: string | undefined): string {
  if (rows.length === 0) {
    return activeOn ? `No override applies on ${activeOn}.` : "No overrides recorded.";
  }
  const head = ["id", "kind", "scope", "target", "from", "until", "actor", "reason", "revoked"];
  const body = rows.map((o) => {
    const reason = printable(o.reason);
    return [
      String(o.id),
      o.kind,
      o.scope,
      printable(o.target ?? "-"),
      o.effective_from,
      o.expires_at,
      printable(o.actor),
      reason.length > 48 ? `${reason.slice(0, 45)}...` : reason,
      o.revocation_id === null ? "no" : `yes (by ${printable(o.revoked_by ?? "")})`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
