// ContactCenter chat widget: one <script> tag on the business's site.
//
//   <script src="https://HOST/widget.js" data-inbox="INBOX-GUID" async></script>
//
// Optional attributes: data-title (panel heading), data-color (accent CSS color),
// data-position ("right" | "left"). Opening the page with #cc-open opens the chat, and
// window.ContactCenterWidget.open() / .close() / .toggle() drive it from the page.
//
// Everything renders inside a shadow root (the host page's CSS cannot reach in) and every
// piece of text goes through text nodes: nothing is ever parsed as HTML.

import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import css from "./widget.css";
import { appendLinkified, h, icons } from "./dom.js";
import { SessionError, SessionStore, isGuid, isUnauthorized, needsRenewal, newId, parseHubError, startSession } from "./protocol.js";

// Must be read while this script is first evaluated: currentScript is null afterwards.
const ownScript = findOwnScript();

/** Automatic reconnect: quick at first, then every 30 s for as long as the page stays open. */
const RECONNECT_DELAYS = [0, 2000, 5000, 10000, 20000, 30000];
/** Restarting after a failed first connect (or a close the client did not recover from). */
const RESTART_DELAYS = [3000, 8000, 15000, 30000, 60000];
const CONNECT_WAIT_MS = 20000;
const DEFAULT_GREETING = "Hi! How can we help you today?";

boot();

function findOwnScript() {
  const current = document.currentScript;
  if (current && current.src) {
    return current;
  }
  const scripts = Array.from(document.querySelectorAll('script[src*="widget.js"]'));
  return scripts.find((s) => s.hasAttribute("data-inbox")) || scripts[0] || null;
}

function boot() {
  if (!ownScript) {
    console.error("[ContactCenter] widget.js could not find its own <script> tag.");
    return;
  }
  const inboxId = (ownScript.getAttribute("data-inbox") || "").trim();
  if (!isGuid(inboxId)) {
    console.error('[ContactCenter] widget.js needs data-inbox="INBOX-GUID" on its <script> tag.');
    return;
  }
  const registry = (window.__contactCenterWidgets = window.__contactCenterWidgets || {});
  if (registry[inboxId]) {
    return; // The snippet was pasted twice.
  }
  registry[inboxId] = true;
  const position = ownScript.getAttribute("data-position") === "left" ? "left" : "right";
  const color = ownScript.getAttribute("data-color");
  const options = {
    baseUrl: new URL(".", ownScript.src).href,
    inboxId,
    title: (ownScript.getAttribute("data-title") || "").trim() || "Chat with us",
    color: color && window.CSS && CSS.supports("color", color) ? color : null,
    position,
  };
  const mount = () => {
    const widget = createWidget(options);
    registry[inboxId] = widget;
    window.ContactCenterWidget = widget;
  };
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount, { once: true });
  }
}

function createWidget({ baseUrl, inboxId, title, color, position }) {
  const store = new SessionStore(inboxId);
  const seenKey = `${store.key}.seen`;

  /** @type {null | {visitorToken: string, contactId: string, contactName: string, greeting: string|null, renewedAt: number}} */
  let session = store.load();
  let sessionStale = false;
  let sessionPromise = null;
  /** @type {import("@microsoft/signalr").HubConnection | null} */
  let connection = null;
  let connecting = null;
  let connectedWaiters = [];
  let restartTimer = 0;
  let restartAttempts = 0;
  let state = "idle";
  let agentName = "";
  let isOpen = false;
  let unread = 0;
  let lastSeen = readNumber(seenKey);

  /** Log items in display order: the greeting, messages, notes ("Alice joined the chat"). */
  const entries = [];
  const byId = new Map();
  const byClientId = new Map();

  // ------------------------------------------------------------------ DOM

  const host = document.createElement("contactcenter-chat");
  host.setAttribute("style", "all: initial;");
  const shadow = host.attachShadow({ mode: "open" });
  adoptStyles(shadow, css);

  const root = h("div", { class: "cc-root", "data-position": position, "data-state": state });
  const badge = h("span", { class: "cc-badge", "aria-hidden": "true", hidden: true });
  const launcherIcon = h("span", { class: "cc-launcher-icon" }, icons.chat());
  const launcher = h(
    "button",
    { type: "button", class: "cc-launcher", "aria-controls": "cc-panel", "aria-expanded": "false", "aria-label": "Open chat", on: { click: () => toggle() } },
    launcherIcon,
    badge,
  );

  const statusText = h("span", { text: "We usually reply in a few minutes" });
  const closeButton = h("button", { type: "button", class: "cc-close", "aria-label": "Close chat", on: { click: () => close() } }, icons.close());
  const header = h(
    "header",
    { class: "cc-header" },
    h("div", { class: "cc-avatar", "aria-hidden": "true" }, icons.support()),
    h("div", { class: "cc-heading" }, h("h2", { class: "cc-title", id: "cc-title", text: title }), h("p", { class: "cc-subtitle" }, h("span", { class: "cc-dot", "aria-hidden": "true" }), statusText)),
    closeButton,
  );

  const bannerText = h("span");
  const bannerButton = h("button", { type: "button", hidden: true, text: "Try again", on: { click: () => retryNow() } });
  const banner = h("div", { class: "cc-banner", role: "status", hidden: true }, bannerText, bannerButton);

  const log = h("div", { class: "cc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation", tabindex: "0" });

  const input = h("textarea", {
    id: "cc-input",
    class: "cc-input",
    rows: "1",
    placeholder: "Type your message…",
    "aria-describedby": "cc-hint",
    autocomplete: "off",
    on: { input: autosize, keydown: onInputKeydown },
  });
  const sendButton = h("button", { type: "submit", class: "cc-send", "aria-label": "Send message" }, icons.send());
  const form = h(
    "form",
    { class: "cc-composer", novalidate: true, on: { submit: onSubmit } },
    h("label", { for: "cc-input", class: "cc-sr-only", text: "Your message" }),
    h("div", { class: "cc-row" }, input, sendButton),
    h("p", { class: "cc-footer", id: "cc-hint", text: "Enter to send · Shift+Enter for a new line" }),
  );

  const panel = h("section", { id: "cc-panel", class: "cc-panel", role: "dialog", "aria-labelledby": "cc-title", hidden: true }, header, banner, log, form);

  root.append(panel, launcher);
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  shadow.append(root);
  document.body.append(host);
  applyAccent(root, color);

  store.watch(adoptSessionFromOtherTab);
  if (session) {
    showGreeting(session.greeting);
    // A returning visitor: connect now, so their history and any reply (with an unread badge) are there.
    ensureStarted().catch(() => {});
  }
  if (window.location.hash === "#cc-open") {
    open({ focus: false });
  }
  window.addEventListener("hashchange", () => {
    if (window.location.hash === "#cc-open") {
      open();
    }
  });
  // Links to #cc-open on the page ("Chat with us") open the chat every time, not only on the first click.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href="#cc-open"]') : null;
    if (link && !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) {
      event.preventDefault();
      open();
    }
  });

  // --------------------------------------------------------- open / close

  function open({ focus = true } = {}) {
    if (!isOpen) {
      isOpen = true;
      panel.hidden = false;
      root.setAttribute("data-open", "");
      launcher.setAttribute("aria-expanded", "true");
      launcherIcon.replaceChildren(icons.close());
      unread = 0;
      markSeen();
      updateLauncher();
      if (!entries.some((e) => e.kind === "greeting")) {
        showGreeting(session ? session.greeting : null);
      }
      ensureStarted().catch(() => {});
      scrollToEnd(true);
    }
    if (focus) {
      // Phones: do not pop the keyboard up uninvited; the log takes focus instead.
      const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
      (coarse ? log : input).focus({ preventScroll: true });
    }
  }

  function close({ restoreFocus = true } = {}) {
    if (!isOpen) {
      return;
    }
    isOpen = false;
    panel.hidden = true;
    root.removeAttribute("data-open");
    launcher.setAttribute("aria-expanded", "false");
    launcherIcon.replaceChildren(icons.chat());
    updateLauncher();
    if (restoreFocus) {
      launcher.focus();
    }
  }

  function toggle() {
    if (isOpen) {
      close();
    } else {
      open();
    }
  }

  function updateLauncher() {
    badge.hidden = unread === 0 || isOpen;
    badge.textContent = unread > 9 ? "9+" : String(unread);
    const label = isOpen ? "Close chat" : unread > 0 ? `Open chat (${unread} unread ${unread === 1 ? "message" : "messages"})` : "Open chat";
    launcher.setAttribute("aria-label", label);
  }

  // -------------------------------------------------------------- session

  /** The visitor session, renewed when old or refused; shared by every caller in flight. */
  function ensureSession() {
    if (session && !sessionStale && !needsRenewal(session)) {
      return Promise.resolve(session);
    }
    if (!sessionPromise) {
      sessionPromise = startSession(baseUrl, inboxId, session ? session.visitorToken : null)
        .then((response) => {
          const fresh = {
            visitorToken: response.visitorToken,
            contactId: response.contactId,
            contactName: response.contactName,
            greeting: response.greeting || null,
            renewedAt: Date.now(),
          };
          if (session && session.contactId !== fresh.contactId) {
            clearMessages(); // The old token was refused (expired): this is a new visitor.
          }
          session = fresh;
          sessionStale = false;
          store.save(fresh);
          showGreeting(fresh.greeting);
          return fresh;
        })
        .finally(() => {
          sessionPromise = null;
        });
    }
    return sessionPromise;
  }

  function adoptSessionFromOtherTab(other) {
    if (!other || typeof other.visitorToken !== "string") {
      return;
    }
    if (!session || session.contactId === other.contactId) {
      const first = !session;
      session = other;
      sessionStale = false;
      if (first) {
        showGreeting(other.greeting);
        ensureStarted().catch(() => {});
      }
    }
  }

  // ----------------------------------------------------------- connection

  function getConnection() {
    if (connection) {
      return connection;
    }
    connection = new HubConnectionBuilder()
      .withUrl(new URL("hubs/chat", baseUrl).href, {
        accessTokenFactory: () => ensureSession().then((s) => s.visitorToken),
        withCredentials: false, // The visitor token is the credential; no cookies cross sites.
      })
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (context) => {
          if (isUnauthorized(context.retryReason)) {
            sessionStale = true;
          }
          return RECONNECT_DELAYS[Math.min(context.previousRetryCount, RECONNECT_DELAYS.length - 1)];
        },
      })
      .configureLogging(LogLevel.None)
      .build();

    connection.on("MessageReceived", (message) => upsertMessage(message));
    connection.on("AgentAssigned", (name) => agentJoined(name));
    connection.onreconnecting(() => setState("reconnecting"));
    connection.onreconnected(() => {
      whenConnected();
    });
    connection.onclose(() => {
      setState("offline", "The chat connection was closed.");
      scheduleRestart();
    });
    return connection;
  }

  /** Resolves once the hub connection is up (starting it, or waiting for a reconnect). */
  function ensureStarted() {
    const hub = getConnection();
    if (hub.state === HubConnectionState.Connected) {
      return Promise.resolve();
    }
    if (connecting) {
      return connecting;
    }
    if (hub.state === HubConnectionState.Reconnecting) {
      return waitForConnection();
    }
    clearTimeout(restartTimer);
    setState("connecting");
    connecting = (async () => {
      await ensureSession();
      try {
        await hub.start();
      } catch (error) {
        if (!isUnauthorized(error)) {
          throw error;
        }
        sessionStale = true; // Expired or from another inbox: renew once, then try again.
        await ensureSession();
        await hub.start();
      }
      restartAttempts = 0;
      await whenConnected();
    })()
      .catch((error) => {
        if (error instanceof SessionError && error.status === 404) {
          setState("unavailable", error.message);
        } else {
          setState("offline", error instanceof SessionError ? error.message : "We can't connect to the chat right now.");
          scheduleRestart();
        }
        throw error;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  async function whenConnected() {
    setState("online");
    const waiters = connectedWaiters;
    connectedWaiters = [];
    waiters.forEach((w) => w.resolve());
    await loadHistory();
    for (const entry of entries) {
      if (entry.kind === "message" && entry.status === "failed" && entry.queued) {
        deliver(entry);
      }
    }
  }

  function waitForConnection() {
    return new Promise((resolve, reject) => {
      const waiter = { resolve: () => done(resolve), reject: (e) => done(() => reject(e)) };
      const timer = setTimeout(() => waiter.reject(new Error("Still reconnecting.")), CONNECT_WAIT_MS);
      function done(settle) {
        clearTimeout(timer);
        connectedWaiters = connectedWaiters.filter((w) => w !== waiter);
        settle();
      }
      connectedWaiters.push(waiter);
    });
  }

  function scheduleRestart() {
    clearTimeout(restartTimer);
    const delay = RESTART_DELAYS[Math.min(restartAttempts, RESTART_DELAYS.length - 1)];
    restartAttempts += 1;
    restartTimer = setTimeout(() => ensureStarted().catch(() => {}), delay);
  }

  function retryNow() {
    restartAttempts = 0;
    clearTimeout(restartTimer);
    ensureStarted().catch(() => {});
  }

  async function loadHistory() {
    try {
      const history = await connection.invoke("GetHistory");
      for (const message of history || []) {
        upsertMessage(message);
      }
      if (isOpen) {
        markSeen();
      }
    } catch {
      // Live messages still arrive; the next (re)connect loads the history again.
    }
  }

  function setState(next, message) {
    state = next;
    root.setAttribute("data-state", next === "online" ? "online" : next === "offline" || next === "unavailable" ? "offline" : "pending");
    const subtitles = {
      idle: "We usually reply in a few minutes",
      connecting: "Connecting…",
      online: agentName ? `You're chatting with ${agentName}` : "We're online",
      reconnecting: "Reconnecting…",
      offline: "Offline",
      unavailable: "Unavailable",
    };
    statusText.textContent = subtitles[next] || "";
    if (next === "reconnecting") {
      showBanner("Connection lost. Reconnecting…", false);
    } else if (next === "offline") {
      showBanner(message || "You're offline.", true);
    } else if (next === "unavailable") {
      showBanner(message || "Chat is not available right now.", false);
    } else {
      banner.hidden = true;
    }
    const disabled = next === "unavailable";
    input.disabled = disabled;
    sendButton.disabled = disabled;
  }

  function showBanner(text, withRetry) {
    bannerText.textContent = text;
    bannerButton.hidden = !withRetry;
    banner.hidden = false;
  }

  // ------------------------------------------------------------- messages

  function onSubmit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || state === "unavailable") {
      return;
    }
    input.value = "";
    autosize();
    const entry = {
      kind: "message",
      id: null,
      clientMessageId: newId(),
      fromCustomer: true,
      authorName: "",
      text,
      createdAt: null,
      status: "sending",
    };
    byClientId.set(entry.clientMessageId, entry);
    insertEntry(entry);
    scrollToEnd(true);
    deliver(entry);
  }

  /** Sends (or re-sends, with the same client message id: the server dedupes) one message. */
  async function deliver(entry) {
    entry.status = "sending";
    entry.error = null;
    entry.errorCode = null;
    entry.queued = false;
    renderMeta(entry);
    try {
      await ensureStarted();
      const result = await connection.invoke("SendMessage", { clientMessageId: entry.clientMessageId, text: entry.text });
      if (result && result.messageId && !entry.id) {
        entry.id = result.messageId;
        byId.set(entry.id, entry);
      }
      entry.status = "sent";
      if (!entry.createdAt) {
        entry.createdAt = new Date();
        reposition(entry);
      }
    } catch (error) {
      const refused = parseHubError(error);
      entry.status = "failed";
      entry.errorCode = refused ? refused.code : null;
      entry.error = refused ? refused.message : error instanceof SessionError ? error.message : "Not sent yet: it goes out when the connection is back.";
      entry.queued = !refused && state !== "unavailable"; // Sent again automatically once reconnected.
    }
    renderMeta(entry);
  }

  /** A message from the server (history, a reply, or this visitor's own message echoed from another tab). */
  function upsertMessage(message) {
    if (!message || !message.id) {
      return;
    }
    const known = byId.get(message.id) || (message.fromCustomer && message.clientMessageId ? byClientId.get(message.clientMessageId) : undefined);
    const createdAt = parseDate(message.createdAt);
    if (known) {
      if (!known.id) {
        known.id = message.id;
        byId.set(message.id, known);
      }
      const moved = createdAt && (!known.createdAt || known.createdAt.getTime() !== createdAt.getTime());
      if (createdAt) {
        known.createdAt = createdAt;
      }
      if (known.status !== "sent") {
        known.status = "sent";
        known.error = null;
        known.queued = false;
      }
      if (moved) {
        reposition(known);
      }
      renderMeta(known);
      return;
    }

    const entry = {
      kind: "message",
      id: message.id,
      clientMessageId: message.clientMessageId || null,
      fromCustomer: Boolean(message.fromCustomer),
      authorName: String(message.authorName || ""),
      text: String(message.text ?? ""),
      createdAt,
      status: "sent",
    };
    byId.set(entry.id, entry);
    if (entry.clientMessageId && entry.fromCustomer) {
      byClientId.set(entry.clientMessageId, entry);
    }
    const nearBottom = isNearBottom();
    insertEntry(entry);
    scrollToEnd(nearBottom);
    if (!entry.fromCustomer) {
      if (isOpen) {
        markSeen();
      } else if (!createdAt || createdAt.getTime() > lastSeen) {
        unread += 1;
        updateLauncher();
      }
    }
  }

  function agentJoined(name) {
    const joined = String(name || "").trim() || "An agent";
    if (joined === agentName) {
      return; // Already announced (the server may repeat it when the conversation is updated).
    }
    agentName = joined;
    if (state === "online") {
      setState("online");
    }
    const nearBottom = isNearBottom();
    insertEntry({ kind: "note", text: `${agentName} joined the chat`, createdAt: new Date() });
    scrollToEnd(nearBottom);
  }

  function showGreeting(text) {
    const greeting = String(text || "").trim() || DEFAULT_GREETING;
    const existing = entries.find((e) => e.kind === "greeting");
    if (existing) {
      if (existing.text !== greeting) {
        existing.text = greeting;
        render(existing);
      }
      return;
    }
    insertEntry({ kind: "greeting", text: greeting, authorName: "", createdAt: null });
  }

  function clearMessages() {
    for (const entry of entries.filter((e) => e.kind !== "greeting")) {
      entry.el.remove();
    }
    entries.splice(0, entries.length, ...entries.filter((e) => e.kind === "greeting"));
    byId.clear();
    byClientId.clear();
    unread = 0;
    updateLauncher();
  }

  // ------------------------------------------------------------ rendering

  function sortKey(entry) {
    if (entry.kind === "greeting") {
      return -Infinity;
    }
    return entry.createdAt ? entry.createdAt.getTime() : Infinity; // Unconfirmed messages stay last.
  }

  function insertEntry(entry) {
    const key = sortKey(entry);
    let index = entries.length;
    while (index > 0 && sortKey(entries[index - 1]) > key) {
      index -= 1;
    }
    entries.splice(index, 0, entry);
    const next = entries[index + 1];
    log.insertBefore(entry.el || render(entry), next ? next.el : null);
  }

  function reposition(entry) {
    const index = entries.indexOf(entry);
    const key = sortKey(entry);
    const before = entries[index - 1];
    const after = entries[index + 1];
    if ((before && sortKey(before) > key) || (after && sortKey(after) < key)) {
      entries.splice(index, 1);
      insertEntry(entry);
    }
  }

  function render(entry) {
    const el = entry.el || (entry.el = h("div"));
    el.replaceChildren();
    if (entry.kind === "note") {
      el.setAttribute("class", "cc-item cc-item--note");
      el.textContent = entry.text;
      return el;
    }
    const mine = entry.kind === "message" && entry.fromCustomer;
    el.setAttribute("class", `cc-item ${entry.kind === "greeting" ? "cc-item--greeting" : mine ? "cc-item--customer" : "cc-item--agent"}`);
    if (mine) {
      el.append(h("span", { class: "cc-sr-only", text: "You:" }));
    } else if (entry.authorName) {
      el.append(h("span", { class: "cc-author", text: entry.authorName }));
    }
    const bubble = h("div", { class: "cc-bubble" });
    appendLinkified(bubble, entry.text);
    el.append(bubble);
    entry.metaEl = h("div", { class: "cc-meta-slot" });
    el.append(entry.metaEl);
    renderMeta(entry);
    return el;
  }

  function renderMeta(entry) {
    if (!entry.el || !entry.metaEl || entry.kind !== "message") {
      return;
    }
    const nearBottom = isNearBottom();
    entry.el.setAttribute("data-status", entry.status);
    const slot = entry.metaEl;
    slot.replaceChildren();
    if (entry.status === "sending") {
      slot.append(h("div", { class: "cc-meta", "aria-hidden": "true", text: "Sending…" }));
    } else if (entry.status === "failed") {
      const validation = Boolean(entry.errorCode && entry.errorCode.startsWith("validation."));
      slot.append(
        h(
          "div",
          { class: "cc-failure" },
          h("span", { text: entry.error || "Not sent." }),
          h("button", { type: "button", text: "Retry", "aria-label": "Retry sending this message", on: { click: () => deliver(entry) } }),
          validation && h("button", { type: "button", text: "Edit", "aria-label": "Edit this message", on: { click: () => editFailed(entry) } }),
        ),
      );
    } else if (entry.createdAt) {
      const time = h("time", { class: "cc-meta", datetime: entry.createdAt.toISOString(), title: entry.createdAt.toLocaleString(), "aria-hidden": "true" });
      time.textContent = formatTime(entry.createdAt);
      slot.append(time);
    }
    scrollToEnd(nearBottom && entry === entries[entries.length - 1]);
  }

  /** Takes a refused message back into the composer (a new message once sent again). */
  function editFailed(entry) {
    const index = entries.indexOf(entry);
    if (index >= 0) {
      entries.splice(index, 1);
    }
    entry.el.remove();
    byClientId.delete(entry.clientMessageId);
    input.value = entry.text;
    autosize();
    input.focus();
  }

  function isNearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToEnd(force) {
    if (force) {
      log.scrollTop = log.scrollHeight;
    }
  }

  function markSeen() {
    let newest = lastSeen;
    for (const entry of entries) {
      if (entry.kind === "message" && entry.createdAt) {
        newest = Math.max(newest, entry.createdAt.getTime());
      }
    }
    if (newest !== lastSeen) {
      lastSeen = newest;
      try {
        window.localStorage.setItem(seenKey, String(newest));
      } catch {
        // Not essential.
      }
    }
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  function onInputKeydown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        onSubmit(event);
      }
    }
  }

  return {
    open: () => open(),
    close: () => close({ restoreFocus: false }),
    toggle: () => toggle(),
    get isOpen() {
      return isOpen;
    },
  };
}

function adoptStyles(shadow, text) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    shadow.adoptedStyleSheets = [sheet]; // No inline <style>: works under a strict style-src CSP.
  } catch {
    shadow.append(h("style", { text }));
  }
}

/** Sets the accent color and picks dark or light text for it. */
function applyAccent(root, color) {
  if (!color) {
    return;
  }
  root.style.setProperty("--cc-accent", color);
  const probe = h("span");
  probe.style.color = color;
  root.append(probe);
  const rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  probe.remove();
  if (rgb.length === 3) {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    root.style.setProperty("--cc-accent-text", luminance > 0.45 ? "#111827" : "#ffffff");
  }
}

function parseDate(value) {
  if (!value) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function formatTime(date) {
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

function readNumber(key) {
  try {
    return Number(window.localStorage.getItem(key)) || 0;
  } catch {
    return 0;
  }
}
