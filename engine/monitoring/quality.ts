/**
 * Data quality of a run's inputs: active SKUs with no sales record for the
 * previous date, stale inventory, shelf prices outside the guardrails, negative
 * or missing values, sudden cost jumps, and active SKUs the feature job could
 * not snapshot. Every issue names the SKU, the field and the value; the checks
 * never throw on a bad value, they report it.
 *
 * @module
 */
import type { DataQualityIssue } from "../schema/monitoring.ts";
import { addDays } from "../util/date.ts";

/** The inputs the checks read. Values are loosely typed: the checks are there for bad ones. */
export interface QualityInputs {
  /** The run's date, `YYYY-MM-DD`. */
  runDate: string;
  /** The period before the run date whose sales are checked. Default: the day before it. */
  previousDate?: string;
  /** Catalog records effective before the run date, by SKU then effective date then recording. */
  catalog: readonly {
    sku: string;
    effective_date: string;
    category?: string;
    unit_cost: number | null;
    floor_price: number | null;
    ceiling_price: number | null;
    active: boolean;
  }[];
  /** Sales of the previous date (latest record per SKU). */
  sales: readonly {
    sku: string;
    units: number | null;
    revenue: number | null;
    shelf_price: number | null;
    promo: boolean;
  }[];
  /** The latest inventory record per SKU dated before the run date. */
  inventory: readonly {
    sku: string;
    date: string;
    on_hand: number | null;
    on_order: number | null;
  }[];
  /** Competitor prices of the previous date and of the SKUs seen with one in the week before. */
  competitor: readonly { sku: string; competitor_price: number | null }[];
  /** SKUs that had a competitor price in the week before the previous date. */
  competitorTracked?: readonly string[];
  /** SKUs the feature job snapshotted. */
  snapshotted?: readonly string[];
  /** SKUs the feature job skipped, with the reason. */
  skipped?: readonly { sku: string; reason: string }[];
}

/** Options of {@linkcode checkDataQuality}. */
export interface QualityOptions {
  /** Inventory older than this many days before the previous date is stale. Default 3. */
  staleDays?: number;
  /** A cost change larger than this share within `costJumpDays` is a jump. Default 0.25. */
  costJump?: number;
  /** How recent a catalog change must be to be checked for a jump. Default 7 days. */
  costJumpDays?: number;
  /** How far back the latest inventory record was looked for. Default 60 days. */
  inventoryLookbackDays?: number;
  /** Tolerance on the guardrails, in money. Default 0.005. */
  tolerance?: number;
}

/** Checks the inputs of a run; issues sorted by SKU, check and field. */
export function checkDataQuality(
  inputs: QualityInputs,
  options: QualityOptions = {},
): DataQualityIssue[] {
  const staleDays = options.staleDays ?? 3;
  const jump = options.costJump ?? 0.25;
  const tol = options.tolerance ?? 0.005;
  const previous = inputs.previousDate ?? addDays(inputs.runDate, -1);
  const issues: DataQualityIssue[] = [];
  const issue = (
    check: DataQualityIssue["check"],
    sku: string,
    field: string,
    value: unknown,
    message: string,
  ) => issues.push({ check, sku, field, value: show(value), message });

  const bySku = new Map<string, QualityInputs["catalog"][number][]>();
  for (const c of inputs.catalog) {
    const list = bySku.get(c.sku);
    if (list) list.push(c);
    else bySku.set(c.sku, [c]);
  }
  const terms = new Map<string, QualityInputs["catalog"][number]>();
  for (const [sku, list] of bySku) {
    const current = list[list.length - 1];
    if (!current.active) continue;
    terms.set(sku, current);
    for (const field of ["unit_cost", "floor_price", "ceiling_price"] as const) {
      checkNumber(issue, sku, `catalog.${field}`, current[field], true);
    }
    const before = list.length > 1 ? list[list.length - 2] : null;
    if (
      before && current.effective_date >= addDays(inputs.runDate, -(options.costJumpDays ?? 7)) &&
      isPositive(before.unit_cost) && isPositive(current.unit_cost) &&
      Math.abs(current.unit_cost / before.unit_cost - 1) > jump
    ) {
      issue(
        "COST_JUMP",
        sku,
        "catalog.unit_cost",
        current.unit_cost,
        `unit cost moved from ${before.unit_cost} to ${current.unit_cost} on ${current.effective_date} (more than ${
          jump * 100
        }%)`,
      );
    }
  }

  const sales = new Map(inputs.sales.map((s) => [s.sku, s]));
  for (const [sku, t] of terms) {
    const s = sales.get(sku);
    if (!s) {
      issue("MISSING_SALES", sku, "sales.date", previous, `no sales record for ${previous}`);
      continue;
    }
    checkNumber(issue, sku, "sales.units", s.units, false);
    checkNumber(issue, sku, "sales.revenue", s.revenue, false);
    checkNumber(issue, sku, "sales.shelf_price", s.shelf_price, true);
    if (
      !s.promo && isPositive(s.shelf_price) && isPositive(t.floor_price) &&
      isPositive(t.ceiling_price) &&
      (s.shelf_price < t.floor_price - tol || s.shelf_price > t.ceiling_price + tol)
    ) {
      issue(
        "PRICE_OUTSIDE_GUARDRAILS",
        sku,
        "sales.shelf_price",
        s.shelf_price,
        `shelf price ${s.shelf_price} on ${previous} is outside [${t.floor_price}, ${t.ceiling_price}]`,
      );
    }
  }

  const inventory = new Map(inputs.inventory.map((r) => [r.sku, r]));
  const staleBefore = addDays(previous, -staleDays);
  for (const sku of terms.keys()) {
    const r = inventory.get(sku);
    if (!r) {
      issue(
        "STALE_INVENTORY",
        sku,
        "inventory.date",
        null,
        `no inventory record since ${addDays(previous, -(options.inventoryLookbackDays ?? 60))}`,
      );
      continue;
    }
    if (r.date < staleBefore) {
      issue(
        "STALE_INVENTORY",
        sku,
        "inventory.date",
        r.date,
        `latest inventory record is from ${r.date}, more than ${staleDays} days before ${previous}`,
      );
    }
    checkNumber(issue, sku, "inventory.on_hand", r.on_hand, false);
    checkNumber(issue, sku, "inventory.on_order", r.on_order, false);
  }

  const competitor = new Map(inputs.competitor.map((c) => [c.sku, c]));
  for (const sku of inputs.competitorTracked ?? []) {
    if (!terms.has(sku)) continue;
    const c = competitor.get(sku);
    if (!c) {
      issue(
        "MISSING_VALUE",
        sku,
        "competitor_prices.competitor_price",
        null,
        `no competitor price for ${previous} although one was observed in the week before`,
      );
    } else checkNumber(issue, sku, "competitor_prices.competitor_price", c.competitor_price, true);
  }

  if (inputs.snapshotted) {
    const done = new Set(inputs.snapshotted);
    const reasons = new Map((inputs.skipped ?? []).map((s) => [s.sku, s.reason]));
    for (const sku of terms.keys()) {
      if (done.has(sku)) continue;
      issue(
        "NO_SNAPSHOT",
        sku,
        "feature_snapshots.sku",
        reasons.get(sku) ?? null,
        `active SKU not priced: ${reasons.get(sku) ?? "no snapshot"}`,
      );
    }
  }
  return issues.sort((a, b) => cmp(a.sku, b.sku) || cmp(a.check, b.check) || cmp(a.field, b.field));
}

type Report = (
  check: DataQualityIssue["check"],
  sku: string,
  field: string,
  value: unknown,
  message: string,
) => void;

function checkNumber(
  issue: Report,
  sku: string,
  field: string,
  value: unknown,
  positive: boolean,
): void {
  if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) {
    issue("MISSING_VALUE", sku, field, value ?? null, `${field} is missing`);
  } else if (typeof value !== "number" || !Number.isFinite(value)) {
    issue("MISSING_VALUE", sku, field, value, `${field} is not a finite number`);
  } else if (value < 0 || (positive && value === 0)) {
    issue(
      "NEGATIVE_VALUE",
      sku,
      field,
      value,
      `${field} is ${positive ? "not positive" : "negative"}`,
    );
  }
}

function isPositive(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "missing";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return typeof v === "string" ? v : JSON.stringify(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
