// The decisions of the latest successful run, by SKU, with each SKU's category.
import { emit } from "../../lib/site_data.ts";
import { PricingData, pricingView } from "../../lib/views/pricing.ts";

emit(PricingData, (db) => pricingView(db));
