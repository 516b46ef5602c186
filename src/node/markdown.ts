import { Marked, type MarkedToken, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

/** A Markdown body rendered for the site. */
export interface RenderedMarkdown {
  /** Sanitised HTML, safe to insert into a page as is. */
  readonly html: string;
  /** Checklist items found (`- [ ]` / `- [x]`), for progress. */
  readonly checklist: { readonly done: number; readonly total: number };
  /** Plain text (for search snippets and feeds), whitespace collapsed. */
  readonly text: string;
}

/** Where the rendered HTML will live, so links in it can point at the right pages. */
export interface RenderOptions {
  /** Base URL of the site ("/" or "/repo/"); relative links and images in the body that point at tracker files (e.g. ../../files/x.png, files/x.pdf) are rewritten to `${base}files/...`. */
  readonly base?: string;
  /** Resolves `WEB-12`-style task ids in text to links (only ids this returns a URL for); default none. */
  readonly taskUrl?: (id: string) => string | undefined;
}

// A fresh instance: extensions someone registers on the global `marked` never reach the site
const markdownParser = new Marked({ gfm: true, breaks: false, async: false });

/** A task id standing alone in text: not part of a longer word, path or id. */
const TASK_ID_IN_TEXT = /(?<![\w/-])[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*(?![\w/-])/g;
/** A relative link to a task file (`WEB-12.md`, `../tasks/WEB-12-checkout.md#notes`). */
const TASK_FILE_LINK = /^(?:[^?#]*\/)?([A-Z][A-Z0-9]{1,9}-[1-9][0-9]*)(?:-[^/?#]*)?\.md(?:#.*)?$/;
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Characters browsers drop from URLs (spaces and controls), which hide a scheme from naive checks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const IGNORED_IN_URL = /[\u0000-\u0020\u007f]+/g;
const LINK_SCHEMES = ["http", "https", "mailto"];
const IMAGE_SCHEMES = ["http", "https"];
const LINK_REL = "noopener noreferrer nofollow";

/** What may appear in rendered Markdown; everything else is dropped (text inside kept). */
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "input",
    "pre",
    "code",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "hr",
    "br",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title", "loading"],
    input: [
      { name: "type", values: ["checkbox"] },
      "checked",
      "disabled",
      { name: "aria-label", values: ["done", "not done"] },
    ],
    ol: ["start"],
    th: [{ name: "align", values: ["left", "center", "right"] }],
    td: [{ name: "align", values: ["left", "center", "right"] }],
  },
  allowedClasses: { code: [/^language-[\w+#.-]+$/] },
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: { img: IMAGE_SCHEMES },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
};

/** Elements that start a new run of text, lest words from two blocks or lines run together. */
const BREAKING_TAGS = ["br", "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre"];

/**
 * Markdown (CommonMark + GitHub extensions) as sanitised HTML, with its checklist count and
 * plain text. Raw HTML in the Markdown goes through the same allow-list as the rendered
 * Markdown, so only harmless tags survive; links and images keep http(s), mailto (links only)
 * and relative URLs. Never throws on bad input: should `marked` fail, the source is shown as
 * text. Errors thrown by `taskUrl` propagate.
 */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): RenderedMarkdown {
  const checklist = { done: 0, total: 0 };
  const tokens = lexed(markdown);
  if (tokens !== undefined) walk(tokens, { checklist, taskUrl: options.taskUrl });
  const html = (tokens && rendered(tokens)) ?? `<p>${escapeText(markdown)}</p>`;
  const text: string[] = [];
  const safe = sanitizeHtml(html, sanitizeOptions(siteLinks(options), text));
  return { html: safe, checklist, text: text.join("").replace(/\s+/g, " ").trim() };
}

/** `marked`'s tokens for the Markdown, or undefined should it fail on it. */
function lexed(markdown: string): Token[] | undefined {
  try {
    return markdownParser.lexer(markdown);
  } catch {
    return undefined;
  }
}

/** `marked`'s HTML for the tokens, or undefined should it fail on them. */
function rendered(tokens: Token[]): string | undefined {
  try {
    return markdownParser.parser(tokens);
  } catch {
    return undefined;
  }
}

interface WalkState {
  readonly checklist: { done: number; total: number };
  readonly taskUrl: ((id: string) => string | undefined) | undefined;
}

/** Counts checklist items and turns task ids in text (not in code or links) into link tokens. */
function walk(tokens: Token[], state: WalkState): void {
  // raw `<a …>` in inline HTML: its text is already a link
  let inRawLink = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as MarkedToken;
    switch (token.type) {
      case "list":
        for (const item of token.items) {
          if (item.task) {
            state.checklist.total++;
            if (item.checked === true) state.checklist.done++;
          }
          walk(item.tokens, state);
        }
        break;
      case "table":
        for (const cell of token.header) walk(cell.tokens, state);
        for (const row of token.rows) for (const cell of row) walk(cell.tokens, state);
        break;
      case "html":
        if ("inLink" in token) inRawLink = token.inLink;
        break;
      case "link":
      case "image":
      case "code":
      case "codespan":
        break;
      case "text": {
        if (token.tokens !== undefined) {
          walk(token.tokens, state);
          break;
        }
        if (state.taskUrl === undefined || inRawLink || token.escaped === true) break;
        const linked = linkTaskIds(token, state.taskUrl);
        if (linked === undefined) break;
        tokens.splice(i, 1, ...linked);
        i += linked.length - 1;
        break;
      }
      default:
        if ("tokens" in token && Array.isArray(token.tokens)) walk(token.tokens, state);
    }
  }
}

/** The text split into text and link tokens, or undefined when no id in it has a URL. */
function linkTaskIds(
  token: Tokens.Text,
  taskUrl: (id: string) => string | undefined,
): Token[] | undefined {
  const pieces: Token[] = [];
  let from = 0;
  for (const match of token.text.matchAll(TASK_ID_IN_TEXT)) {
    const id = match[0];
    const href = taskUrl(id);
    if (href === undefined) continue;
    if (match.index > from) pieces.push(textToken(token.text.slice(from, match.index)));
    pieces.push({ type: "link", raw: id, href, title: null, text: id, tokens: [textToken(id)] });
    from = match.index + id.length;
  }
  if (pieces.length === 0) return undefined;
  if (from < token.text.length) pieces.push(textToken(token.text.slice(from)));
  return pieces;
}

function textToken(text: string): Tokens.Text {
  return { type: "text", raw: text, text, escaped: false };
}

interface SiteLinks {
  /** Always ends with a slash. */
  readonly base: string;
  readonly taskUrl: ((id: string) => string | undefined) | undefined;
}

function siteLinks(options: RenderOptions): SiteLinks {
  const base = options.base ?? "/";
  return { base: base.endsWith("/") ? base : `${base}/`, taskUrl: options.taskUrl };
}

/** The allow-list plus the per-render parts: URL rewriting and collecting the plain text. */
function sanitizeOptions(links: SiteLinks, text: string[]): sanitizeHtml.IOptions {
  const breakText: sanitizeHtml.Transformer = (tagName, attribs) => {
    text.push(" ");
    return { tagName, attribs };
  };
  const transformTags: Record<string, sanitizeHtml.Transformer> = {};
  for (const tag of BREAKING_TAGS) transformTags[tag] = breakText;
  // Attributes are rebuilt rather than filtered, so nothing unforeseen is carried over
  transformTags.a = (tagName, attribs) => {
    const rebuilt: sanitizeHtml.Attributes = { rel: LINK_REL };
    const href =
      attribs.href === undefined ? undefined : siteUrl(attribs.href, LINK_SCHEMES, links);
    if (href !== undefined) rebuilt.href = href;
    if (attribs.title !== undefined) rebuilt.title = attribs.title;
    return { tagName, attribs: rebuilt };
  };
  transformTags.img = (tagName, attribs) => {
    const rebuilt: sanitizeHtml.Attributes = { alt: attribs.alt ?? "", loading: "lazy" };
    const src = attribs.src === undefined ? undefined : siteUrl(attribs.src, IMAGE_SCHEMES, links);
    if (src !== undefined) rebuilt.src = src;
    if (attribs.title !== undefined) rebuilt.title = attribs.title;
    return { tagName, attribs: rebuilt };
  };
  transformTags.input = (tagName, attribs) => {
    // Only Markdown's checkboxes are inputs; any other (raw HTML) loses its type and is dropped
    if (attribs.type?.toLowerCase() !== "checkbox") return { tagName, attribs: {} };
    const rebuilt: sanitizeHtml.Attributes = { type: "checkbox", disabled: "" };
    if (attribs.checked !== undefined) rebuilt.checked = "";
    // a control needs a name for screen readers: the item's text follows it
    rebuilt["aria-label"] = attribs.checked !== undefined ? "done" : "not done";
    return { tagName, attribs: rebuilt };
  };
  return {
    ...ALLOWED,
    transformTags,
    // Not by renaming the tag in transformTags: sanitize-html 2.17 then leaks a closing tag
    // with the new name after the next element at the same depth
    exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
    textFilter: (escaped) => {
      text.push(unescapeText(escaped));
      return escaped;
    },
  };
}

/**
 * The URL as the site should link it, or undefined when its scheme is not allowed. Relative
 * links to tracker files go to the site's copy of them, links to task files to the task's page.
 */
function siteUrl(url: string, schemes: readonly string[], links: SiteLinks): string | undefined {
  const probe = url.replace(IGNORED_IN_URL, "");
  const scheme = URL_SCHEME.exec(probe);
  if (scheme !== null) return schemes.includes(scheme[1]!.toLowerCase()) ? url : undefined;
  if (/^[\\/]{2}/.test(probe)) return undefined;
  const relative = url.trim();
  if (/^[/#?]/.test(relative)) return relative;
  const path = relative.replace(/^(?:\.\.?\/)+/, "");
  if (path.startsWith("files/")) return `${links.base}${path}`;
  const taskFile = TASK_FILE_LINK.exec(relative);
  const taskPage = taskFile === null ? undefined : links.taskUrl?.(taskFile[1]!);
  return taskPage ?? relative;
}

/** Undoes sanitize-html's escaping of text (it escapes exactly these three). */
function unescapeText(escaped: string): string {
  if (!escaped.includes("&")) return escaped;
  return escaped.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
