/**
 * Migration 8: the people who may use the operations server (`deno task serve`)
 * with their roles and the sha256 of each bearer token they were issued (never a
 * token itself), revocations of tokens; and a sample of SKUs' daily prices per
 * strategy stored with each backtest (the backtests page's price paths).
 * (Versions 6 and 7 are taken by other work.)
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = ["users", "user_tokens", "user_token_revocations", "backtest_price_paths"];

export const users: Migration = {
  auditTables: AUDIT,
  version: 8,
  name: "users, their hashed bearer tokens, and backtest price paths",
  sql: `
-- A person or a system that signs in to the operations server. A name is added once.
-- Roles: viewer reads; operator also records and revokes overrides; approver also
-- approves and rejects models.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'approver')),
  actor TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

-- A bearer token issued to a user: only its sha256 (hex) is kept.
CREATE TABLE user_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
  actor TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

CREATE TABLE user_token_revocations (
  id INTEGER PRIMARY KEY,
  token_id INTEGER NOT NULL UNIQUE REFERENCES user_tokens (id),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

-- Every token with its user, role and whether it was revoked.
CREATE VIEW v_user_tokens AS
SELECT t.id AS token_id, t.token_sha256, u.id AS user_id, u.name, u.role,
  t.recorded_at AS issued_at, r.id IS NOT NULL AS revoked
FROM user_tokens t
JOIN users u ON u.id = t.user_id
LEFT JOIN user_token_revocations r ON r.token_id = t.id;

-- A stored backtest's daily shelf prices of a sample of SKUs, per strategy: one JSON
-- array per (backtest, SKU, strategy), one price per backtest day from from_date on.
CREATE TABLE backtest_price_paths (
  backtest_id TEXT NOT NULL REFERENCES backtests (backtest_id),
  sku TEXT NOT NULL,
  category TEXT NOT NULL,
  strategy TEXT NOT NULL CHECK (strategy IN ('ml', 'rule', 'static', 'oracle')),
  from_date TEXT NOT NULL,
  prices TEXT NOT NULL,
  PRIMARY KEY (backtest_id, sku, strategy)
) STRICT;
${appendOnly("users", [["id"], ["name"]])}
${appendOnly("user_tokens", [["id"], ["token_sha256"]])}
${appendOnly("user_token_revocations", [["id"], ["token_id"]])}
${appendOnly("backtest_price_paths", [["backtest_id", "sku", "strategy"]])}
`,
};
