/**
 * The data contract: for each kind of file a retailer imports, every column
 * with its type, unit, whether it is required, and what it means. One
 * declaration serves the importer (which validates against it), the
 * documentation (`docs/data-contract.md` is generated from it) and the tests.
 *
 * @module
 */

/** The kinds of file the importer reads. */
export type ContractKind = "catalog" | "sales" | "inventory" | "competitor" | "transactions";

/** Every kind, in the order a bundle of files is imported (catalog first). */
export const CONTRACT_KINDS: readonly ContractKind[] = [
  "catalog",
  "sales",
  "transactions",
  "inventory",
  "competitor",
];

/** How a cell is read. */
export type CellType =
  | "sku"
  | "date"
  | "timestamp"
  | "text"
  | "count"
  | "integer"
  | "money"
  | "price"
  | "fraction"
  | "change"
  | "boolean"
  | "price_ending";

/** One column of a contract file. */
export interface ContractColumn {
  /** The column's name in the header. */
  name: string;
  /** How a cell is read and checked. */
  type: CellType;
  /** A required column must be in the header and every row must have a value. */
  required: boolean;
  /** The value of an empty cell or a missing optional column (absent: empty means null). */
  default?: string;
  /** May the cell be empty (null)? Only for optional columns without a default. */
  nullable?: boolean;
  /** The unit of a value (e.g. "money", "units", "code"), for the contract's documentation. */
  unit: string;
  /** What a value means, in a sentence, for the contract's documentation. */
  meaning: string;
}

/** One kind of file. */
export interface ContractFile {
  /** Which file it is. */
  kind: ContractKind;
  /** Columns that identify a row: two rows with the same key are the same fact. */
  key: readonly string[];
  /** Its columns, in the order a file writes them. */
  columns: readonly ContractColumn[];
  /** What one row is, in a sentence. */
  row: string;
}

const sku: ContractColumn = {
  name: "sku",
  type: "sku",
  required: true,
  unit: "code",
  meaning: "The SKU: 1-64 letters, digits, '.', '-' or '_'.",
};

const date = (meaning: string): ContractColumn => ({
  name: "date",
  type: "date",
  required: true,
  unit: "YYYY-MM-DD",
  meaning,
});

/** The contract of every kind of file. */
export const CONTRACT: Readonly<Record<ContractKind, ContractFile>> = {
  catalog: {
    kind: "catalog",
    key: ["sku", "effective_date"],
    row: "A SKU's terms from a date on, until a later row for the SKU takes over.",
    columns: [
      sku,
      {
        name: "effective_date",
        type: "date",
        required: true,
        unit: "YYYY-MM-DD",
        meaning: "First day the row is in force (store-local calendar day).",
      },
      {
        name: "category",
        type: "text",
        required: true,
        unit: "text",
        meaning: "The SKU's category (1-64 characters); elasticities are pooled per category.",
      },
      {
        name: "unit_cost",
        type: "price",
        required: true,
        unit: "currency per unit",
        meaning: "What one unit costs the retailer.",
      },
      {
        name: "floor_price",
        type: "price",
        required: true,
        unit: "currency per unit",
        meaning: "Lowest shelf price the engine may set.",
      },
      {
        name: "ceiling_price",
        type: "price",
        required: true,
        unit: "currency per unit",
        meaning: "Highest shelf price the engine may set; at least floor_price.",
      },
      {
        name: "min_margin",
        type: "fraction",
        required: true,
        unit: "fraction in [0, 1)",
        meaning: "Least (price - unit_cost) / price.",
      },
      {
        name: "max_daily_change",
        type: "change",
        required: true,
        unit: "fraction in (0, 1]",
        meaning: "Largest |price / previous shelf price - 1| from one pricing period to the next.",
      },
      {
        name: "price_ending",
        type: "price_ending",
        required: true,
        unit: "any | 9 | 99 | 49|99",
        meaning:
          "How a price must end: any cent, a last digit 9, x.99, or x.49 / x.99. Quote 49|99 in a CSV only if your tool needs it.",
      },
      {
        name: "active",
        type: "boolean",
        required: true,
        unit: "true | false",
        meaning: "Whether the SKU is priced. An inactive SKU keeps its history.",
      },
      {
        name: "name",
        type: "text",
        required: false,
        nullable: true,
        unit: "text",
        meaning: "The product's name, for people (at most 200 characters).",
      },
    ],
  },
  sales: {
    kind: "sales",
    key: ["sku", "date"],
    row:
      "One SKU's sales on one day (on a weekly store, one week). A day the SKU was on sale but sold nothing is a row with units 0.",
    columns: [
      sku,
      date(
        "The store-local calendar day of the sales; on a weekly store the first day of the week, and the row holds the whole week.",
      ),
      {
        name: "units",
        type: "count",
        required: true,
        unit: "units",
        meaning: "Units sold, net of returns (a whole number, 0 or more).",
      },
      {
        name: "revenue",
        type: "money",
        required: true,
        unit: "currency",
        meaning: "What customers paid, after discounts (0 or more).",
      },
      {
        name: "shelf_price",
        type: "price",
        required: true,
        unit: "currency per unit",
        meaning:
          "The day's regular shelf price (not the average paid). The engine's previous price and the max daily change are measured from it.",
      },
      {
        name: "promo",
        type: "boolean",
        required: false,
        default: "false",
        unit: "true | false",
        meaning: "A store promotion ran that day (its lift is left out of demand estimates).",
      },
      {
        name: "returned_units",
        type: "count",
        required: false,
        default: "0",
        unit: "units",
        meaning: "Units returned that day (a whole number, 0 or more).",
      },
    ],
  },
  inventory: {
    kind: "inventory",
    key: ["sku", "date"],
    row: "A SKU's stock at the end of a day.",
    columns: [
      sku,
      date(
        "The store-local day whose closing stock this is; on a weekly store the first day of the week whose closing stock it is.",
      ),
      {
        name: "on_hand",
        type: "count",
        required: true,
        unit: "units",
        meaning: "Units on the shelf and in the back room at closing (0 means out of stock).",
      },
      {
        name: "on_order",
        type: "count",
        required: true,
        unit: "units",
        meaning: "Units ordered and not yet received.",
      },
      {
        name: "next_receipt_date",
        type: "date",
        required: true,
        nullable: true,
        unit: "YYYY-MM-DD or empty",
        meaning: "When the next delivery arrives; empty when none is scheduled.",
      },
    ],
  },
  competitor: {
    kind: "competitor",
    key: ["sku", "date"],
    row: "A competitor's shelf price for a SKU, observed on a day.",
    columns: [
      sku,
      date(
        "The store-local day of the observation; on a weekly store the first day of the week it holds for.",
      ),
      {
        name: "competitor_price",
        type: "price",
        required: true,
        unit: "currency per unit",
        meaning: "The competitor's shelf price.",
      },
    ],
  },
  transactions: {
    kind: "transactions",
    key: [],
    row:
      "One point-of-sale line. Lines are summed into one sales row per SKU and day; see the rules below the tables.",
    columns: [
      sku,
      {
        name: "timestamp",
        type: "timestamp",
        required: true,
        unit: "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]",
        meaning: "When the line was rung up, store-local time; its date is the sales day.",
      },
      {
        name: "quantity",
        type: "integer",
        required: true,
        unit: "units",
        meaning: "Units on the line; a negative quantity is a return.",
      },
      {
        name: "unit_price",
        type: "price",
        required: true,
        unit: "currency per unit",
        meaning: "What one unit cost the customer on this line (after any line discount).",
      },
      {
        name: "receipt",
        type: "text",
        required: false,
        nullable: true,
        unit: "text",
        meaning: "The receipt or invoice number (kept for reference, not used).",
      },
    ],
  },
};
