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
 * @returns {Promise<{visitorToken: string, contactId: string, contactName: string, greeting: string|null, resumed: boolean}>}
 */
export async function startSession(baseUrl, inboxId, visitorToken) {
  let response;
  try {
    response = await fetch(new URL("api/v1/widget/sessions", baseUrl).href, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ inboxId, visitorToken: visitorToken || null }),
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
