// Small DOM helpers. Nothing here parses HTML: every string becomes a text node or an
// attribute value, so message text from customers or agents can never inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Creates an element. `props` keys: `class`, `text` (textContent), `on` (event map);
 * any other key is set as an attribute (skipped when null/undefined/false).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

function applyProps(el, props) {
  if (!props) {
    return;
  }
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === "text") {
      el.textContent = String(value);
    } else if (key === "on") {
      for (const [event, handler] of Object.entries(value)) {
        el.addEventListener(event, handler);
      }
    } else if (key === "class") {
      el.setAttribute("class", value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

/**
 * An inline icon from SVG path data (decorative: hidden from assistive technology).
 * @param {string[]} paths
 */
export function icon(paths) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

export const icons = {
  smile: () => icon(["M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20Z", "M8 14s1.5 2 4 2 4-2 4-2", "M9 9h.01", "M15 9h.01"]),
  chat: () => icon(["M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z", "M8.5 12h.01", "M12 12h.01", "M15.5 12h.01"]),
  close: () => icon(["M18 6 6 18", "M6 6l12 12"]),
  send: () => icon(["M22 2 11 13", "M22 2 15 22l-4-9-9-4 20-7Z"]),
  attach: () => icon(["M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5"]),
  back: () => icon(["M15 18l-6-6 6-6"]),
  article: () => icon(["M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9Z", "M14 3v6h6", "M8 13h8", "M8 17h5"]),
  support: () => icon(["M3 14v-2a9 9 0 0 1 18 0v2", "M21 15a2 2 0 0 1-2 2h-1v-6h1a2 2 0 0 1 2 2Z", "M3 15a2 2 0 0 0 2 2h1v-6H5a2 2 0 0 0-2 2Z", "M18 17v1a3 3 0 0 1-3 3h-3"]),
};

// http(s) URLs, and bare www. addresses. Trailing punctuation is trimmed below.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const TRAILING = /[.,;:!?'")\]}>]+$/;

/**
 * Appends `text` to `parent` as text nodes, turning http(s) links into anchors that open in a
 * new tab without giving the opened page a handle on this one. Never uses innerHTML.
 * @param {Node} parent
 * @param {string} text
 */
export function appendLinkified(parent, text) {
  const value = String(text ?? "");
  let last = 0;
  URL_PATTERN.lastIndex = 0;
  for (let match = URL_PATTERN.exec(value); match; match = URL_PATTERN.exec(value)) {
    let raw = match[0];
    const trailing = TRAILING.exec(raw);
    if (trailing) {
      const cut = trailing[0];
      raw = raw.slice(0, raw.length - cut.length);
      // A ")" that closes a "(" inside the URL belongs to it (https://en.wikipedia.org/wiki/Foo_(bar)).
      if (cut[0] === ")" && count(raw, "(") > count(raw, ")")) {
        raw += ")";
      }
    }
    const href = safeHref(raw);
    if (!href) {
      continue;
    }
    if (match.index > last) {
      parent.append(document.createTextNode(value.slice(last, match.index)));
    }
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    anchor.textContent = raw;
    parent.append(anchor);
    last = match.index + raw.length;
    URL_PATTERN.lastIndex = last;
  }
  if (last < value.length) {
    parent.append(document.createTextNode(value.slice(last)));
  }
}

function count(text, char) {
  return text.split(char).length - 1;
}

/** The absolute href for a link candidate, or null when it is not a plain http(s) URL. */
export function safeHref(raw) {
  try {
    const url = new URL(/^www\./i.test(raw) ? `https://${raw}` : raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
