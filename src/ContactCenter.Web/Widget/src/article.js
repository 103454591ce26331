// Renders a knowledge-base article's HTML (already sanitised by the server) through a second,
// client-side allowlist: the HTML is parsed into an inert document (DOMParser runs no scripts
// and loads nothing), then only known-safe elements are rebuilt with createElement, with their
// text as text nodes. Attributes are dropped except a checked href (http/https, or relative to
// the help center) and img src/alt. Anything else — scripts, styles, event handlers, iframes,
// forms, javascript: URLs — never reaches the widget's DOM.

const BLOCK = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "figure", "figcaption", "dl", "dt", "dd"]);
const INLINE = new Set(["a", "strong", "b", "em", "i", "code", "mark", "span", "small", "sub", "sup", "del", "kbd", "img"]);
const DROP_WITH_CONTENT = new Set(["script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math", "form", "input", "button", "select", "textarea", "head", "title", "meta", "link"]);

/**
 * @param {string} html the article body
 * @param {string} baseUrl the ContactCenter server (relative links point at its help center)
 * @returns {DocumentFragment}
 */
export function renderArticleHtml(html, baseUrl) {
  const fragment = document.createDocumentFragment();
  const parsed = new DOMParser().parseFromString(String(html ?? ""), "text/html");
  copyChildren(parsed.body, fragment, baseUrl, 0);
  return fragment;
}

function copyChildren(from, to, baseUrl, depth) {
  if (depth > 32) {
    return;
  }
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.append(document.createTextNode(node.nodeValue || ""));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) {
      continue; // comments, processing instructions
    }
    const tag = node.localName;
    if (DROP_WITH_CONTENT.has(tag)) {
      continue;
    }
    if (!BLOCK.has(tag) && !INLINE.has(tag)) {
      copyChildren(node, to, baseUrl, depth + 1); // Unknown wrapper (div, section…): keep its content only.
      continue;
    }
    const copy = document.createElement(tag === "h1" || tag === "h2" ? "h4" : tag === "h3" ? "h5" : tag);
    if (tag === "a") {
      const href = safeUrl(node.getAttribute("href"), baseUrl);
      if (href) {
        copy.setAttribute("href", href);
        copy.setAttribute("target", "_blank");
        copy.setAttribute("rel", "noopener noreferrer");
      }
    } else if (tag === "img") {
      const src = safeUrl(node.getAttribute("src"), baseUrl);
      if (!src) {
        continue;
      }
      copy.setAttribute("src", src);
      copy.setAttribute("alt", node.getAttribute("alt") || "");
      copy.setAttribute("loading", "lazy");
      copy.setAttribute("referrerpolicy", "no-referrer");
    } else if ((tag === "td" || tag === "th") && /^\d{1,2}$/.test(node.getAttribute("colspan") || "")) {
      copy.setAttribute("colspan", node.getAttribute("colspan"));
    }
    copyChildren(node, copy, baseUrl, depth + 1);
    to.append(copy);
  }
}

/** An absolute http(s) URL, or null. Relative URLs resolve against the ContactCenter server. */
export function safeUrl(raw, baseUrl) {
  if (!raw) {
    return null;
  }
  try {
    const url = new URL(raw, baseUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
