/**
 * The plan's activity as an Atom 1.0 feed (RFC 4287), for feed readers and chat bots.
 * Browser-safe: no Node built-ins.
 *
 * Everything written comes from files and commit messages anyone with push access (or a
 * fork's pull request) controls, so every text is escaped and stripped of the characters
 * XML 1.0 forbids, and links are absolute http(s) URLs or nothing. Feeds are copied and
 * kept by aggregators for good, so e-mail addresses (personal data) never appear in one:
 * commit e-mails are left out, and e-mail-shaped text in names, titles and change
 * summaries is replaced with {@link EMAIL_HIDDEN}.
 */

import type { Change } from "../diff/diff.js";
import type { HistoryCommit, TrackerHistory } from "../git/history.js";

/** Options of {@link activityFeed}. */
export interface ActivityFeedOptions {
  /** The feed's title, e.g. "Acme: activity". */
  readonly title: string;
  /** The site's absolute URL, ending in "/"; relative task URLs are resolved against it. */
  readonly siteUrl: string;
  /** The feed's own absolute URL (also its Atom id, so it must not change). */
  readonly feedUrl: string;
  /** A task page's URL (absolute or relative to `siteUrl`), or `undefined` for no link. */
  readonly taskUrl: (id: string) => string | undefined;
  /** Most entries in the feed, newest kept. Default 50. */
  readonly limit?: number;
}

/** Stands in for an e-mail address found in text written to a feed. */
export const EMAIL_HIDDEN = "[email hidden]";

const DEFAULT_LIMIT = 50;
const ATOM_NS = "http://www.w3.org/2005/Atom";
/**
 * The feed's `updated` when there are no entries (it is required; with entries it is the
 * latest entry's): the epoch, so the output depends on the history alone.
 */
const NO_UPDATE = "1970-01-01T00:00:00Z";

/**
 * An Atom feed of the commits that changed the plan, newest first: one entry per commit,
 * titled with the commit's first line (or a summary of its changes when the message is
 * empty), dated with the committer time (when the change reached the branch), credited to
 * the author's name, and holding the list of its changes with links to task pages.
 *
 * Entry ids are `tag:` URIs built from the site's host, the commit's date and its id, so
 * they stay the same across rebuilds and when the site moves to another base path.
 */
export function activityFeed(history: TrackerHistory, options: ActivityFeedOptions): string {
  const limit =
    options.limit !== undefined && !Number.isNaN(options.limit)
      ? Math.max(0, Math.floor(options.limit))
      : DEFAULT_LIMIT;
  // history lists commits oldest first; each kept one changed the plan, but make sure
  const changed = history.commits.filter((c) => c.changes.length > 0);
  const commits = changed.slice(Math.max(0, changed.length - limit)).reverse();
  const siteUrl = absoluteUrl(options.siteUrl, undefined) ?? options.siteUrl;
  const link = (url: string | undefined): string | undefined =>
    url === undefined ? undefined : absoluteUrl(url, siteUrl);
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="${ATOM_NS}">`,
    `  <title>${xmlText(options.title)}</title>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(siteUrl)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(options.feedUrl)}"/>`,
    `  <id>${xmlText(options.feedUrl)}</id>`,
    `  <updated>${commits.length > 0 ? atomDate(Math.max(...commits.map((c) => c.info.committer.timestamp))) : NO_UPDATE}</updated>`,
    `  <generator>Trackdown</generator>`,
  ];
  // RFC 4287 wants an author on the feed unless every entry has one; every entry does
  if (commits.length === 0) lines.push(`  <author><name>${xmlText(options.title)}</name></author>`);
  for (const commit of commits)
    lines.push(...entry(commit, siteUrl, (id) => link(options.taskUrl(id))));
  lines.push(`</feed>`, "");
  return lines.join("\n");
}

function entry(
  commit: HistoryCommit,
  siteUrl: string,
  taskUrl: (id: string) => string | undefined,
): string[] {
  const tasks = new Set(commit.changes.map(linkedTask).filter((id) => id !== undefined));
  // a commit about one task links to its page; anything broader to the site
  const only = tasks.size === 1 ? [...tasks][0] : undefined;
  const alternate = (only !== undefined ? taskUrl(only) : undefined) ?? siteUrl;
  const items = commit.changes.map((c) => `<li>${changeHtml(c, taskUrl)}</li>`).join("");
  return [
    "  <entry>",
    `    <id>${xmlText(entryId(commit, siteUrl))}</id>`,
    `    <title>${xmlText(entryTitle(commit))}</title>`,
    `    <updated>${atomDate(commit.info.committer.timestamp)}</updated>`,
    `    <author><name>${xmlText(authorName(commit.info.author.name))}</name></author>`,
    `    <link rel="alternate" type="text/html" href="${xmlText(alternate)}"/>`,
    `    <content type="html">${xmlText(`<ul>${items}</ul>`)}</content>`,
    "  </entry>",
  ];
}

/** The commit message's first line, or what the commit changed when the message is empty. */
function entryTitle(commit: HistoryCommit): string {
  const first = hideEmails(oneLine(commit.info.message.split(/\r?\n/, 1)[0] ?? ""));
  if (first !== "") return first;
  const summary = hideEmails(oneLine(commit.changes[0]?.summary ?? ""));
  const more = commit.changes.length - 1;
  return more === 0 ? summary : `${summary} (and ${more} more change${more === 1 ? "" : "s"})`;
}

/** The author's name without any e-mail address a misconfigured git may have put in it. */
function authorName(name: string): string {
  // "Ana <ana@example.com>" leaves "Ana <>": drop the empty brackets too
  const clean = oneLine(name.replace(EMAIL, "").replace(/<\s*>|\(\s*\)/g, ""));
  return clean === "" ? "unknown" : clean;
}

/** A line of text without control characters (XML forbids most) or surrounding spaces. */
function oneLine(text: string): string {
  return text.replace(/\p{Cc}/gu, "").trim();
}

/**
 * `tag:host,YYYY-MM-DD:commit/<oid>` (RFC 4151); for a host a tag URI cannot name (an IPv6
 * literal), the site's URL with the commit as its fragment.
 */
function entryId(commit: HistoryCommit, siteUrl: string): string {
  let host = "";
  try {
    host = new URL(siteUrl).hostname;
  } catch {
    // not a URL: fall back below
  }
  const date = atomDate(commit.info.committer.timestamp).slice(0, 10);
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)
    ? `tag:${host},${date}:commit/${commit.oid}`
    : `${siteUrl}#commit-${commit.oid}`;
}

/** The task a change is about, for its link. */
function linkedTask(change: Change): string | undefined {
  if (change.kind.startsWith("task.")) return change.id;
  if (change.kind.startsWith("time.")) return change.task;
  return undefined;
}

/** A change's summary as HTML, its task id (first mention) linked to the task's page. */
function changeHtml(change: Change, taskUrl: (id: string) => string | undefined): string {
  const summary = hideEmails(change.summary);
  const id = linkedTask(change);
  const url = id !== undefined ? taskUrl(id) : undefined;
  if (id === undefined || url === undefined) return htmlText(summary);
  const at = wordIndex(summary, id);
  const anchor = `<a href="${htmlText(url)}">${htmlText(id)}</a>`;
  if (at < 0) return `${anchor}: ${htmlText(summary)}`;
  return `${htmlText(summary.slice(0, at))}${anchor}${htmlText(summary.slice(at + id.length))}`;
}

/** Where `word` first appears in `text` not as part of a longer id (WEB-1 in WEB-12). */
function wordIndex(text: string, word: string): number {
  const idChar = /[A-Za-z0-9-]/;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if (
      (before === undefined || !idChar.test(before)) &&
      (after === undefined || !idChar.test(after))
    )
      return at;
  }
  return -1;
}

/** An absolute http(s) URL, resolved against `base`; `undefined` for other schemes (javascript:, data:…). */
function absoluteUrl(url: string, base: string | undefined): string | undefined {
  try {
    const parsed = base === undefined ? new URL(url) : new URL(url, base);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds since the epoch as an RFC 3339 instant in UTC, to the second. */
function atomDate(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

function hideEmails(text: string): string {
  return text.replace(EMAIL, EMAIL_HIDDEN);
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // kept as a reference: a raw CR would be read back as a line feed
  "\r": "&#13;",
};

/** Text safe anywhere in XML 1.0 content or a quoted attribute. */
function xmlText(text: string): string {
  return xmlChars(text).replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]!);
}

/**
 * Text safe in HTML content or a quoted attribute (before it is escaped again as XML);
 * "'" as `&#39;`, which HTML 4 readers know, unlike `&apos;`.
 */
function htmlText(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => (c === "'" ? "&#39;" : XML_ESCAPES[c]!));
}

/**
 * The text without the characters XML 1.0 forbids (even as references): C0 controls other
 * than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
function xmlChars(text: string): string {
  let out = "";
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let bad = (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a pair: one valid character
        continue;
      }
      bad = true;
    } else if (c >= 0xdc00 && c <= 0xdfff) bad = true;
    if (bad) {
      out += text.slice(kept, i);
      kept = i + 1;
    }
  }
  return kept === 0 ? text : out + text.slice(kept);
}
