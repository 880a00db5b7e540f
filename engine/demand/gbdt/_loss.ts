/**
 * Losses, named by a string union and resolved here once. Each declares its link
 * (how a raw score becomes the "pred" the trainer keeps per row), its start
 * score, gradients from that pred, and its mean loss; the trainer branches on
 * none of them.
 *
 * @module
 */
import { InputError } from "../../util/errors.ts";

/** Names of the supported losses. */
export type LossName = "poisson" | "squared_log1p" | "tweedie";

/** What a loss declares. `t` is the target as the loss sees it (see `target`). */
export interface Loss {
  readonly name: LossName;
  /** "log": pred = exp(raw), updated multiplicatively; "identity": pred = raw. */
  readonly link: "log" | "identity";
  /** The target the loss works on (counts for poisson, log1p(y) for squared_log1p). */
  target(y: Float64Array): Float64Array;
  /** Best constant raw score. */
  baseScore(t: Float64Array): number;
  /** Fills gradients and hessians from the current preds. */
  gradients(pred: Float64Array, t: Float64Array, g: Float64Array, h: Float64Array): void;
  /** Mean loss of raw scores (up to a constant in t). */
  meanLoss(raw: Float64Array, t: Float64Array): number;
  /** Expected units from a raw score. */
  units(raw: number): number;
}

/** Hessian floor for poisson: keeps leaves of near-zero means from dividing by ~0. */
const POISSON_MIN_HESSIAN = 1e-6;

const poisson: Loss = {
  name: "poisson",
  link: "log",
  target: (y) => y,
  baseScore(t) {
    let s = 0;
    for (let i = 0; i < t.length; i++) s += t[i];
    if (!(s > 0)) {
      throw new InputError(`Cannot train a poisson model on a target whose sum is ${s}`);
    }
    return Math.log(s / t.length);
  },
  gradients(pred, t, g, h) {
    for (let i = 0; i < pred.length; i++) {
      const mu = pred[i];
      g[i] = mu - t[i];
      h[i] = mu > POISSON_MIN_HESSIAN ? mu : POISSON_MIN_HESSIAN;
    }
  },
  meanLoss(raw, t) {
    let s = 0;
    for (let i = 0; i < raw.length; i++) s += Math.exp(raw[i]) - t[i] * raw[i];
    return s / raw.length;
  },
  units: (raw) => Math.exp(raw),
};

const squaredLog1p: Loss = {
  name: "squared_log1p",
  link: "identity",
  target: (y) => y.map(Math.log1p),
  baseScore(t) {
    let s = 0;
    for (let i = 0; i < t.length; i++) s += t[i];
    return s / t.length;
  },
  gradients(pred, t, g, h) {
    for (let i = 0; i < pred.length; i++) {
      g[i] = pred[i] - t[i];
      h[i] = 1;
    }
  },
  meanLoss(raw, t) {
    let s = 0;
    for (let i = 0; i < raw.length; i++) s += (raw[i] - t[i]) ** 2;
    return s / (2 * raw.length);
  },
  units: (raw) => Math.max(0, Math.expm1(raw)),
};

/**
 * Tweedie deviance with power 1.5 and a log link: a compound Poisson–gamma count, the
 * usual loss for intermittent, lumpy demand (most periods zero, some large). With
 * μ = exp(raw): g = √μ − y/√μ, h = (√μ + y/√μ) / 2. A large count pulls on the score
 * with weight 1/√μ instead of Poisson's 1, so one big order moves a leaf less.
 */
const tweedie: Loss = {
  name: "tweedie",
  link: "log",
  target: (y) => y,
  baseScore: poisson.baseScore,
  gradients(pred, t, g, h) {
    for (let i = 0; i < pred.length; i++) {
      const root = Math.sqrt(pred[i] > POISSON_MIN_HESSIAN ? pred[i] : POISSON_MIN_HESSIAN);
      const y = t[i] / root;
      g[i] = root - y;
      h[i] = 0.5 * (root + y);
    }
  },
  meanLoss(raw, t) {
    let s = 0;
    for (let i = 0; i < raw.length; i++) {
      const root = Math.exp(raw[i] / 2);
      s += 2 * t[i] / root + 2 * root;
    }
    return s / raw.length;
  },
  units: (raw) => Math.exp(raw),
};

/** The loss of a name. */
export function lossOf(name: LossName): Loss {
  switch (name) {
    case "poisson":
      return poisson;
    case "squared_log1p":
      return squaredLog1p;
    case "tweedie":
      return tweedie;
    default:
      throw new InputError(
        `Cannot train with loss "${name}": use "poisson", "tweedie" or "squared_log1p"`,
      );
  }
}
