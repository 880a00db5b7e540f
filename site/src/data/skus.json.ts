// Every SKU of the catalog with its category and how the latest successful run priced it.
import { emit } from "../../lib/site_data.ts";
import { SkusData, skusView } from "../../lib/views/skus.ts";

emit(SkusData, skusView);
