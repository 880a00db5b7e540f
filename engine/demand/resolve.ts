/**
 * Demand models named by version, resolved in one place.
 *
 * @module
 */
import type { DemandModel } from "./model.ts";
import { ELASTICITY_MODEL_VERSION, elasticityModel } from "./elasticity_model.ts";

/** The model of a version string. Throws RangeError for an unknown version. */
export function modelOfVersion(version: string): DemandModel {
  if (version === ELASTICITY_MODEL_VERSION) return elasticityModel();
  throw new RangeError(`Cannot load demand model ${version}: unknown version`);
}
