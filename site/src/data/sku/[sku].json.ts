// One SKU (--sku=CODE) over the last SITE_HISTORY_DAYS days (default 120), each decision with its explanation.
import { parseArgs } from "node:util";
import { emit } from "../../../lib/site_data.ts";
import { SkuData, skuView } from "../../../lib/views/sku.ts";

const { sku } = parseArgs({ args: Deno.args, options: { sku: { type: "string" } } }).values;
const DAYS = Number(Deno.env.get("SITE_HISTORY_DAYS") ?? 120);
emit(SkuData, (db) => skuView(db, sku ?? "", { days: DAYS }));
