/**
 * Text from tracker files made safe to echo into GitHub-flavoured Markdown: comments,
 * issues and job summaries the Action writes while reading files from a pull request that
 * may come from a hostile fork. The one place where tracker text meets Markdown.
 *
 * Everything here keeps the text readable as written: syntax is neutralised with
 * backslash escapes, entities and an invisible U+2060 WORD JOINER placed where GitHub
 * would otherwise see a mention, a reference or a link, rather than by deleting
 * characters. Browser-safe: no Node built-ins.
 */

/** Invisible, and not a word character: "@\u2060alice" reads as "@alice" but mentions nobody. */
const WORD_JOINER = "\u2060";

/** Visible characters an {@link inertText} keeps by default. */
const DEFAULT_MAX = 200;

const ELLIPSIS = "…";

/**
 * Escaped with a backslash wherever they are: inline syntax (emphasis, code, links) and
 * table cells. Parentheses need it for renderers that are not quite CommonMark: marked
 * ends a link label at an escaped "\\[a\\](b)" inside it.
 */
const BACKSLASHED = new Set(["\\", "`", "*", "_", "~", "[", "]", "(", ")", "|"]);

/**
 * Written as entities: HTML and autolinks ("<"), block quotes and alerts (">"), entity
 * references ("&", so "&#64;" stays text), and GitHub's $math$ (an entity holds no "$"
 * for any pass that looks for one in the source).
 */
const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ["$", "&#36;"],
]);

/**
 * Followed by a word joiner wherever they are: "@" (mentions, team mentions, emails,
 * user@sha), "#" (#123, owner/repo#123, headings) and ":" (scheme://, mailto:,
 * javascript:, data:, :emoji: shortcodes). Always, not only before a letter, so that two
 * inert texts written side by side cannot complete each other.
 */
const JOINED = new Set(["@", "#", ":"]);

/**
 * A text made inert for GitHub-flavoured Markdown (comments, issues, job summaries), on
 * one line, safe inline and at the start of a line or of a list item or quote:
 * - no @-mentions (also @org/team) or e-mail autolinks: a word joiner follows every "@";
 * - no #123, owner/repo#123 or GH-123 references: a word joiner follows every "#" and the
 *   "-" of GH-<digit>; none in 7+ hexadecimal characters with a letter and a digit either
 *   (a commit SHA), which get one every 6 characters;
 * - no links or autolinks: "[", "]" and "<" are escaped, a word joiner follows every ":"
 *   (http://, mailto:, javascript:, data:, …) and sits between "www" and ".";
 * - no images or HTML (tags, comments) and no entities: "<", ">", "&" become entities, so
 *   "&#64;", "&commat;" and "&#x40;" show as typed instead of as "@";
 * - no emphasis, strikethrough, code, table or math syntax: "\\ ` * _ ~ [ ] ( ) |" are
 *   backslash-escaped and "$" is an entity; "|" is escaped too so lines of inert texts can
 *   never form a table;
 * - no block syntax at its start: a leading "-", "+" or "=" and the "." or ")" after leading
 *   digits are escaped (headings and quotes are already covered by "#" and ">");
 * - no line breaks: every run of whitespace becomes one space, and the ends are trimmed
 *   (no indented code, no hard break);
 * - no control characters, byte-order marks or bidirectional embeddings, overrides and
 *   isolates (U+202A–U+202E, U+2066–U+2069), and no word joiners but the ones placed
 *   here; lone surrogates become U+FFFD. Bidi marks (U+200E, U+200F, U+061C) and the
 *   joiners inside emoji stay: they reorder nothing;
 * - at most `max` user-perceived characters (grapheme clusters), counted before escaping,
 *   the last one an ellipsis when cut. The Markdown source can be longer than `max`.
 */
export function inertText(text: string, max: number = DEFAULT_MAX): string {
  return escapeInline(breakAutolinks(capped(readableLine(text), max)));
}

/**
 * The same for a table cell. {@link inertText} already escapes "|" (so that its lines
 * never form a table); this name says that the text is meant for a cell.
 */
export function inertCell(text: string, max: number = DEFAULT_MAX): string {
  return inertText(text, max);
}

/** Alphanumerics and single hyphens, no hyphen at either end (the length is checked apart). */
const LOGIN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/** A GitHub login: 1–39 characters of {@link LOGIN}. */
function isLogin(name: string): boolean {
  return name.length <= 39 && LOGIN.test(name);
}

/**
 * A live mention of a GitHub login the caller decided to notify: "@login" when `login` is
 * a valid GitHub login or bot account ("dependabot[bot]"), otherwise the login as
 * {@link inertText}, mentioning nobody. Pass the bare login, without "@".
 */
export function mention(login: string): string {
  if (isLogin(login)) return `@${login}`;
  const app = login.endsWith("[bot]") ? login.slice(0, -"[bot]".length) : undefined;
  // The brackets escaped: "[bot]" must not become a link if the page defines [bot]: url.
  if (app !== undefined && isLogin(app)) return `@${app}\\[bot\\]`;
  return inertText(login);
}

/**
 * A code span holding any text safely, on one line, for ids and paths. The fence is one
 * backtick longer than the longest run inside, padded with spaces when the text starts or
 * ends with a backtick or with spaces on both ends. Line breaks become spaces (as Markdown
 * renders them in code anyway) and control and bidi characters are removed. A "|" is
 * written outside the code as "\|", between two spans: GitHub splits table cells at a
 * pipe even inside code, and "`a`\|`b`" reads the same in and out of a table.
 */
export function codeSpan(text: string): string {
  return visibleCharacters(text, " ")
    .split("|")
    .map((part) => (part === "" ? "" : fencedCode(part)))
    .join("\\|");
}

function fencedCode(text: string): string {
  const longestRun = (text.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = "`".repeat(longestRun + 1);
  const padded =
    text.startsWith("`") ||
    text.endsWith("`") ||
    (text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "");
  return padded ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/**
 * The text as one plain line, for channels that are not Markdown (chat messages, logs):
 * whitespace collapsed, controls and bidi overrides removed, capped at `max` characters.
 * Escaping for the channel (e.g. Slack's `&`, `<`, `>`) is still the caller's.
 */
export function plainLine(text: string, max: number = DEFAULT_MAX): string {
  return capped(readableLine(text), max);
}

/** The text on one line: whitespace runs collapsed to one space, trimmed, no invisible controls. */
function readableLine(text: string): string {
  return visibleCharacters(text, " ").replace(/\s+/g, " ").trim();
}

/**
 * The text without control, byte-order-mark and bidi embedding/override/isolate
 * characters; line breaks and tabs become `lineBreak`; lone surrogates become U+FFFD.
 */
function visibleCharacters(text: string, lineBreak: string): string {
  let out = "";
  let crBefore = false;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const wasCr = crBefore;
    crBefore = code === 0x0d;
    if (code === 0x0a && wasCr) continue; // CR LF is one line break
    if (isLineBreak(code)) out += lineBreak;
    else if (isHidden(code)) continue;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\uFFFD";
    else out += char;
  }
  return out;
}

/** Tab, LF, VT, FF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
function isLineBreak(code: number): boolean {
  return (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029;
}

/**
 * C0 and C1 controls, DEL, bidi embeddings/overrides (U+202A–E) and isolates (U+2066–9),
 * BOM, and word joiners: every word joiner in the output is one this module placed.
 */
function isHidden(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2060 ||
    code === 0xfeff
  );
}

/** At most `max` grapheme clusters, the last an ellipsis when the text is cut. */
function capped(text: string, max: number): string {
  const limit = Number.isNaN(max) ? DEFAULT_MAX : Math.max(1, Math.floor(max));
  if (text.length <= limit) return text;
  const kept: string[] = [];
  for (const grapheme of graphemes(text)) {
    if (kept.length === limit) {
      const head = kept.slice(0, limit - 1).join("");
      return `${head.trimEnd()}${ELLIPSIS}`;
    }
    kept.push(grapheme);
  }
  return text;
}

function graphemes(text: string): Iterable<string> {
  if (typeof Intl !== "undefined" && typeof Intl.Segmenter === "function") {
    const segments = new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text);
    return (function* () {
      for (const { segment } of segments) yield segment;
    })();
  }
  return text; // code points, where the runtime has no segmenter
}

/**
 * Word joiners where GitHub would autolink something "@", "#" and ":" do not cover:
 * "www." (an autolink without a scheme), GH-123 and commit SHAs.
 */
function breakAutolinks(text: string): string {
  return text
    .replace(/(www)(?=\.)/gi, `$1${WORD_JOINER}`)
    .replace(/(gh-)(?=\d)/gi, `$1${WORD_JOINER}`)
    .replace(/[0-9a-f]{7,}/gi, (run) =>
      /\d/.test(run) && /[a-f]/i.test(run) ? (run.match(/.{1,6}/g) ?? []).join(WORD_JOINER) : run,
    );
}

/** Markdown that renders as the text itself, inline or at the start of a line. */
function escapeInline(text: string): string {
  let out = "";
  const blockMarker = leadingBlockMarker(text);
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (i === blockMarker || BACKSLASHED.has(char)) out += `\\${char}`;
    else out += ENTITIES.get(char) ?? char;
    if (JOINED.has(char)) out += WORD_JOINER;
  }
  return out;
}

/**
 * Where the character that would open a block is when the text starts a line: a list
 * ("-", "+", "1." or "1)"), a setext underline or thematic break ("=", "-"). -1 if none.
 */
function leadingBlockMarker(text: string): number {
  if (/^[-+=]/.test(text)) return 0;
  const ordered = /^\d+[.)]/.exec(text);
  return ordered ? ordered[0].length - 1 : -1;
}
