// ContactCenter chat widget: one <script> tag on the business's site.
//
//   <script src="https://HOST/widget.js" data-inbox="INBOX-GUID" async></script>
//
// Optional attributes: data-title (panel heading), data-color (accent CSS color),
// data-position ("right" | "left"), data-locale ("en" | "zh-CN"; default: the browser's),
// data-user-id + data-user-hash (the site's signed-in user: hex HMAC-SHA256 of the id with the
// inbox secret) and data-user-name. Opening the page with #cc-open opens the chat, and
// window.ContactCenterWidget.open() / .close() / .toggle() drive it from the page.
//
// Everything renders inside a shadow root (the host page's CSS cannot reach in) and every
// piece of message text goes through text nodes: nothing a customer or agent writes is ever
// parsed as HTML. Knowledge-base articles (HTML sanitised by the server) are rebuilt from an
// inert parse through an allowlist (article.js).

import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import css from "./widget.css";
import { appendLinkified, h, icons } from "./dom.js";
import { pickLocale, translator } from "./i18n.js";
import { renderArticleHtml, safeUrl } from "./article.js";
import {
  ACCEPTED_FILES,
  MAX_UPLOAD_BYTES,
  SessionError,
  SessionStore,
  fetchFileUrl,
  fetchArticle,
  fetchConfig,
  isForbidden,
  isEmail,
  isGuid,
  isUnauthorized,
  needsRenewal,
  newId,
  parseHubError,
  searchArticles,
  sendOfflineMessage,
  startSession,
  uploadFile,
} from "./protocol.js";

// Must be read while this script is first evaluated: currentScript is null afterwards.
const ownScript = findOwnScript();

/** Automatic reconnect: quick at first, then every 30 s for as long as the page stays open. */
const RECONNECT_DELAYS = [0, 2000, 5000, 10000, 20000, 30000];
/** Restarting after a failed first connect (or a close the client did not recover from). */
const RESTART_DELAYS = [3000, 8000, 15000, 30000, 60000];
const CONNECT_WAIT_MS = 20000;
/** The emoji picker: common ones, inserted at the caret (the keyboard's own emoji work too). */
const EMOJI = ["😀", "😊", "😂", "😍", "🙂", "😉", "😅", "😢", "😮", "😡", "👍", "👎", "🙏", "👏", "🎉", "❤️", "🔥", "✅", "❌", "⏰", "📦", "🚲", "💳", "📄"];
/** The customer counts as typing until this long after their last keystroke. */
const TYPING_IDLE_MS = 2500;
/** An agent's typing indicator disappears on its own if no "stopped" arrives. */
const AGENT_TYPING_TIMEOUT_MS = 8000;
const SUGGEST_DELAY_MS = 350;
const SUGGEST_MIN_LENGTH = 4;

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
  const attr = (name) => (ownScript.getAttribute(name) || "").trim();
  const locale = pickLocale(attr("data-locale"), navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
  const color = attr("data-color");
  const userId = attr("data-user-id");
  const userHash = attr("data-user-hash");
  const options = {
    baseUrl: new URL(".", ownScript.src).href,
    inboxId,
    locale,
    title: attr("data-title"),
    color: color && window.CSS && CSS.supports("color", color) ? color : null,
    position: attr("data-position") === "left" ? "left" : "right",
    identity: userId ? { userId, userHash } : null,
    userName: attr("data-user-name"),
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

function createWidget({ baseUrl, inboxId, locale, title, color, position, identity, userName }) {
  const t = translator(locale);
  const store = new SessionStore(inboxId);
  const seenKey = `${store.key}.seen`;
  const ratedKey = `${store.key}.rated`;

  /** @type {null | {visitorToken: string, contactId: string, contactName: string, greeting: string|null, renewedAt: number, teamId?: string|null, userId?: string|null, email?: string|null}} */
  let session = store.load();
  if (session && (session.userId || null) !== (identity ? identity.userId : null)) {
    // Another user signed in on this browser (or the user signed out): never show them the previous one's chat.
    session = null;
  }
  let sessionStale = false;
  let sessionPromise = null;
  /** @type {import("@microsoft/signalr").HubConnection | null} */
  let connection = null;
  let connecting = null;
  let sendChain = Promise.resolve(); // The customer's messages, delivered one after another (see deliver).
  let connectedWaiters = [];
  let restartTimer = 0;
  let restartAttempts = 0;
  let state = "idle";
  let agentName = "";
  let isOpen = false;
  let unread = 0;
  let lastSeen = readNumber(seenKey);
  /** The latest chat: none (never wrote) | waiting | active (an agent has it) | ended. */
  let chatStatus = "none";
  let conversationId = null;
  let view = session ? "chat" : "prechat";
  let config = null;
  let configPromise = null;
  let configLoadedAt = 0;
  /** From the config: live chat on, or the offline form instead (outside business hours, nobody available). */
  let availability = null;
  /** The offline form's idempotency key: kept until the server confirmed, so a retry is stored once. */
  let offlineClientId = null;
  let typingSent = false;
  let typingTimer = 0;
  let agentTypingTimer = 0;
  let suggestTimer = 0;
  let suggestAbort = null;
  let lastSuggestQuery = "";
  let articleOpen = null;
  let endingLocally = false;
  const rated = new Set(readList(ratedKey));

  /** Log items in display order: the greeting, messages, notes ("Alice joined the chat"), the rating card. */
  const entries = [];
  const byId = new Map();
  const byClientId = new Map();

  // ------------------------------------------------------------------ DOM

  const host = document.createElement("contactcenter-chat");
  host.setAttribute("style", "all: initial;");
  host.setAttribute("lang", locale);
  const shadow = host.attachShadow({ mode: "open" });
  adoptStyles(shadow, css);

  const root = h("div", { class: "cc-root", "data-position": position, "data-state": state, "data-view": view, lang: locale });
  const badge = h("span", { class: "cc-badge", "aria-hidden": "true", hidden: true });
  const launcherIcon = h("span", { class: "cc-launcher-icon" }, icons.chat());
  const launcher = h(
    "button",
    { type: "button", class: "cc-launcher", "aria-controls": "cc-panel", "aria-expanded": "false", "aria-label": t("openChat"), on: { click: () => toggle() } },
    launcherIcon,
    badge,
  );

  const statusText = h("span", { text: t("subtitleIdle") });
  // The agent's initials once one has the chat (the support icon before).
  const headerAvatar = h("div", { class: "cc-avatar", "aria-hidden": "true" }, icons.support());
  const endButton = h("button", { type: "button", class: "cc-end", hidden: true, text: t("endChat"), on: { click: () => askEndChat() } });
  const closeButton = h("button", { type: "button", class: "cc-close", "aria-label": t("closeChat"), title: t("closeChat"), on: { click: () => close() } }, icons.close());
  const titleText = h("h2", { class: "cc-title", id: "cc-title", text: title || t("title") });
  const header = h(
    "header",
    { class: "cc-header" },
    headerAvatar,
    h("div", { class: "cc-heading" }, titleText, h("p", { class: "cc-subtitle" }, h("span", { class: "cc-dot", "aria-hidden": "true" }), statusText)),
    endButton,
    closeButton,
  );

  const bannerText = h("span");
  const bannerButton = h("button", { type: "button", hidden: true, text: t("tryAgain"), on: { click: () => retryNow() } });
  const banner = h("div", { class: "cc-banner", role: "status", hidden: true }, bannerText, bannerButton);

  // Pre-chat form: name and (when the inbox offers several) a topic, which routes the chat to that team.
  const prechatGreeting = h("p", { class: "cc-prechat-greeting", text: t("greeting") });
  const nameInput = h("input", { id: "cc-name", class: "cc-field", type: "text", name: "name", autocomplete: "name", maxlength: "100", required: true, value: userName || null });
  const emailInput = h("input", { id: "cc-email", class: "cc-field", type: "email", name: "email", autocomplete: "email", inputmode: "email", maxlength: "254" });
  const topicSelect = h("select", { id: "cc-topic", class: "cc-field", name: "topic" });
  const topicRow = h("div", { class: "cc-form-row", hidden: true }, h("label", { for: "cc-topic", text: t("topic") }), topicSelect);
  const prechatError = h("p", { class: "cc-form-error", id: "cc-prechat-error", role: "alert", hidden: true });
  const prechatSubmit = h("button", { type: "submit", class: "cc-primary", text: t("startChat") });
  const prechat = h(
    "form",
    { class: "cc-prechat", novalidate: true, "aria-labelledby": "cc-title", on: { submit: onPrechatSubmit } },
    prechatGreeting,
    h("p", { class: "cc-prechat-intro", text: t("prechatIntro") }),
    h("div", { class: "cc-form-row" }, h("label", { for: "cc-name", text: t("name") }), nameInput),
    h("div", { class: "cc-form-row" }, h("label", { for: "cc-email", text: t("emailOptional") }), emailInput),
    topicRow,
    prechatError,
    prechatSubmit,
  );

  const log = h("div", { class: "cc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": t("conversation"), tabindex: "0" });

  const queueText = h("span");
  const queueWait = h("span", { class: "cc-queue-wait" });
  const queueStatus = h("div", { class: "cc-queue", role: "status", hidden: true }, h("span", { class: "cc-spinner", "aria-hidden": "true" }), h("div", {}, queueText, queueWait));

  const typingText = h("span", { class: "cc-sr-only" });
  const typing = h(
    "div",
    { class: "cc-typing", role: "status", hidden: true },
    h("span", { class: "cc-typing-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
    typingText,
    h("span", { class: "cc-typing-label", "aria-hidden": "true" }),
  );

  const suggestionList = h("ul", { class: "cc-suggestions-list" });
  const suggestions = h("section", { class: "cc-suggestions", hidden: true, "aria-label": t("suggestions") }, h("h3", { class: "cc-suggestions-title", text: t("suggestions") }), suggestionList);

  const endConfirmYes = h("button", { type: "button", class: "cc-primary cc-small", text: t("endChat"), on: { click: () => endChat() } });
  const endConfirm = h(
    "div",
    { class: "cc-confirm", role: "group", "aria-label": t("endChatConfirm"), hidden: true },
    h("span", { text: t("endChatConfirm") }),
    h("div", { class: "cc-confirm-actions" }, h("button", { type: "button", class: "cc-secondary cc-small", text: t("cancel"), on: { click: () => hideEndConfirm(true) } }), endConfirmYes),
  );

  const input = h("textarea", {
    id: "cc-input",
    class: "cc-input",
    rows: "1",
    placeholder: t("placeholder"),
    "aria-describedby": "cc-hint",
    autocomplete: "off",
    on: { input: onInput, keydown: onInputKeydown, blur: () => stopTyping() },
  });
  const sendButton = h("button", { type: "submit", class: "cc-send", "aria-label": t("send"), title: t("send") }, icons.send());
  const fileInput = h("input", { type: "file", class: "cc-file", accept: ACCEPTED_FILES, multiple: true, tabindex: "-1", "aria-hidden": "true", on: { change: onFilesChosen } });
  const attachButton = h("button", { type: "button", class: "cc-attach", "aria-label": t("attach"), title: t("attach"), on: { click: () => fileInput.click() } }, icons.attach());
  const emojiPicker = h(
    "div",
    { class: "cc-emoji", id: "cc-emoji", role: "group", "aria-label": t("emoji"), hidden: true },
    ...EMOJI.map((emoji) => h("button", { type: "button", class: "cc-emoji-choice", "aria-label": emoji, text: emoji, on: { click: () => insertEmoji(emoji) } })),
  );
  const emojiButton = h(
    "button",
    { type: "button", class: "cc-attach cc-emoji-toggle", "aria-label": t("emoji"), title: t("emoji"), "aria-controls": "cc-emoji", "aria-expanded": "false", on: { click: () => toggleEmoji() } },
    icons.smile(),
  );
  const form = h(
    "form",
    { class: "cc-composer", novalidate: true, on: { submit: onSubmit } },
    h("label", { for: "cc-input", class: "cc-sr-only", text: t("yourMessage") }),
    emojiPicker,
    h("div", { class: "cc-row" }, attachButton, emojiButton, input, sendButton, fileInput),
    h("p", { class: "cc-footer", id: "cc-hint", text: t("hint") }),
  );
  const offlineNotice = h(
    "div",
    { class: "cc-offline-notice", role: "status", hidden: true },
    h("span", { text: t("offlineNotice") }),
    h("button", { type: "button", class: "cc-secondary cc-small", text: t("offlineLeave"), on: { click: () => openOffline() } }),
  );
  const chatView = h("div", { class: "cc-chat" }, log, queueStatus, typing, suggestions, endConfirm, offlineNotice, form);

  // The offline form (outside business hours, or nobody available): name, email, message; answered by email.
  const offlineIntro = h("p", { class: "cc-prechat-greeting", id: "cc-offline-intro" });
  const offlineName = h("input", { id: "cc-offline-name", class: "cc-field", type: "text", name: "name", autocomplete: "name", maxlength: "100", required: true, value: userName || null });
  const offlineEmail = h("input", { id: "cc-offline-email", class: "cc-field", type: "email", name: "email", autocomplete: "email", inputmode: "email", maxlength: "254", required: true });
  const offlineMessage = h("textarea", { id: "cc-offline-message", class: "cc-field cc-offline-message", name: "message", rows: "5", maxlength: "20000", required: true });
  const offlineError = h("p", { class: "cc-form-error", id: "cc-offline-error", role: "alert", hidden: true });
  const offlineSubmit = h("button", { type: "submit", class: "cc-primary", text: t("sendOffline") });
  const offlineBack = h("button", { type: "button", class: "cc-secondary", hidden: true, text: t("backToChat"), on: { click: () => closeOffline() } });
  const offlineForm = h(
    "form",
    { class: "cc-offline", novalidate: true, "aria-labelledby": "cc-offline-title", "aria-describedby": "cc-offline-intro", on: { submit: onOfflineSubmit } },
    h("h3", { class: "cc-offline-title", id: "cc-offline-title", text: t("offlineTitle") }),
    offlineIntro,
    h("div", { class: "cc-form-row" }, h("label", { for: "cc-offline-name", text: t("name") }), offlineName),
    h("div", { class: "cc-form-row" }, h("label", { for: "cc-offline-email", text: t("email") }), offlineEmail),
    h("div", { class: "cc-form-row" }, h("label", { for: "cc-offline-message", text: t("message") }), offlineMessage),
    offlineError,
    h("div", { class: "cc-form-actions" }, offlineBack, offlineSubmit),
  );
  const offlineDoneText = h("p", { class: "cc-offline-done-text", tabindex: "-1" });
  const offlineDone = h(
    "div",
    { class: "cc-offline-done", role: "status", hidden: true },
    offlineDoneText,
    h("button", { type: "button", class: "cc-secondary", text: t("offlineAnother"), on: { click: () => showOfflineForm() } }),
  );
  const offlineView = h("div", { class: "cc-offline-view", hidden: true }, offlineForm, offlineDone);

  const backButton = h("button", { type: "button", class: "cc-back", on: { click: () => closeArticle() } }, icons.back(), h("span", { text: t("back") }));
  const articleTitle = h("h3", { class: "cc-article-title", id: "cc-article-title", tabindex: "-1" });
  const articleBody = h("div", { class: "cc-article-body" });
  const articleLink = h("a", { class: "cc-article-link", target: "_blank", rel: "noopener noreferrer", text: t("openInHelpCenter") });
  const articleView = h("article", { class: "cc-article", "aria-labelledby": "cc-article-title", hidden: true }, backButton, articleTitle, articleBody, articleLink);

  const panel = h("section", { id: "cc-panel", class: "cc-panel", role: "dialog", "aria-labelledby": "cc-title", hidden: true }, header, banner, prechat, offlineView, chatView, articleView);

  root.append(panel, launcher);
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen) {
      event.preventDefault();
      event.stopPropagation();
      if (!emojiPicker.hidden) {
        toggleEmoji(false);
        emojiButton.focus();
      } else if (articleOpen) {
        closeArticle();
      } else {
        close();
      }
    }
  });
  shadow.append(root);
  document.body.append(host);
  applyAccent(root, color);
  showView(view);

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
  // The browser knows before the socket does: queue instead of waiting for a timeout, resume at once when back.
  window.addEventListener("offline", () => {
    if (connection && connection.state !== HubConnectionState.Disconnected) {
      connection.stop().catch(() => {});
    }
    setState("offline", t("bannerOffline"));
  });
  window.addEventListener("online", () => {
    if (session || state !== "idle") {
      retryNow();
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
      if (configLoadedAt && Date.now() - configLoadedAt > 60000) {
        configPromise = null; // Business hours and agents change: look again when the panel reopens.
      }
      loadConfig();
      if (!entries.some((e) => e.kind === "greeting")) {
        showGreeting(session ? session.greeting : null);
      }
      if (session) {
        ensureStarted().catch(() => {});
      }
      scrollToEnd(true);
    }
    if (focus) {
      focusView();
    }
  }

  function focusView() {
    // Phones: do not pop the keyboard up uninvited; the log takes focus instead.
    const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (view === "prechat") {
      (coarse ? prechatSubmit : nameInput).focus({ preventScroll: true });
    } else if (view === "offline") {
      (coarse ? offlineSubmit : offlineName.value ? offlineMessage : offlineName).focus({ preventScroll: true });
    } else if (view === "article") {
      articleTitle.focus({ preventScroll: true });
    } else {
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
    stopTyping();
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
    launcher.setAttribute("aria-label", isOpen ? t("closeChat") : unread > 0 ? t("openChatUnread", { count: unread }) : t("openChat"));
  }

  function showView(next) {
    view = next;
    root.setAttribute("data-view", next);
    prechat.hidden = next !== "prechat";
    offlineView.hidden = next !== "offline";
    chatView.hidden = next !== "chat";
    articleView.hidden = next !== "article";
    updateEndButton();
    updateOfflineNotice();
  }

  // ------------------------------------------------------------ pre-chat

  /** The inbox's name, greeting and topics: fetched once, when the panel first opens. */
  function loadConfig() {
    if (!configPromise) {
      configPromise = fetchConfig(baseUrl, inboxId).then((value) => {
        config = value;
        configLoadedAt = Date.now();
        if (config) {
          if (!title && config.name) {
            titleText.textContent = config.name;
          }
          if (config.greeting) {
            prechatGreeting.textContent = config.greeting;
            if (!session) {
              showGreeting(config.greeting);
            }
          }
          renderTopics(Array.isArray(config.teams) ? config.teams : []);
          applyAvailability(config.availability);
        }
        return config;
      });
    }
    return configPromise;
  }

  function renderTopics(teams) {
    topicSelect.replaceChildren();
    if (teams.length < 2) {
      topicRow.hidden = true; // One topic (or none) is no choice: the inbox's default routing applies.
      return;
    }
    topicSelect.append(h("option", { value: "", text: t("chooseTopic") }));
    for (const team of teams) {
      if (team && isGuid(team.id)) {
        topicSelect.append(h("option", { value: team.id, text: String(team.name || "") }));
      }
    }
    topicSelect.required = true;
    topicRow.hidden = false;
  }

  async function onPrechatSubmit(event) {
    event.preventDefault();
    const name = nameInput.value.trim();
    const email = emailInput.value.trim();
    const teamId = topicRow.hidden ? null : topicSelect.value || null;
    clearFormError(prechatError, [nameInput, emailInput, topicSelect]);
    if (!name) {
      return showFormError(prechatError, t("nameRequired"), nameInput);
    }
    if (email && !isEmail(email)) {
      return showFormError(prechatError, t("emailInvalid"), emailInput);
    }
    if (!topicRow.hidden && !teamId) {
      return showFormError(prechatError, t("topicRequired"), topicSelect);
    }
    prechatSubmit.disabled = true;
    try {
      await ensureSession({ name, teamId, email: email || null });
      showView("chat");
      focusView();
      ensureStarted().catch(() => {});
    } catch (error) {
      showFormError(prechatError, error instanceof SessionError ? error.message : t("cannotConnect"), null);
    } finally {
      prechatSubmit.disabled = false;
    }
  }

  function showFormError(errorEl, message, field) {
    errorEl.textContent = message;
    errorEl.hidden = false;
    if (field) {
      field.setAttribute("aria-invalid", "true");
      if (errorEl.id) {
        field.setAttribute("aria-describedby", errorEl.id);
      }
      field.focus();
    }
  }

  function clearFormError(errorEl, fields) {
    errorEl.hidden = true;
    for (const field of fields) {
      field.removeAttribute("aria-invalid");
    }
  }

  // ------------------------------------------------------------ offline

  /** Live chat or the offline form, as the inbox's business hours and agents say (fetched with the config). */
  function applyAvailability(value) {
    availability = value && typeof value === "object" ? value : null;
    const offline = Boolean(availability && availability.offlineForm);
    root.toggleAttribute("data-offline", offline);
    if (offline) {
      let intro = availability.reason === "closed" ? t("offlineClosed") : t("offlineNoAgents");
      const opensAt = parseDate(availability.opensAt);
      if (availability.reason === "closed" && opensAt) {
        intro += ` ${t("offlineOpensAt", { time: formatOpening(opensAt, locale) })}`;
      }
      offlineIntro.textContent = intro;
      if (view === "prechat") {
        const hadFocus = shadow.activeElement === nameInput;
        showView("offline");
        if (isOpen && hadFocus) {
          focusView();
        }
      }
    } else if (view === "offline" && !session && offlineDone.hidden) {
      showView("prechat");
    }
    if (state === "idle") {
      statusText.textContent = offline ? t("subtitleClosed") : t("subtitleIdle");
    }
    updateOfflineNotice();
  }

  function updateOfflineNotice() {
    offlineNotice.hidden = !(view === "chat" && availability && availability.offlineForm && (chatStatus === "none" || chatStatus === "ended"));
  }

  function openOffline() {
    offlineBack.hidden = !session;
    showOfflineForm();
  }

  function closeOffline() {
    showView(session ? "chat" : "prechat");
    focusView();
  }

  function showOfflineForm() {
    offlineForm.hidden = false;
    offlineDone.hidden = true;
    if (!offlineName.value && session && session.contactName && !/^Visitor /.test(session.contactName)) {
      offlineName.value = session.contactName;
    }
    if (!offlineEmail.value && session && session.email) {
      offlineEmail.value = session.email;
    }
    showView("offline");
    focusView();
  }

  async function onOfflineSubmit(event) {
    event.preventDefault();
    const name = offlineName.value.trim();
    const email = offlineEmail.value.trim();
    const message = offlineMessage.value.trim();
    clearFormError(offlineError, [offlineName, offlineEmail, offlineMessage]);
    if (!name) {
      return showFormError(offlineError, t("nameRequired"), offlineName);
    }
    if (!isEmail(email)) {
      return showFormError(offlineError, t("emailInvalid"), offlineEmail);
    }
    if (!message) {
      return showFormError(offlineError, t("messageRequired"), offlineMessage);
    }
    offlineSubmit.disabled = true;
    offlineSubmit.textContent = t("offlineSending");
    offlineClientId = offlineClientId || newId();
    try {
      const visitor = await ensureSession({ name, teamId: null, email });
      const result = await sendOfflineMessage(baseUrl, visitor.visitorToken, { clientId: offlineClientId, name, email, message });
      offlineClientId = null;
      offlineMessage.value = "";
      rememberEmail(email);
      offlineDoneText.textContent = t("offlineSent", { name, reference: result.reference, email });
      offlineForm.hidden = true;
      offlineDone.hidden = false;
      offlineDoneText.focus({ preventScroll: true });
    } catch (error) {
      const code = (error && error.code) || "";
      const field = code === "validation.offline.name" ? offlineName : code === "validation.offline.email" ? offlineEmail : code === "validation.offline.message" ? offlineMessage : null;
      showFormError(offlineError, error instanceof SessionError ? error.message : t("cannotConnect"), field);
    } finally {
      offlineSubmit.disabled = false;
      offlineSubmit.textContent = t("sendOffline");
    }
  }

  /** The customer's email (pre-chat, offline form or transcript), kept with the session to prefill the next form. */
  function rememberEmail(email) {
    if (session && email && session.email !== email) {
      session = { ...session, email };
      store.save(session);
    }
  }

  // -------------------------------------------------------------- session

  /** The visitor session, renewed when old or refused; shared by every caller in flight. */
  function ensureSession(profile) {
    if (session && !sessionStale && !needsRenewal(session)) {
      return Promise.resolve(session);
    }
    if (!sessionPromise) {
      sessionPromise = startSession(baseUrl, inboxId, session ? session.visitorToken : null, { name: profile ? profile.name : null, identity })
        .then((response) => {
          const fresh = {
            visitorToken: response.visitorToken,
            contactId: response.contactId,
            contactName: response.contactName,
            greeting: response.greeting || null,
            renewedAt: Date.now(),
            teamId: profile ? profile.teamId : session ? session.teamId || null : null,
            email: profile && profile.email ? profile.email : session ? session.email || null : null,
            userId: response.verified && identity ? identity.userId : null,
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
    if (!other || typeof other.visitorToken !== "string" || (other.userId || null) !== (identity ? identity.userId : null)) {
      return;
    }
    if (!session || session.contactId === other.contactId) {
      const first = !session;
      session = other;
      sessionStale = false;
      if (first) {
        showGreeting(other.greeting);
        if (view === "prechat") {
          showView("chat");
        }
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
    connection.on("AgentAssigned", (name) => agentJoined(name, true));
    connection.on("QueueUpdated", (position, seconds) => showQueue(position, seconds));
    connection.on("AgentTyping", (isTyping) => showAgentTyping(Boolean(isTyping)));
    connection.on("ChatEnded", (id) => chatEnded(id, false));
    connection.onreconnecting(() => setState("reconnecting"));
    connection.onreconnected(() => {
      whenConnected();
    });
    connection.onclose(() => {
      typingSent = false;
      if (navigator.onLine === false) {
        setState("offline", t("bannerOffline")); // The "online" event reconnects.
        return;
      }
      setState("offline", t("bannerClosed"));
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
      if (hub.state !== HubConnectionState.Disconnected) {
        await waitForDisconnected(hub);
      }
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
        if (error instanceof SessionError && (error.status === 404 || error.status === 401 || error.status === 403)) {
          setState("unavailable", error.message);
        } else if (isForbidden(error)) {
          setState("unavailable", t("bannerUnavailable"));
        } else {
          setState("offline", error instanceof SessionError ? error.message : t("cannotConnect"));
          if (navigator.onLine !== false) {
            scheduleRestart();
          }
        }
        throw error;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  /** A connection being stopped (going offline) must finish stopping before it can start again. */
  function waitForDisconnected(hub) {
    return new Promise((resolve) => {
      const check = () => (hub.state === HubConnectionState.Disconnected ? resolve() : setTimeout(check, 50));
      check();
    });
  }

  async function whenConnected() {
    setState("online");
    const waiters = connectedWaiters;
    connectedWaiters = [];
    waiters.forEach((w) => w.resolve());
    await loadHistory();
    await loadChatState();
    for (const entry of entries) {
      if (entry.kind === "message" && entry.status === "queued" && entry.queued) {
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

  /** Where the latest chat stands (after a reload or a reconnect): agent, queue, ended and not yet rated. */
  async function loadChatState() {
    let chat;
    try {
      chat = await connection.invoke("GetChatState");
    } catch {
      return;
    }
    if (!chat) {
      return;
    }
    conversationId = chat.conversationId || conversationId;
    if (chat.agentName && !agentName) {
      agentJoined(chat.agentName, false);
    }
    if (chat.status === "ended") {
      setChatStatus("ended");
      if (!chat.rated && chat.conversationId && !rated.has(chat.conversationId)) {
        showRating(chat.conversationId);
        offerTranscript(chat.conversationId);
      }
    } else if (chat.status === "active" || chat.status === "waiting") {
      setChatStatus(chat.status);
    }
  }

  function setState(next, message) {
    state = next;
    root.setAttribute("data-state", next === "online" ? "online" : next === "offline" || next === "unavailable" ? "offline" : "pending");
    const subtitles = {
      idle: t("subtitleIdle"),
      connecting: t("subtitleConnecting"),
      online: agentName && chatStatus === "active" ? t("subtitleWithAgent", { name: agentName }) : t("subtitleOnline"),
      reconnecting: t("subtitleReconnecting"),
      offline: t("subtitleOffline"),
      unavailable: t("subtitleUnavailable"),
    };
    statusText.textContent = subtitles[next] || "";
    if (next === "reconnecting") {
      showBanner(t("bannerReconnecting"), false);
    } else if (next === "offline") {
      showBanner(message || t("bannerOffline"), navigator.onLine !== false);
    } else if (next === "unavailable") {
      showBanner(message || t("bannerUnavailable"), false);
    } else {
      banner.hidden = true;
    }
    const disabled = next === "unavailable";
    input.disabled = disabled;
    sendButton.disabled = disabled;
    attachButton.disabled = disabled;
  }

  function showBanner(text, withRetry) {
    bannerText.textContent = text;
    bannerButton.hidden = !withRetry;
    banner.hidden = false;
  }

  // ------------------------------------------------------ chat lifecycle

  function setChatStatus(next) {
    chatStatus = next;
    root.setAttribute("data-chat", next);
    if (next !== "waiting") {
      queueStatus.hidden = true;
    }
    if (next === "ended") {
      showAgentTyping(false);
      hideEndConfirm(false);
    }
    if (next === "active") {
      hideSuggestions();
    }
    updateEndButton();
    updateOfflineNotice();
    updateAvatar();
    if (state === "online") {
      setState("online");
    }
  }

  function updateEndButton() {
    endButton.hidden = view === "prechat" || !(chatStatus === "waiting" || chatStatus === "active");
  }

  function showQueue(position, seconds) {
    if (chatStatus === "active" || chatStatus === "ended" || !(position > 0)) {
      queueStatus.hidden = true;
      return;
    }
    if (chatStatus === "none") {
      setChatStatus("waiting");
    }
    queueText.textContent = t("queue", { position });
    const wait = Number(seconds) || 0;
    queueWait.textContent = wait > 0 ? t("queueWait", { wait: wait < 60 ? t("underMinute") : t("aboutMinutes", { minutes: Math.round(wait / 60) }) }) : "";
    queueStatus.hidden = false;
  }

  function showAgentTyping(isTyping) {
    clearTimeout(agentTypingTimer);
    if (!isTyping || chatStatus === "ended") {
      typing.hidden = true;
      return;
    }
    const label = t("typing", { name: agentName || t("someone") });
    typingText.textContent = label;
    typing.lastChild.textContent = label;
    const nearBottom = isNearBottom();
    typing.hidden = false;
    scrollToEnd(nearBottom);
    agentTypingTimer = setTimeout(() => {
      typing.hidden = true;
    }, AGENT_TYPING_TIMEOUT_MS);
  }

  function askEndChat() {
    endConfirm.hidden = false;
    endConfirmYes.focus();
  }

  function hideEndConfirm(refocus) {
    endConfirm.hidden = true;
    if (refocus) {
      input.focus();
    }
  }

  async function endChat() {
    hideEndConfirm(false);
    endConfirmYes.disabled = true;
    endingLocally = true;
    try {
      await ensureStarted();
      const result = await connection.invoke("EndChat");
      if (result && result.conversationId) {
        chatEnded(result.conversationId, true);
      }
    } catch (error) {
      const refused = parseHubError(error);
      showBanner(refused ? refused.message : t("cannotConnect"), false);
    } finally {
      endConfirmYes.disabled = false;
      endingLocally = false;
    }
  }

  /** The chat ended (the customer's own End chat, or pushed when an agent resolved it): offer the rating once. */
  function chatEnded(id, byCustomer) {
    if (!id) {
      return;
    }
    byCustomer = byCustomer || endingLocally;
    const already = chatStatus === "ended" && conversationId === id;
    conversationId = id;
    setChatStatus("ended");
    if (already) {
      return;
    }
    const nearBottom = isNearBottom();
    insertEntry({ kind: "note", text: byCustomer ? t("youEnded") : t("chatEnded"), createdAt: new Date() });
    if (!rated.has(id)) {
      showRating(id);
    }
    offerTranscript(id);
    scrollToEnd(nearBottom || byCustomer);
  }

  function showRating(id) {
    if (entries.some((e) => e.kind === "rating" && e.conversationId === id)) {
      return;
    }
    insertEntry({ kind: "rating", conversationId: id, createdAt: new Date(), score: 0, sent: false });
    scrollToEnd(true);
  }

  /** After a chat: "Email me a copy of this chat" (when the inbox can send email), prefilled with the customer's email. */
  function offerTranscript(id) {
    loadConfig().then(() => {
      if (!availability || !availability.transcripts || entries.some((e) => e.kind === "transcript" && e.conversationId === id)) {
        return;
      }
      const nearBottom = isNearBottom();
      insertEntry({ kind: "transcript", conversationId: id, createdAt: new Date(), sentTo: null });
      scrollToEnd(nearBottom);
    });
  }

  function renderTranscript(entry, el) {
    el.setAttribute("class", "cc-item cc-item--rating cc-item--transcript");
    if (entry.sentTo) {
      el.append(h("div", { class: "cc-rating cc-rating--done", role: "status", text: t("transcriptSent", { email: entry.sentTo }) }));
      return;
    }
    const fieldId = `cc-transcript-${entry.conversationId}`;
    const prefill = (session && session.email) || offlineEmail.value.trim() || emailInput.value.trim() || null;
    const email = h("input", { id: fieldId, class: "cc-field", type: "email", name: "email", autocomplete: "email", inputmode: "email", maxlength: "254", value: prefill });
    const error = h("p", { class: "cc-form-error", id: `${fieldId}-error`, role: "alert", hidden: true });
    const submit = h("button", { type: "submit", class: "cc-secondary cc-small", text: t("transcriptSend") });
    const send = async (event) => {
      event.preventDefault();
      const address = email.value.trim();
      clearFormError(error, [email]);
      if (!isEmail(address)) {
        return showFormError(error, t("emailInvalid"), email);
      }
      submit.disabled = true;
      try {
        await ensureStarted();
        await connection.invoke("RequestTranscript", entry.conversationId, address, locale);
        entry.sentTo = address;
        rememberEmail(address);
        render(entry);
      } catch (failure) {
        const refused = parseHubError(failure);
        showFormError(error, refused ? refused.message : t("transcriptFailed"), refused && refused.code.endsWith(".email") ? email : null);
        submit.disabled = false;
      }
    };
    el.append(
      h(
        "form",
        { class: "cc-rating cc-transcript", novalidate: true, on: { submit: send } },
        h("label", { class: "cc-rating-title", for: fieldId, text: t("transcriptTitle") }),
        h("div", { class: "cc-transcript-row" }, email, submit),
        error,
      ),
    );
  }

  function renderRating(entry, el) {
    el.setAttribute("class", "cc-item cc-item--rating");
    if (entry.sent) {
      el.append(h("div", { class: "cc-rating cc-rating--done", role: "status", text: t("rateThanks") }));
      return;
    }
    const stars = [];
    const error = h("p", { class: "cc-form-error", role: "alert", hidden: true });
    const comment = h("textarea", { class: "cc-field cc-rating-comment", rows: "2", maxlength: "1000", placeholder: t("ratePlaceholder"), "aria-label": t("rateComment") });
    const submit = h("button", { type: "submit", class: "cc-primary cc-small", text: t("rateSubmit") });
    const choose = (score) => {
      entry.score = score;
      stars.forEach((star, index) => {
        star.setAttribute("aria-checked", String(index + 1 === score));
        star.setAttribute("data-on", index < score ? "true" : "false");
        star.tabIndex = index + 1 === (score || 1) ? 0 : -1;
      });
    };
    for (let score = 1; score <= 5; score += 1) {
      const star = h("button", {
        type: "button",
        class: "cc-star",
        role: "radio",
        "aria-checked": "false",
        "aria-label": t("rateStars", { rating: score }),
        title: t("rateStars", { rating: score }),
        "data-score": String(score),
        text: "★",
        on: {
          click: () => choose(score),
          keydown: (event) => {
            const step = event.key === "ArrowRight" || event.key === "ArrowUp" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowDown" ? -1 : 0;
            if (step) {
              event.preventDefault();
              const next = Math.min(5, Math.max(1, (entry.score || score) + step));
              choose(next);
              stars[next - 1].focus();
            }
          },
        },
      });
      stars.push(star);
    }
    const form = h(
      "form",
      {
        class: "cc-rating",
        novalidate: true,
        on: {
          submit: async (event) => {
            event.preventDefault();
            if (!(entry.score >= 1 && entry.score <= 5)) {
              error.textContent = t("rateChoose");
              error.hidden = false;
              return;
            }
            submit.disabled = true;
            error.hidden = true;
            try {
              await ensureStarted();
              await connection.invoke("RateConversation", entry.score, comment.value.trim() || null);
              entry.sent = true;
              rated.add(entry.conversationId);
              writeList(ratedKey, Array.from(rated).slice(-20));
              render(entry);
            } catch (failure) {
              const refused = parseHubError(failure);
              error.textContent = refused ? refused.message : t("rateFailed");
              error.hidden = false;
              submit.disabled = false;
            }
          },
        },
      },
      h("p", { class: "cc-rating-title", id: `cc-rate-${entry.conversationId}`, text: t("rateTitle") }),
      h("div", { class: "cc-stars", role: "radiogroup", "aria-labelledby": `cc-rate-${entry.conversationId}` }, ...stars),
      comment,
      error,
      submit,
    );
    choose(entry.score || 0);
    el.append(form);
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
    stopTyping();
    hideSuggestions();
    // Writing after the chat ended starts again: an unsent rating card makes way.
    if (chatStatus === "ended") {
      for (const entry of entries.filter((e) => (e.kind === "rating" && !e.sent) || (e.kind === "transcript" && !e.sentTo))) {
        removeEntry(entry);
      }
      setChatStatus(agentName ? "active" : "waiting");
    } else if (chatStatus === "none") {
      setChatStatus("waiting");
    }
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

  /**
   * Sends (or re-sends, with the same client message id: the server dedupes) one message. Messages go out one at a
   * time, in the order they were typed: a message typed while the connection is still finishing its start (history,
   * chat state) must not overtake the one that started it.
   */
  function deliver(entry) {
    if (entry.sendingNow || entry.waitingTurn) {
      return sendChain; // Already on its way (a reconnect and a retry click can coincide).
    }
    clearTimeout(entry.retryTimer);
    entry.waitingTurn = true;
    entry.status = "sending";
    entry.error = null;
    renderMeta(entry);
    sendChain = sendChain.then(() => {
      entry.waitingTurn = false;
      return deliverNow(entry);
    }).catch(() => {}); // deliverNow reports its own failures on the entry; the next message still goes.
    return sendChain;
  }

  async function deliverNow(entry) {
    if (entry.sendingNow) {
      return;
    }
    clearTimeout(entry.retryTimer);
    entry.sendingNow = true;
    entry.status = "sending";
    entry.error = null;
    entry.errorCode = null;
    entry.queued = false;
    renderMeta(entry);
    try {
      if (navigator.onLine === false) {
        throw new Error("offline");
      }
      await ensureStarted();
      if (entry.file && !entry.uploaded) {
        const uploaded = await uploadFile(baseUrl, session.visitorToken, entry.file);
        entry.uploaded = [{ key: uploaded.key, fileName: uploaded.fileName }];
        entry.attachments = [{ fileName: uploaded.fileName, contentType: uploaded.contentType, sizeBytes: uploaded.sizeBytes, url: uploaded.url, localUrl: entry.attachments[0].localUrl }];
      }
      const result = await connection.invoke("SendMessage", {
        clientMessageId: entry.clientMessageId,
        text: entry.text,
        teamId: session && session.teamId ? session.teamId : null,
        attachments: entry.uploaded || null,
      });
      if (result && result.messageId && !entry.id) {
        entry.id = result.messageId;
        byId.set(entry.id, entry);
      }
      if (result && result.conversationId) {
        conversationId = result.conversationId;
      }
      entry.status = "sent";
      if (!entry.createdAt) {
        entry.createdAt = new Date();
        reposition(entry);
      }
    } catch (error) {
      const refused = parseHubError(error);
      entry.errorCode = refused ? refused.code : null;
      if (refused && refused.code === "rate_limited") {
        // Over the per-visitor limit: nothing was stored; send again once the window has moved on.
        const seconds = Number((/(\d+)\s*s\b/.exec(refused.message) || [])[1]) || 5;
        entry.status = "queued";
        entry.error = t("tooMany");
        entry.retryTimer = setTimeout(() => deliver(entry), seconds * 1000 + Math.floor(Math.random() * 500));
      } else if (!refused && state !== "unavailable" && !(error instanceof SessionError && error.status >= 400)) {
        // Not delivered (offline, reconnecting): kept and sent again automatically once connected.
        entry.status = "queued";
        entry.queued = true;
        entry.error = t("notSentYet");
      } else {
        entry.status = "failed";
        entry.error = refused ? refused.message : error instanceof SessionError ? error.message : t("notSent");
        if (entry.file && !entry.uploaded) {
          // The server refused the file itself (type or size): show it as a plain name, offer to remove it.
          entry.refusedFile = true;
          entry.attachments = [{ fileName: entry.file.name || "file", contentType: "", sizeBytes: entry.file.size, url: null, localUrl: null }];
          render(entry);
        }
      }
    } finally {
      entry.sendingNow = false;
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
        clearTimeout(known.retryTimer);
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
      automated: Boolean(message.automated),
      authorName: String(message.authorName || ""),
      text: String(message.text ?? ""),
      attachments: Array.isArray(message.attachments) ? message.attachments : [],
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
      anchorJoinNote(entry);
      showAgentTyping(false);
      if (isOpen) {
        markSeen();
      } else if (!createdAt || createdAt.getTime() > lastSeen) {
        unread += 1;
        updateLauncher();
      }
    }
  }

  /** The agent's reply was stored before "X joined the chat" reached us (assigned by answering): the note goes just before it. */
  function anchorJoinNote(reply) {
    const note = entries.find((e) => e.kind === "note" && e.joinedFor === reply.authorName && reply.createdAt && e.createdAt > reply.createdAt);
    if (note && !entries.some((e) => e.kind === "message" && !e.fromCustomer && e !== reply && e.authorName === reply.authorName && e.createdAt && e.createdAt < note.createdAt && e.createdAt > reply.createdAt)) {
      note.createdAt = new Date(reply.createdAt.getTime() - 1);
      reposition(note);
    }
  }

  function agentJoined(name, announce) {
    const joined = String(name || "").trim() || t("anAgent");
    if (joined === agentName && chatStatus === "active") {
      return; // Already announced (the server may repeat it when the conversation is updated).
    }
    const changed = joined !== agentName;
    agentName = joined;
    updateAvatar();
    setChatStatus("active");
    if (announce && changed) {
      // An agent who answers first is assigned by answering: the note goes just before their first reply.
      let at = new Date();
      const lastCustomer = entries.filter((e) => e.kind === "message" && e.fromCustomer && e.createdAt).pop();
      const firstReply = entries.find(
        (e) => e.kind === "message" && !e.fromCustomer && e.authorName === joined && e.createdAt && (!lastCustomer || e.createdAt > lastCustomer.createdAt),
      );
      if (firstReply && firstReply.createdAt < at) {
        at = new Date(firstReply.createdAt.getTime() - 1);
      }
      const nearBottom = isNearBottom();
      insertEntry({ kind: "note", text: t("joined", { name: agentName }), createdAt: at, joinedFor: agentName });
      scrollToEnd(nearBottom);
    }
  }

  function showGreeting(text) {
    const greeting = String(text || (config && config.greeting) || "").trim() || t("greeting");
    prechatGreeting.textContent = greeting;
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
    agentName = "";
    conversationId = null;
    setChatStatus("none");
    updateLauncher();
  }

  // ----------------------------------------------------------- attachments

  /** Each chosen file goes out as its own message: checked here for size and type (and again, by content, on the server). */
  function onFilesChosen() {
    const chosen = Array.from(fileInput.files || []);
    fileInput.value = "";
    for (const file of chosen.slice(0, 5)) {
      const name = file.name || "file";
      if (file.size > MAX_UPLOAD_BYTES) {
        insertEntry({ kind: "note", text: t("fileTooLarge", { name, size: MAX_UPLOAD_BYTES / (1024 * 1024) }), createdAt: new Date() });
        scrollToEnd(true);
        continue;
      }
      if (file.type && !ACCEPTED_FILES.split(",").includes(file.type)) {
        insertEntry({ kind: "note", text: t("fileType", { name }), createdAt: new Date() });
        scrollToEnd(true);
        continue;
      }
      if (chatStatus === "none" || chatStatus === "ended") {
        setChatStatus(chatStatus === "ended" && agentName ? "active" : "waiting");
      }
      const isImage = /^image\//.test(file.type);
      const entry = {
        kind: "message",
        id: null,
        clientMessageId: newId(),
        fromCustomer: true,
        authorName: "",
        text: "",
        file,
        uploaded: null,
        attachments: [{ fileName: name, contentType: file.type, sizeBytes: file.size, url: null, localUrl: isImage ? URL.createObjectURL(file) : null }],
        createdAt: null,
        status: "sending",
      };
      byClientId.set(entry.clientMessageId, entry);
      insertEntry(entry);
      scrollToEnd(true);
      deliver(entry);
    }
  }

  /** An image (fetched with the visitor token, shown from a blob URL) or a document link; names are text, never markup. */
  function renderAttachment(attachment) {
    const name = String(attachment.fileName || "file");
    const type = String(attachment.contentType || "");
    const open = async (event) => {
      event.preventDefault();
      const url = await resolveFileUrl(attachment).catch(() => null);
      if (url) {
        window.open(url, "_blank", "noopener");
      }
    };
    if (type.startsWith("image/")) {
      const img = h("img", { class: "cc-attachment-image", alt: name });
      resolveFileUrl(attachment)
        .then((url) => img.setAttribute("src", url))
        .catch(() => img.setAttribute("alt", `${name} (${t("fileUnavailable")})`));
      return h("a", { href: "#", class: "cc-attachment cc-attachment--image", "aria-label": t("openFile", { name }), on: { click: open } }, img);
    }
    return h(
      "a",
      { href: "#", class: "cc-attachment cc-attachment--file", "aria-label": t("openFile", { name }), on: { click: open } },
      icons.article(),
      h("span", { class: "cc-attachment-name", text: name }),
      h("span", { class: "cc-attachment-size", text: formatSize(Number(attachment.sizeBytes) || 0) }),
    );
  }

  const fileUrls = new Map();
  function resolveFileUrl(attachment) {
    if (attachment.localUrl) {
      return Promise.resolve(attachment.localUrl);
    }
    if (!attachment.url) {
      return Promise.reject(new Error("no url"));
    }
    if (!fileUrls.has(attachment.url)) {
      const pending = ensureSession().then((s) => fetchFileUrl(baseUrl, s.visitorToken, attachment.url));
      pending.catch(() => fileUrls.delete(attachment.url));
      fileUrls.set(attachment.url, pending);
    }
    return fileUrls.get(attachment.url);
  }

  // ------------------------------------------------- typing and self-service

  function onInput() {
    autosize();
    const text = input.value.trim();
    if (text) {
      startTyping();
    } else {
      stopTyping();
    }
    scheduleSuggestions(text);
  }

  /** Tells the agent the customer is typing: once when it starts, once when it stops (idle, sent or blurred). */
  function startTyping() {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
    if (!typingSent && connection && connection.state === HubConnectionState.Connected && conversationId && chatStatus !== "ended") {
      typingSent = true;
      connection.send("Typing", true).catch(() => {
        typingSent = false;
      });
    }
  }

  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingSent) {
      typingSent = false;
      if (connection && connection.state === HubConnectionState.Connected) {
        connection.send("Typing", false).catch(() => {});
      }
    }
  }

  /** While no agent has the chat, articles matching the question are offered (debounced). */
  function scheduleSuggestions(text) {
    clearTimeout(suggestTimer);
    if (text.length < SUGGEST_MIN_LENGTH || chatStatus === "active") {
      hideSuggestions();
      return;
    }
    suggestTimer = setTimeout(() => loadSuggestions(text), SUGGEST_DELAY_MS);
  }

  async function loadSuggestions(text) {
    if (text === lastSuggestQuery && !suggestions.hidden) {
      return;
    }
    lastSuggestQuery = text;
    if (suggestAbort) {
      suggestAbort.abort();
    }
    const abort = (suggestAbort = typeof AbortController === "function" ? new AbortController() : null);
    let hits;
    try {
      hits = await searchArticles(baseUrl, text, locale, 3, abort ? abort.signal : undefined);
    } catch {
      return; // Aborted or offline: suggestions are a nicety.
    }
    if (abort !== suggestAbort || input.value.trim() !== text) {
      return;
    }
    suggestionList.replaceChildren();
    for (const hit of hits.slice(0, 3)) {
      if (!hit || !hit.slug || !hit.title) {
        continue;
      }
      suggestionList.append(
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "cc-suggestion", "aria-label": t("readArticle", { title: hit.title }), on: { click: () => openArticle(hit) } },
            icons.article(),
            h("span", { text: String(hit.title) }),
          ),
        ),
      );
    }
    suggestions.hidden = suggestionList.childElementCount === 0;
  }

  function hideSuggestions() {
    clearTimeout(suggestTimer);
    lastSuggestQuery = "";
    suggestions.hidden = true;
    suggestionList.replaceChildren();
  }

  async function openArticle(hit) {
    articleOpen = hit;
    articleTitle.textContent = String(hit.title || "");
    articleBody.replaceChildren(h("p", { class: "cc-muted", text: t("loading") }));
    const helpUrl = safeUrl(hit.url, baseUrl);
    articleLink.hidden = !helpUrl;
    if (helpUrl) {
      articleLink.setAttribute("href", helpUrl);
    }
    showView("article");
    articleTitle.focus({ preventScroll: true });
    let article = null;
    try {
      article = await fetchArticle(baseUrl, hit.locale || locale, hit.slug);
    } catch {
      article = null;
    }
    if (articleOpen !== hit) {
      return;
    }
    if (!article) {
      articleBody.replaceChildren(h("p", { class: "cc-form-error", text: t("articleError") }));
      return;
    }
    articleTitle.textContent = String(article.title || hit.title || "");
    articleBody.replaceChildren(renderArticleHtml(article.html, baseUrl));
    articleBody.scrollTop = 0;
  }

  function closeArticle() {
    articleOpen = null;
    showView("chat");
    input.focus({ preventScroll: true });
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

  function removeEntry(entry) {
    const index = entries.indexOf(entry);
    if (index >= 0) {
      entries.splice(index, 1);
    }
    if (entry.el) {
      entry.el.remove();
    }
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
    if (entry.kind === "rating") {
      renderRating(entry, el);
      return el;
    }
    if (entry.kind === "transcript") {
      renderTranscript(entry, el);
      return el;
    }
    const mine = entry.kind === "message" && entry.fromCustomer;
    el.setAttribute("class", `cc-item ${entry.kind === "greeting" ? "cc-item--greeting" : mine ? "cc-item--customer" : "cc-item--agent"}`);
    if (entry.kind === "message") {
      el.setAttribute("data-message", "");
    }
    if (mine) {
      el.append(h("span", { class: "cc-sr-only", text: t("you") }));
    } else if (entry.authorName) {
      el.append(h("span", { class: "cc-author", text: entry.authorName }));
    }
    const bubble = h("div", { class: "cc-bubble" });
    for (const attachment of entry.attachments || []) {
      bubble.append(renderAttachment(attachment));
    }
    if (entry.text) {
      appendLinkified(bubble, entry.text);
    }
    el.append(bubble);
    if (entry.automated) {
      // The assistant is labelled as automated, and a person is always one click away.
      el.append(h("span", { class: "cc-meta", text: t("automated") }));
      const human = h("button", { type: "button", class: "cc-chip", "data-talk-to-human": "", text: t("talkToHuman") });
      human.addEventListener("click", () => {
        input.value = t("talkToHumanText");
        onSubmit({ preventDefault() {} });
      });
      el.append(human);
    }
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
      slot.append(h("div", { class: "cc-meta", "aria-hidden": "true", text: entry.file && !entry.uploaded ? t("uploading") : t("sending") }));
    } else if (entry.status === "queued") {
      slot.append(
        h(
          "div",
          { class: "cc-queued" },
          h("span", { text: entry.error || t("notSentYet") }),
          h("button", { type: "button", text: t("retry"), "aria-label": t("retryLabel"), on: { click: () => deliver(entry) } }),
        ),
      );
    } else if (entry.status === "failed") {
      const validation = Boolean(entry.errorCode && entry.errorCode.startsWith("validation."));
      slot.append(
        h(
          "div",
          { class: "cc-failure" },
          h("span", { text: entry.error || t("notSent") }),
          entry.refusedFile
            ? h("button", { type: "button", text: t("remove"), "aria-label": t("removeLabel"), on: { click: () => editFailed(entry) } })
            : h("button", { type: "button", text: t("retry"), "aria-label": t("retryLabel"), on: { click: () => deliver(entry) } }),
          validation && !entry.file && h("button", { type: "button", text: t("edit"), "aria-label": t("editLabel"), on: { click: () => editFailed(entry) } }),
        ),
      );
    } else if (entry.createdAt) {
      const time = h("time", { class: "cc-meta", datetime: entry.createdAt.toISOString(), title: entry.createdAt.toLocaleString(locale), "aria-hidden": "true" });
      time.textContent = formatTime(entry.createdAt, locale);
      slot.append(time);
    }
    scrollToEnd(nearBottom && entry === entries[entries.length - 1]);
  }

  /** Takes a refused message back into the composer (a new message once sent again). */
  function editFailed(entry) {
    removeEntry(entry);
    byClientId.delete(entry.clientMessageId);
    if (entry.file) {
      return;
    }
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
    reportRead();
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

  function toggleEmoji(show = emojiPicker.hidden) {
    emojiPicker.hidden = !show;
    emojiButton.setAttribute("aria-expanded", String(show));
    if (show) {
      emojiPicker.firstElementChild.focus();
    }
  }

  function insertEmoji(emoji) {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    input.value = input.value.slice(0, start) + emoji + input.value.slice(end);
    toggleEmoji(false);
    input.focus();
    input.setSelectionRange(start + emoji.length, start + emoji.length);
    onInput();
  }

  function updateAvatar() {
    const withAgent = Boolean(agentName && chatStatus === "active");
    if (headerAvatar.hasAttribute("data-agent") === withAgent && (!withAgent || headerAvatar.textContent === initials(agentName))) {
      return;
    }
    if (withAgent) {
      headerAvatar.setAttribute("data-agent", "");
      headerAvatar.textContent = initials(agentName);
    } else {
      headerAvatar.removeAttribute("data-agent");
      headerAvatar.replaceChildren(icons.support());
    }
  }

  /** Read receipts: while the panel is open and the page visible, the agents learn the customer saw their latest reply. */
  let readReported = null;
  function reportRead() {
    if (!isOpen || document.visibilityState === "hidden" || !connection || connection.state !== HubConnectionState.Connected) {
      return;
    }
    const latest = entries.filter((e) => e.kind === "message" && !e.fromCustomer && e.id).pop();
    if (!latest || latest.id === readReported) {
      return;
    }
    readReported = latest.id;
    connection.invoke("MarkRead", latest.id).catch(() => {
      readReported = null; // Sent again with the next message or when the panel opens.
    });
  }
  document.addEventListener("visibilitychange", () => reportRead());

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
    get locale() {
      return locale;
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

/** "AM" for Alice Martin, "王" for 王芳 (one letter for names without spaces). */
function initials(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts.slice(0, 1);
  return letters.map((p) => Array.from(p)[0].toUpperCase()).join("");
}

function parseDate(value) {
  if (!value) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function formatTime(date, locale) {
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" })
    : date.toLocaleString(locale, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

/** "Mon 9:00 AM" (or the date when it is more than a week away). */
function formatOpening(date, locale) {
  const soon = date.getTime() - Date.now() < 6 * 24 * 3600 * 1000;
  return soon
    ? date.toLocaleString(locale, { weekday: "long", hour: "numeric", minute: "2-digit" })
    : date.toLocaleString(locale, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

function formatSize(bytes) {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function readNumber(key) {
  try {
    return Number(window.localStorage.getItem(key)) || 0;
  } catch {
    return 0;
  }
}

function readList(key) {
  try {
    const value = JSON.parse(window.localStorage.getItem(key) || "[]");
    return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function writeList(key, values) {
  try {
    window.localStorage.setItem(key, JSON.stringify(values));
  } catch {
    // Not essential: the server refuses a second rating anyway.
  }
}
