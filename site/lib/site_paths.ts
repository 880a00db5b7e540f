/**
 * The site's parameterized pages: one page per SKU of the store the site reads
 * (`/sku/CODE`), listed for the build by the Framework config's `dynamicPaths`.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { openReadOnly } from "../../engine/store/queries.ts";
import { storePath } from "./site_data.ts";
import { skuCodes } from "./views/skus.ts";

/** `/sku/CODE` for every SKU of the catalog; none when there is no store (the loaders say so). */
export function skuPagePaths(): string[] {
  const path = storePath();
  if (!existsSync(path)) return [];
  const db = openReadOnly(path);
  try {
    return skuCodes(db).map((sku) => `/sku/${sku}`);
  } finally {
    db.close();
  }
}
