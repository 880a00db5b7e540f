/**
 * The saved form of a model: plain JSON, validated by zod on load, including the
 * structure (array lengths agree, children point forward inside the tree,
 * siblings are adjacent, features exist) so a loaded model can never loop or read out of bounds.
 *
 * @module
 */
import { z } from "zod";
import { InputTypeError } from "../../util/errors.ts";

const Num = z.number().finite();
const Int = z.number().int();

/** One tree: parallel arrays over nodes; node 0 is the root, leaves have feature -1. */
export const GbdtTreeJson = z.object({
  feature: z.array(Int.min(-1)).min(1),
  threshold: z.array(Num),
  left: z.array(Int.min(-1)),
  right: z.array(Int.min(-1)),
  value: z.array(Num),
});
export type GbdtTreeJson = z.infer<typeof GbdtTreeJson>;

/** The whole model as JSON. */
export const GbdtModelJson = z.object({
  format: z.literal("gbdt"),
  version: z.literal(1),
  names: z.array(z.string()).min(1),
  loss: z.enum(["poisson", "squared_log1p", "tweedie"]),
  baseScore: Num,
  monotone: z.array(z.union([z.literal(-1), z.literal(0), z.literal(1)])),
  trees: z.array(GbdtTreeJson),
}).superRefine((m, ctx) => {
  if (m.monotone.length !== m.names.length) {
    ctx.addIssue({
      code: "custom",
      path: ["monotone"],
      message: `has ${m.monotone.length} entries for ${m.names.length} features`,
    });
  }
  m.trees.forEach((t, i) => _checkTree(t, m.names.length, ["trees", i], ctx));
});
export type GbdtModelJson = z.infer<typeof GbdtModelJson>;

function _checkTree(
  t: GbdtTreeJson,
  features: number,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const n = t.feature.length;
  for (const key of ["threshold", "left", "right", "value"] as const) {
    if (t[key].length !== n) {
      ctx.addIssue({
        code: "custom",
        path: [...path, key],
        message: `has ${t[key].length} nodes where feature has ${n}`,
      });
      return;
    }
  }
  for (let k = 0; k < n; k++) {
    const f = t.feature[k];
    if (f >= features) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "feature", k],
        message: `names feature ${f} of only ${features}`,
      });
    }
    if (f < 0) continue;
    if (t.right[k] !== t.left[k] + 1) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "right", k],
        message: `is ${t.right[k]}, expected the left child's sibling ${t.left[k] + 1}`,
      });
    }
    for (const side of ["left", "right"] as const) {
      const c = t[side][k];
      if (!(c > k && c < n)) {
        ctx.addIssue({
          code: "custom",
          path: [...path, side, k],
          message: `points to node ${c}, expected one after ${k} and before ${n}`,
        });
      }
    }
  }
}

/** Validates JSON as a model, throwing a TypeError that names the first bad fields. */
export function parseGbdtJson(json: unknown): GbdtModelJson {
  const result = GbdtModelJson.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) =>
    `${i.path.length ? i.path.join(".") : "(root)"} ${i.message}`
  );
  throw new InputTypeError(`Cannot load a gbdt model: ${issues.join("; ")}`);
}
