// The model registry: champion, candidates with their holdout metrics, events, retrain requests.
import { emit } from "../../lib/site_data.ts";
import { ModelsData, modelsView } from "../../lib/views/models.ts";

emit(ModelsData, modelsView);
