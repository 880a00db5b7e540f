// Every override, newest first, and whether it applies to the next run.
import { emit } from "../../lib/site_data.ts";
import { OverridesData, overridesView } from "../../lib/views/overrides.ts";

emit(OverridesData, overridesView);
