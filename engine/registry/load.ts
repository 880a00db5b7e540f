/**
 * From a registered model to a DemandModel: every kind resolved here, once.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import type { DemandModel } from "../demand/model.ts";
import { elasticityModel } from "../demand/elasticity_model.ts";
import { learnedModel } from "../demand/learned_model.ts";
import { loadGbdt } from "../demand/gbdt/mod.ts";
import { loadCart } from "../demand/cart.ts";
import type { ModelKind, ModelRecord } from "../schema/models.ts";
import { parseOrThrow } from "../schema/common.ts";
import { readChampion, readModels } from "../store/queries.ts";
import { InputError } from "../util/errors.ts";

const LearnedArtifact = z.object({ categories: z.array(z.string()), model: z.unknown() });
const LearnedParams = z.object({
  price_response: z.enum(["learned", "elasticity"]).default("learned"),
}).loose();

const LOADERS: Record<ModelKind, (r: ModelRecord) => DemandModel> = {
  elasticity: (r) => ({ ...elasticityModel(), version: r.version }),
  gbdt: (r) => {
    const a = parseOrThrow(LearnedArtifact, r.artifact, `load model ${r.version}`);
    const p = parseOrThrow(LearnedParams, r.params, `load model ${r.version}`);
    const gbdt = loadGbdt(a.model);
    return learnedModel(
      "gbdt",
      r.version,
      {
        monotone: true,
        predict: (cols) => gbdt.predict(cols),
        contributions: (row) => gbdt.featureContributions(row),
      },
      a.categories,
      p.price_response,
    );
  },
  cart: (r) => {
    const a = parseOrThrow(LearnedArtifact, r.artifact, `load model ${r.version}`);
    const p = parseOrThrow(LearnedParams, r.params, `load model ${r.version}`);
    return learnedModel("cart", r.version, loadCart(a.model), a.categories, p.price_response);
  },
};

/** The DemandModel of a registered model. */
export function modelOfRecord(record: ModelRecord): DemandModel {
  return LOADERS[record.kind](record);
}

/** The DemandModel of a registered version. Throws RangeError when unknown. */
export function modelOfVersion(db: DatabaseSync, version: string): DemandModel {
  const record = readModels(db, { version })[0];
  if (!record) throw new InputError(`Cannot load model ${version}: not in the registry`);
  return modelOfRecord(record);
}

/** The approved champion's DemandModel, or null when no model is approved. */
export function championModel(db: DatabaseSync): DemandModel | null {
  const record = readChampion(db);
  return record ? modelOfRecord(record) : null;
}
