/**
 * The model registry as the Models page and `GET /api/models` show it: the
 * champion, every model with its holdout metrics next to the champion's and a
 * seasonal-naive forecast on the same holdout, its events with actor and
 * reason, and the retrain requests.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { ModelEvent, ModelSummary } from "../../../engine/schema/models.ts";
import { RetrainRequestRecord } from "../../../engine/schema/monitoring.ts";
import {
  readModelEvents,
  readModelSummaries,
  readRetrainRequests,
} from "../../../engine/store/queries.ts";

/** A model with its events. */
export const SiteModel = ModelSummary.extend({ events: z.array(ModelEvent) });
export type SiteModel = z.infer<typeof SiteModel>;

/** The registry: the champion's version, every model (newest first) and the retrain requests. */
export const ModelsData = z.object({
  champion: z.string().nullable(),
  models: z.array(SiteModel),
  retrain_requests: z.array(RetrainRequestRecord),
});
export type ModelsData = z.infer<typeof ModelsData>;

/** The registry's models, their events and the retrain requests. */
export function modelsView(db: DatabaseSync): ModelsData {
  const events = readModelEvents(db);
  const models = readModelSummaries(db).map((m) => ({
    ...m,
    events: events.filter((e) => e.version === m.version),
  }));
  return {
    champion: models.find((m) => m.status === "champion")?.version ?? null,
    models,
    retrain_requests: readRetrainRequests(db),
  };
}
