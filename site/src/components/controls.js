// The forms that record intent (overrides, model verdicts). They appear only when the site is
// served by `deno task serve` (which marks every page with <meta name="pricing-serve">) and a
// user has signed in with a token of a role allowed to use them; a static build stays read-only.
// Every write goes to the server's API with the session's CSRF token.
import { el } from "./ui.js";

/** True when `deno task serve` served this page (its API is then at /api/). */
export const served = document.querySelector('meta[name="pricing-serve"]') !== null;

const RANK = { viewer: 1, operator: 2, approver: 3 };

/** Whether the session's user has at least `role`. */
export const can = (session, role) =>
  Boolean(session?.signed_in && RANK[session.role] >= RANK[role]);

/** The signed-in session ({signed_in, user, role, csrf_token}), or null on a static build. */
export async function currentSession() {
  if (!served) return null;
  const r = await fetch("/api/session", { credentials: "same-origin" });
  return r.ok ? r.json() : { signed_in: false };
}

/** Sends a JSON request with the session's CSRF token; resolves to {ok, status, body}. */
export async function send(method, path, body, session) {
  const r = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: {
      "content-type": "application/json",
      ...(session?.csrf_token ? { "x-csrf-token": session.csrf_token } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: { message: text } };
  }
  return { ok: r.ok, status: r.status, body: parsed };
}

/** A status line that says what happened (`data-status="ok|error"`). */
export function statusLine() {
  const line = el("div", { className: "ops-status", role: "status" });
  line.say = (ok, text) => {
    line.className = `ops-status ${ok ? "ok" : "error"}`;
    line.dataset.status = ok ? "ok" : "error";
    line.textContent = text;
  };
  return line;
}

const errorText = (r) => `${r.status}: ${r.body?.error?.message ?? "refused"}`;

function field(label, input) {
  return el("label", {}, el("span", { textContent: label }), input);
}

/** The sign-in form (a bearer token from `deno task users add`), or who is signed in. */
export function sessionBox(session, { onChange = () => location.reload() } = {}) {
  const status = statusLine();
  if (session?.signed_in) {
    const out = el("button", { type: "button", textContent: "Sign out" });
    out.onclick = async () => {
      const r = await send("DELETE", "/api/session", undefined, session);
      if (r.ok) onChange();
      else status.say(false, errorText(r));
    };
    return el(
      "div",
      { className: "card", data: { session: session.role } },
      el("span", { textContent: `Signed in as ${session.user} (${session.role}). ` }),
      out,
      status,
    );
  }
  const token = el("input", {
    type: "password",
    name: "token",
    autocomplete: "off",
    required: true,
  });
  const form = el(
    "form",
    { className: "ops", data: { form: "sign-in" } },
    field("Token", token),
    el("div", { className: "actions" }, el("button", { type: "submit", textContent: "Sign in" })),
    status,
  );
  form.onsubmit = async (e) => {
    e.preventDefault();
    const r = await send("POST", "/api/session", { token: token.value });
    if (r.ok) onChange();
    else status.say(false, errorText(r));
  };
  return el(
    "div",
    { className: "card" },
    el("h2", { textContent: "Sign in" }),
    el("p", {
      className: "muted",
      textContent: "With a token from deno task users add NAME --role operator|approver.",
    }),
    form,
  );
}

/**
 * The form that records a PRICE_FREEZE or FORCE_RULE_BASED override (POST /api/overrides);
 * `sku` fixes the scope to one SKU.
 */
export function overrideForm(session, { sku = null, nextRunDate = null, onDone = () => {} } = {}) {
  const kind = el("select", { name: "kind" });
  kind.append(
    el("option", { value: "PRICE_FREEZE", textContent: "freeze: keep the last price" }),
    el("option", {
      value: "FORCE_RULE_BASED",
      textContent: "force rules: price by the retail rules",
    }),
  );
  const scope = el("select", { name: "scope", disabled: sku !== null });
  for (const s of ["sku", "category", "all"]) {
    scope.append(el("option", { value: s, textContent: s }));
  }
  const target = el("input", { name: "target", value: sku ?? "", readOnly: sku !== null });
  const from = el("input", { name: "from", type: "date", value: nextRunDate ?? "" });
  const until = el("input", { name: "until", type: "date", required: true });
  const reason = el("input", { name: "reason", required: true, maxLength: 1000 });
  scope.onchange = () => {
    target.disabled = scope.value === "all";
  };
  const status = statusLine();
  const form = el(
    "form",
    { className: "ops", data: { form: "override" } },
    field("Override", kind),
    field("Scope", scope),
    field("SKU or category", target),
    field("From run date", from),
    field("Until (exclusive)", until),
    field("Reason", reason),
    el(
      "div",
      { className: "actions" },
      el("button", { type: "submit", textContent: "Record override" }),
    ),
    status,
  );
  form.onsubmit = async (e) => {
    e.preventDefault();
    const body = {
      kind: kind.value,
      scope: scope.value,
      target: scope.value === "all" ? null : target.value,
      ...(from.value ? { from: from.value } : {}),
      until: until.value,
      reason: reason.value,
    };
    const r = await send("POST", "/api/overrides", body, session);
    if (!r.ok) return status.say(false, errorText(r));
    const o = r.body.override;
    status.say(
      true,
      `Recorded override #${o.id}: ${o.kind} for ${o.scope}${
        o.target ? ` ${o.target}` : ""
      } on run dates ${o.effective_from} up to ${o.expires_at}, by ${o.actor}. Runs from ${o.effective_from} apply it.`,
    );
    onDone(o);
  };
  return form;
}

/** A reason and a button that revoke override `id` (POST /api/overrides/{id}/revoke). */
export function revokeForm(session, id, { onDone = () => {} } = {}) {
  const reason = el("input", {
    name: "reason",
    required: true,
    maxLength: 1000,
    placeholder: "why revoke",
  });
  const status = statusLine();
  const form = el(
    "form",
    { className: "ops inline", data: { form: "revoke", override: String(id) } },
    reason,
    el("button", { type: "submit", textContent: `Revoke #${id}` }),
    status,
  );
  form.onsubmit = async (e) => {
    e.preventDefault();
    const r = await send("POST", `/api/overrides/${id}/revoke`, { reason: reason.value }, session);
    if (!r.ok) return status.say(false, errorText(r));
    status.say(
      true,
      `Revoked #${id} by ${r.body.override.revoked_by}: runs not yet made no longer apply it.`,
    );
    onDone(r.body.override);
  };
  return form;
}

/** Approve and reject buttons with a reason for a pending model (POST /api/models/{v}/approve|reject). */
export function verdictForm(session, version, { onDone = () => {} } = {}) {
  const reason = el("input", {
    name: "reason",
    required: true,
    maxLength: 1000,
    placeholder: "why",
  });
  const status = statusLine();
  const act = (verdict) => async () => {
    if (!reason.value.trim()) return status.say(false, "give a reason");
    const path = `/api/models/${encodeURIComponent(version)}/${verdict}`;
    const r = await send("POST", path, { reason: reason.value }, session);
    if (!r.ok) return status.say(false, errorText(r));
    status.say(
      true,
      verdict === "approve"
        ? `Approved ${version}: it prices from the next daily run${
          r.body.retired ? `; retired ${r.body.retired}` : ""
        }.`
        : `Rejected ${version}; the champion keeps pricing.`,
    );
    onDone(verdict);
  };
  const approve = el("button", {
    type: "button",
    textContent: "Approve",
    data: { verdict: "approve" },
  });
  const reject = el("button", {
    type: "button",
    textContent: "Reject",
    data: { verdict: "reject" },
  });
  approve.onclick = act("approve");
  reject.onclick = act("reject");
  return el(
    "form",
    { className: "ops", data: { form: "verdict", version } },
    field("Reason", reason),
    el("div", { className: "actions" }, approve, reject),
    status,
  );
}
