/**
 * The ML-priced lines of a category as items of the category solver: each price
 * group's candidate prices (every member's guardrails and ending, the
 * key-value-item band, a ladder kept solvable), and at each candidate the
 * members' expected units by the model, the objective and each category rule's
 * term. Then the solver's choice back into decisions.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { RuleName } from "../schema/rules.ts";
import { round } from "../util/round.ts";
import { bindingConstraints, feasibility, safePrice, violations } from "./guardrails.ts";
import { stockView } from "./inventory.ts";
import {
  commonCandidates,
  commonSafePrice,
  kviRange,
  type PriceLine,
  repairLadder,
  withinBand,
} from "./lines.ts";
import type { SolverGroup, SolverItem } from "./category_solver.ts";
import { describeRules, type ResolvedRules } from "./objectives.ts";
import { relaxedCode, ruleConflictCode } from "./rules.ts";
import {
  decisionBase,
  type DraftDecision,
  guardrailsOf,
  type PricingContext,
} from "./strategies.ts";

/** Candidate prices an item keeps at most (evenly spread, today's nearest price included). */
export const MAX_CANDIDATES = 48;

/**
 * A category rule's term: what one SKU adds at a price with its expected demand (the
 * model's units before the stock cap: a floor is on what prices do to shoppers, and a
 * price cannot sell stock that is not there).
 */
export interface CategoryTerm {
  /** The solver constraint's name (the index has a low and a high side). */
  name: string;
  rule: RuleName;
  term(s: FeatureSnapshot, price: number, demand: number): number;
}

/** What a line's rules did before solving, per member position. */
interface _Status {
  codes: string[];
  /** A hard rule broken on purpose (its conflict code), or null. */
  conflict: string | null;
}

/** One price group of an ML line, ready for the solver. */
export interface BuiltGroup {
  members: number[];
  size: number | null;
  cents: number[];
  /** Per member, per candidate: expected units (capped by stock). */
  units: number[][];
  group: SolverGroup;
  /** Per candidate: the rule conflict it carries (safe or repaired prices), or null. */
  conflicts: (string | null)[];
}

/** An ML line as a solver item, or the reason it could not be built. */
export type BuiltItem =
  | { ok: true; item: SolverItem; groups: BuiltGroup[]; line: PriceLine; status: _Status[] }
  | { ok: false; line: PriceLine; problem: string };

/**
 * Builds the solver item of an ML-priced line; `ok: false` when the model gives no
 * usable curve for a member (the line then falls back to rule).
 */
export function buildItem(
  line: PriceLine,
  ctxs: readonly PricingContext[],
  rules: ResolvedRules,
  terms: readonly CategoryTerm[],
): BuiltItem {
  const status: _Status[] = [];
  const note = (members: number[], code: string | null, conflict: string | null = null) => {
    for (const m of members) {
      const st = status[m] ??= { codes: [], conflict: null };
      if (code && !st.codes.includes(code)) st.codes.push(code);
      if (conflict && !st.conflict) st.conflict = conflict;
    }
  };
  const all = line.groups.flatMap((g) => g.members);
  for (const m of all) status[m] = { codes: [], conflict: null };
  const built: {
    members: number[];
    size: number | null;
    cents: number[];
    conflicts: Map<number, string>;
  }[] = [];
  for (const g of line.groups) {
    const snaps = g.members.map((m) => ctxs[m].snapshot);
    const conflicts = new Map<number, string>();
    let cents: number[];
    if (g.members.length === 1) {
      const feas = feasibility(guardrailsOf(snaps[0]));
      if (feas.feasible) cents = feas.candidates;
      else {
        const safe = Math.round(safePrice(guardrailsOf(snaps[0])).price * 100);
        cents = [safe];
        conflicts.set(safe, feas.conflict.code);
        note(g.members, "GUARDRAIL_CONFLICT");
      }
    } else {
      cents = commonCandidates(snaps);
      note(g.members, "FAMILY_PRICE");
      if (!cents.length) {
        const safe = commonSafePrice(snaps).cents;
        cents = [safe];
        conflicts.set(safe, ruleConflictCode("family", ["guardrails"]));
      }
    }
    // Key-value items: candidates inside every KVI member's band, else the nearest one.
    for (const s of snaps) {
      const range = kviRange(s, rules.kviIndex);
      if (!range) continue;
      const inBand = withinBand(cents, range);
      cents = inBand.cents;
      if (!inBand.held) {
        const mode = rules.modes.kvi_index;
        if (mode.hard) {
          for (const c of cents) {
            if (!conflicts.has(c)) conflicts.set(c, ruleConflictCode("kvi_index", ["guardrails"]));
          }
        } else note(g.members, relaxedCode("kvi_index"));
      }
    }
    built.push({ members: g.members, size: g.size, cents, conflicts });
  }
  // A ladder over the sized groups; a family's sizeless group is priced on its own.
  let ladder = line.ladder;
  if (ladder) {
    const sized = built.filter((b) => b.size !== null);
    const repaired = repairLadder(
      sized.map((b) => ({
        cents: b.cents,
        size: b.size!,
        ending: ctxs[b.members[0]].snapshot.price_ending,
      })),
    );
    if (repaired.added.some((c) => c !== null)) {
      if (rules.modes.ladder.hard) {
        sized.forEach((b, k) => {
          const c = repaired.added[k];
          b.cents = repaired.cents[k];
          if (c !== null) b.conflicts.set(c, ruleConflictCode("ladder", ["guardrails"]));
        });
      } else {
        ladder = false;
        note(sized.flatMap((b) => b.members), relaxedCode("ladder"));
      }
    }
  }
  const groups: BuiltGroup[] = [];
  for (const b of built) {
    const cents = _subsample(b.cents, b.members.map((m) => ctxs[m].snapshot));
    const prices = cents.map((c) => c / 100);
    const value = new Array<number>(cents.length).fill(0);
    const termValues = terms.map(() => new Array<number>(cents.length).fill(0));
    const units: number[][] = [];
    for (const m of b.members) {
      const ctx = ctxs[m];
      const s = ctx.snapshot;
      const raw = ctx.model!.predict(s, prices);
      if (!raw || raw.length !== prices.length) {
        return {
          ok: false,
          line,
          problem: `the model gave ${raw?.length ?? "no"} values for ${s.sku}`,
        };
      }
      const stock = stockView(s, ctx.config.inventory);
      const u = raw.map((x) => {
        if (typeof x !== "number" || !Number.isFinite(x) || x < 0) return NaN;
        return Math.min(x, stock.unitsCap);
      });
      const bad = u.findIndex((x) => Number.isNaN(x));
      if (bad >= 0) {
        return {
          ok: false,
          line,
          problem: `the model gave ${raw[bad]} for ${s.sku} at ${prices[bad].toFixed(2)}`,
        };
      }
      u.forEach((x, c) => {
        const p = prices[c];
        value[c] += rules.objective === "revenue" ? p * x : (p - stock.effectiveUnitCost) * x;
        terms.forEach((t, k) => termValues[k][c] += t.term(s, p, raw[c]));
      });
      units.push(u);
    }
    const mean = b.members.reduce((a, m) => a + ctxs[m].snapshot.last_price, 0) /
      b.members.length;
    groups.push({
      members: b.members,
      size: b.size,
      cents,
      units,
      conflicts: cents.map((c) => b.conflicts.get(c) ?? null),
      group: {
        cents,
        value,
        terms: termValues,
        prefer: _nearest(cents, Math.round(mean * 100)),
        size: b.size,
      },
    });
  }
  const item: SolverItem = { id: line.id, groups: groups.map((g) => g.group), ladder };
  return { ok: true, item, groups, line, status };
}

/** At most MAX_CANDIDATES, evenly spread, keeping the one nearest today's mean price. */
function _subsample(cents: number[], snaps: readonly FeatureSnapshot[]): number[] {
  if (cents.length <= MAX_CANDIDATES) return cents;
  const mean = snaps.reduce((a, s) => a + s.last_price, 0) / snaps.length;
  const keep = new Set<number>();
  const n = cents.length;
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    keep.add(Math.round((i * (n - 1)) / (MAX_CANDIDATES - 1)));
  }
  keep.add(_nearest(cents, Math.round(mean * 100)));
  return [...keep].sort((a, b) => a - b).map((i) => cents[i]);
}

function _nearest(cents: readonly number[], target: number): number {
  let best = 0;
  for (let i = 1; i < cents.length; i++) {
    if (Math.abs(cents[i] - target) < Math.abs(cents[best] - target)) best = i;
  }
  return best;
}

/** What the category's solve says about its rules, shared by its decisions. */
export interface CategoryOutcome {
  /** Rules whose multiplier is positive: they bind the category's prices. */
  binding: RuleName[];
  /** Soft rules relaxed (reason codes) and hard rules broken (conflict codes). */
  relaxed: RuleName[];
  conflict: string | null;
  explanation: Record<string, unknown>;
}

/** The decisions of a built ML item at the solver's choice. */
export function itemDecisions(
  built: Extract<BuiltItem, { ok: true }>,
  choice: readonly number[],
  ctxs: readonly PricingContext[],
  outcome: CategoryOutcome,
): { position: number; decision: DraftDecision }[] {
  const out: { position: number; decision: DraftDecision }[] = [];
  const familyInfo = built.line.family === null ? null : {
    family: built.line.family,
    ladder: built.item.ladder,
    groups: built.groups.map((g, k) => {
      const price = g.cents[choice[k]] / 100;
      return {
        size: g.size,
        price,
        unit_price: g.size === null ? null : round(price / g.size, 6),
        skus: g.members.map((m) => ctxs[m].snapshot.sku),
      };
    }),
  };
  built.groups.forEach((g, k) => {
    const c = choice[k];
    const price = g.cents[c] / 100;
    g.members.forEach((m, j) => {
      const ctx = ctxs[m];
      const s = ctx.snapshot;
      const gr = guardrailsOf(s);
      const stock = stockView(s, ctx.config.inventory);
      const units = g.units[j][c];
      const broken = violations(price, gr);
      const status = built.status[m];
      const conflict = g.conflicts[c] ?? status.conflict ?? outcome.conflict;
      const codes = ["ML_OPTIMIZED", ...status.codes, ...outcome.relaxed.map(relaxedCode)];
      if (outcome.binding.length) codes.push("CATEGORY_RULES");
      if (conflict) codes.push("RULE_CONFLICT");
      if (stock.overstocked) codes.push("MARKDOWN_OVERSTOCK");
      if (Number.isFinite(stock.unitsCap) && units >= stock.unitsCap - 1e-9) {
        codes.push("STOCK_LIMITED");
      }
      out.push({
        position: m,
        decision: {
          ...decisionBase(ctx, "ml"),
          model_version: ctx.model!.version,
          price,
          expected_units: round(units, 4),
          expected_revenue: round(units * price, 4),
          expected_profit: round(units * (price - s.unit_cost), 4),
          infeasible: broken.length > 0 || conflict !== null,
          conflict: conflict ?? (broken.length ? `guardrails_${broken.join("+")}` : null),
          binding: [...bindingConstraints(price, gr), ...outcome.binding],
          reason_codes: codes,
          explanation: {
            model_version: ctx.model!.version,
            ...(ctx.rules ? { objective: describeRules(ctx.rules) } : {}),
            ...outcome.explanation,
            ...(familyInfo ? { family: familyInfo } : {}),
            units_cap: Number.isFinite(stock.unitsCap) ? round(stock.unitsCap, 4) : null,
            effective_unit_cost: round(stock.effectiveUnitCost, 4),
            curve: g.cents.map((cc, q) => ({
              price: cc / 100,
              units: round(g.units[j][q], 4),
              profit: round((cc / 100 - s.unit_cost) * g.units[j][q], 4),
            })),
            drivers: ctx.model!.explain(s, price).slice(0, 5).map((d) => ({
              ...d,
              effect: round(d.effect, 6),
            })),
          },
        },
      });
    });
  });
  return out;
}
