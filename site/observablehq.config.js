// Observable Framework config. Built under Deno: `deno task site:build` (see README, Site).
import process from "node:process";

export default {
  title: "Pricing workbench",
  root: "src",
  output: process.env.SITE_OUTPUT || "dist",
  pages: [
    { name: "Health", path: "/" },
    { name: "Pricing status", path: "/pricing" },
    { name: "SKU price history", path: "/sku" },
    { name: "Backtests", path: "/backtest" },
  ],
  // Data loaders are TypeScript run by Deno; nothing may come from a CDN.
  interpreters: { ".ts": ["deno", "run", "-A"] },
  globalStylesheets: [],
  // The default theme and the inputs' styles (Framework adds those only for its CDN import).
  style: "style.css",
  head: '<link rel="icon" href="data:,">',
  search: false,
  pager: false,
  footer: "Data from the audit store (read-only). Set PRICING_DB to choose the store.",
};
