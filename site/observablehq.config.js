// Observable Framework config. Built under Deno: `deno task site:build` (see README, Site).
import process from "node:process";
import { skuPagePaths } from "./lib/site_paths.ts";

export default {
  title: "Pricing workbench",
  root: "src",
  output: process.env.SITE_OUTPUT || "dist",
  pages: [
    { name: "Health", path: "/" },
    { name: "Alerts", path: "/alerts" },
    { name: "Forecast accuracy", path: "/forecast" },
    { name: "Models", path: "/models" },
    { name: "Pricing status", path: "/pricing" },
    { name: "SKU explorer", path: "/sku" },
    { name: "Backtests", path: "/backtest" },
    { name: "Controls", path: "/controls" },
  ],
  // One page per SKU of the store (sku/[sku].md), each with its own data file, so no page
  // downloads every SKU's history.
  dynamicPaths: skuPagePaths,
  // Links end in .html, so the built site works behind any static server.
  preserveExtension: true,
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
