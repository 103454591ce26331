// The widget's side of the customer protocol: the visitor session (REST), its storage, and
// the hub's error format. The hub connection itself is the official @microsoft/signalr client.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Renew a stored visitor token when it is older than this (tokens live 30 days on the server). */
const RENEW_AFTER_MS = 12 * 60 * 60 * 1000;

export function isGuid(value) {
  return GUID.test(String(value ?? ""));
}

/** A v4 UUID: crypto.randomUUID where available (secure contexts), else built from getRandomValues. */
export function newId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") {
    return c.randomUUID();
  }
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Where the visitor session of one inbox is kept: localStorage, so the same visitor (and their
 * history) comes back on reload and in every tab of this site. Falls back to memory when storage
 * is blocked (some privacy modes).
 */
export class SessionStore {
  constructor(inboxId) {
    this.key = `contactcenter.widget.${inboxId.toLowerCase()}`;
    this.memory = null;
  }

  load() {
    try {
      const raw = window.localStorage.getItem(this.key);
      const value = raw ? JSON.parse(raw) : null;
      return value && typeof value.visitorToken === "string" ? value : null;
    } catch {
      return this.memory;
    }
  }

  save(session) {
    this.memory = session;
    try {
      window.localStorage.setItem(this.key, JSON.stringify(session));
    } catch {
      // Storage full or blocked: the session still works for this page.
    }
  }

  /** Calls `listener(session)` when another tab stores a session for this inbox. */
  watch(listener) {
    window.addEventListener("storage", (event) => {
      if (event.key === this.key && event.newValue) {
        try {
          listener(JSON.parse(event.newValue));
        } catch {
          // Ignore a malformed value.
        }
      }
    });
  }
}

export class SessionError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "SessionError";
    this.status = status;
  }
}

/**
 * POST /api/v1/widget/sessions: starts a visitor session, or renews (resumes) the stored one.
 * `identity` is the host page's signed-in user ({userId, userHash}), when it vouches for one.
 * @returns {Promise<{visitorToken: string, contactId: string, contactName: string, greeting: string|null, resumed: boolean, verified: boolean}>}
 */
export async function startSession(baseUrl, inboxId, visitorToken, { name = null, identity = null } = {}) {
  let response;
  try {
    response = await fetch(new URL("api/v1/widget/sessions", baseUrl).href, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        inboxId,
        visitorToken: visitorToken || null,
        name: name || null,
        userId: identity ? identity.userId : null,
        userHash: identity ? identity.userHash : null,
      }),
      credentials: "omit",
      mode: "cors",
    });
  } catch {
    throw new SessionError("We can't reach the chat service. Check your connection.", 0);
  }
  if (response.status === 429) {
    throw new SessionError("Too many attempts. Please wait a minute and try again.", 429);
  }
  if (response.status === 404) {
    throw new SessionError("Chat is not available here right now.", 404);
  }
  if (!response.ok) {
    let detail = "";
    try {
      detail = (await response.json()).detail || "";
    } catch {
      // Not a problem-details body.
    }
    throw new SessionError(detail || "Chat is unavailable right now. Please try again later.", response.status);
  }
  return response.json();
}

/**
 * GET /api/v1/widget/config/{inbox}: {inboxId, name, greeting, teams: [{id, name}], availability: {online, reason
 * ("open" | "closed" | "no_agents"), opensAt, offlineForm, transcripts}}; null when unreachable.
 */
export async function fetchConfig(baseUrl, inboxId) {
  try {
    const response = await fetch(new URL(`api/v1/widget/config/${encodeURIComponent(inboxId)}`, baseUrl).href, { credentials: "omit", mode: "cors" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** Public knowledge-base articles matching the text (at most `limit`); [] on any failure. */
export async function searchArticles(baseUrl, text, locale, limit, signal) {
  const url = new URL("api/v1/widget/kb/search", baseUrl);
  url.searchParams.set("q", text);
  url.searchParams.set("locale", locale);
  url.searchParams.set("limit", String(limit));
  const response = await fetch(url.href, { credentials: "omit", mode: "cors", signal });
  if (!response.ok) {
    return [];
  }
  const hits = await response.json();
  return Array.isArray(hits) ? hits : [];
}

/** One public article ({title, html, url, …}), or null. */
export async function fetchArticle(baseUrl, locale, slug) {
  const response = await fetch(new URL(`api/v1/widget/kb/articles/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}`, baseUrl).href, {
    credentials: "omit",
    mode: "cors",
  });
  return response.ok ? response.json() : null;
}

export function needsRenewal(session, now = Date.now()) {
  return !session || !session.renewedAt || now - session.renewedAt > RENEW_AFTER_MS;
}

/**
 * The code and message of a HubException thrown by the server ("code: message"), which the
 * JavaScript client reports as "An unexpected error occurred invoking 'X' on the server.
 * HubException: code: message". Null for transport errors (nothing came back from the server).
 * @returns {{code: string, message: string} | null}
 */
export function parseHubError(error) {
  const text = String((error && error.message) || "");
  const hub = /HubException:\s*([\s\S]*)$/.exec(text);
  if (!hub) {
    return null;
  }
  const detail = hub[1].trim();
  const coded = /^([a-z0-9_.-]+):\s*([\s\S]+)$/i.exec(detail);
  return coded ? { code: coded[1], message: coded[2] } : { code: "", message: detail || "The message was refused." };
}

/** True when a negotiate/connect failure was an authentication refusal (expired or foreign token). */
export function isUnauthorized(error) {
  return Boolean(error && (error.statusCode === 401 || /\b401\b/.test(String(error.message || ""))));
}

/** True when a negotiate/connect failure was a policy refusal (this site's origin, or an unverified user). */
export function isForbidden(error) {
  return Boolean(error && (error.statusCode === 403 || /\b403\b/.test(String(error.message || ""))));
}

/** Images and PDFs up to this size can be attached (the server checks both again, by content). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_FILES = "image/png,image/jpeg,image/gif,image/webp,application/pdf";

/**
 * POST /api/v1/widget/attachments (multipart) with the visitor token.
 * @returns {Promise<{key: string, fileName: string, contentType: string, sizeBytes: number, url: string}>}
 * @throws {SessionError} status 0 when the network failed (worth retrying), else the server's refusal
 */
export async function uploadFile(baseUrl, visitorToken, file) {
  const body = new FormData();
  body.append("file", file, file.name || "file");
  let response;
  try {
    response = await fetch(new URL("api/v1/widget/attachments", baseUrl).href, {
      method: "POST",
      headers: { Authorization: `Bearer ${visitorToken}`, Accept: "application/json" },
      body,
      credentials: "omit",
      mode: "cors",
    });
  } catch {
    throw new SessionError("We can't reach the chat service. Check your connection.", 0);
  }
  if (!response.ok) {
    throw await problemError(response, "The file could not be sent.");
  }
  return response.json();
}

/** A SessionError carrying the server's problem-details text (and its code), or the fallback. */
async function problemError(response, fallback) {
  let problem = {};
  try {
    problem = (await response.json()) || {};
  } catch {
    // Not a problem-details body.
  }
  const error = new SessionError(problem.detail || fallback, response.status);
  error.code = typeof problem.code === "string" ? problem.code : "";
  return error;
}

/**
 * POST /api/v1/widget/offline-messages with the visitor token: the offline form, filed as an email conversation.
 * The same clientId on a retry is stored once.
 * @returns {Promise<{reference: number, duplicate: boolean}>}
 * @throws {SessionError} status 0 when the network failed (worth retrying), else the server's refusal (detail, code)
 */
export async function sendOfflineMessage(baseUrl, visitorToken, { clientId, name, email, message }) {
  let response;
  try {
    response = await fetch(new URL("api/v1/widget/offline-messages", baseUrl).href, {
      method: "POST",
      headers: { Authorization: `Bearer ${visitorToken}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ clientId, name, email, message }),
      credentials: "omit",
      mode: "cors",
    });
  } catch {
    throw new SessionError("We can't reach the chat service. Check your connection.", 0);
  }
  if (!response.ok) {
    throw await problemError(response, response.status === 429 ? "Too many messages. Please wait a while and try again." : "Your message could not be sent.");
  }
  return response.json();
}

/** A plain email address (the same rule as the server's, loosely: something@host.tld, no spaces). */
export function isEmail(value) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(value ?? "")) && String(value).length <= 254;
}

/** An attachment's bytes as a blob URL (files are served only with the visitor token, so not linkable directly). */
export async function fetchFileUrl(baseUrl, visitorToken, url) {
  const response = await fetch(new URL(String(url).replace(/^\//, ""), baseUrl).href, {
    headers: { Authorization: `Bearer ${visitorToken}` },
    credentials: "omit",
    mode: "cors",
  });
  if (!response.ok) {
    throw new Error(`File ${response.status}`);
  }
  return URL.createObjectURL(await response.blob());
}
