import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/test-support/site.js";
import { type StaticSite, serveStatic } from "../../src/test-support/static-server.js";
import { ACME } from "../../src/test-support/temp.js";

// The example's site built under a base path (as GitHub Pages serves a project site),
// crawled over HTTP from its home page as a visitor's browser would: every page, asset,
// feed and fetched file answers 200, stays under the base path, and every #fragment
// names an element of its page. No browser needed: what is followed is read from the
// HTML, CSS, JavaScript and feeds themselves.

const OUT = join(tmpdir(), `trackdown-site-links-${process.pid}`);
const BASE = "/acme/";
const SITE_URL = "https://acme.example";

/** Where a URL was found, for the failure message. */
interface Reference {
  readonly url: URL;
  readonly from: string;
}

interface Crawl {
  /** Every same-site URL found (without fragment) → the first page naming it. */
  readonly found: Map<string, string>;
  readonly statuses: Map<string, number>;
  /** Fragments to check: page URL → ids wanted, with where each was named. */
  readonly fragments: Map<string, { id: string; from: string }[]>;
  /** ids present per HTML page. */
  readonly ids: Map<string, Set<string>>;
  readonly outside: string[];
  readonly external: Set<string>;
}

let site: StaticSite;
let crawl: Crawl;

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|apos|lt|gt);/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" }[lower] ?? entity;
  });
}

/** url(…) and @import targets of a style sheet or style attribute. */
function cssUrls(css: string): string[] {
  const urls = [...css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? "",
  );
  const imports = [...css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/g)].map(
    (m) => m[1] ?? m[2] ?? "",
  );
  return [...urls, ...imports];
}

/** Every URL an HTML page makes a browser load or lets a visitor follow, and its ids. */
function htmlUrls(html: string): { urls: string[]; ids: Set<string> } {
  const urls: string[] = [];
  const ids = new Set<string>();
  // script bodies are code, not markup; style bodies hold CSS
  const markup = html
    .replace(/<script\b([^>]*)>[\s\S]*?<\/script>/gi, "<script$1></script>")
    .replace(/<style\b[^>]*>([\s\S]*?)<\/style>/gi, (_, css: string) => {
      urls.push(...cssUrls(css));
      return "";
    });
  for (const tag of markup.matchAll(/<[a-zA-Z][\w-]*\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    for (const attribute of (tag[1] ?? "").matchAll(
      /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g,
    )) {
      const name = attribute[1]!.toLowerCase();
      const value = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? "");
      if (["href", "src", "poster", "action", "formaction", "data", "xlink:href"].includes(name)) {
        urls.push(value);
      } else if (name === "srcset") {
        urls.push(...value.split(",").map((part) => part.trim().split(/\s+/)[0] ?? ""));
      } else if (name === "style") {
        urls.push(...cssUrls(value));
      } else if (name === "id" || name === "name") {
        ids.add(value);
      }
    }
  }
  return { urls: urls.filter((u) => u !== ""), ids };
}

/** Modules a JavaScript file imports (Vite writes relative or base-absolute specifiers). */
function scriptUrls(js: string): string[] {
  return [
    ...js.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["']((?:\.{1,2}\/|\/)[^"']+)["']/g),
  ].map((m) => m[1]!);
}

/** Links in the feeds: Atom href attributes, iCalendar URL properties. */
function feedUrls(text: string): string[] {
  return [
    ...[...text.matchAll(/\bhref="([^"]*)"/g)].map((m) => decodeEntities(m[1]!)),
    ...[...text.matchAll(/^URL[^:]*:(.*)$/gm)].map((m) => m[1]!.trim()),
  ];
}

async function crawlSite(start: string, seeds: readonly string[]): Promise<Crawl> {
  const origin = new URL(start).origin;
  const result: Crawl = {
    found: new Map(),
    statuses: new Map(),
    fragments: new Map(),
    ids: new Map(),
    outside: [],
    external: new Set(),
  };
  const queue: Reference[] = [
    { url: new URL(start), from: "(start)" },
    ...seeds.map((s) => ({ url: new URL(s, start), from: "(what the search page fetches)" })),
  ];
  const note = (raw: string, from: string) => {
    if (/^(mailto|tel|data):/i.test(raw)) return;
    let url = new URL(raw, from);
    // the published address (--url) is this site too: feeds and canonical links use it
    if (url.origin === SITE_URL) url = new URL(url.pathname + url.search + url.hash, origin);
    if (url.origin !== origin) {
      result.external.add(url.href);
      return;
    }
    if (!url.pathname.startsWith(BASE)) {
      result.outside.push(`${from} → ${raw}`);
      return;
    }
    if (url.hash.length > 1) {
      const page = url.href.replace(/#.*$/, "");
      const wanted = result.fragments.get(page) ?? [];
      wanted.push({ id: decodeURIComponent(url.hash.slice(1)), from });
      result.fragments.set(page, wanted);
    }
    queue.push({ url, from });
  };
  while (queue.length > 0) {
    const batch = queue.splice(0).filter(({ url, from }) => {
      const key = url.href.replace(/#.*$/, "");
      if (result.found.has(key)) return false;
      result.found.set(key, from);
      return true;
    });
    await Promise.all(
      batch.map(async ({ url }) => {
        const key = url.href.replace(/#.*$/, "");
        const response = await fetch(key, { redirect: "manual" });
        result.statuses.set(key, response.status);
        const text = await response.text();
        if (response.status !== 200) return;
        const type = response.headers.get("content-type") ?? "";
        let urls: string[] = [];
        if (type.startsWith("text/html")) {
          const page = htmlUrls(text);
          result.ids.set(key, page.ids);
          urls = page.urls;
        } else if (type.startsWith("text/css")) urls = cssUrls(text);
        else if (type.startsWith("text/javascript")) urls = scriptUrls(text);
        else if (type.includes("atom") || type.startsWith("text/calendar")) urls = feedUrls(text);
        for (const raw of urls) note(raw, key);
      }),
    );
  }
  return result;
}

describe("the base-path build's links", () => {
  beforeAll(async () => {
    buildSite({ tracker: ACME, out: OUT, base: BASE, url: SITE_URL, today: "2026-11-27" });
    site = await serveStatic(OUT, BASE);
    crawl = await crawlSite(site.url, ["search-index.json"]);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    rmSync(OUT, { recursive: true, force: true });
  });

  it("reaches every page, asset and feed from the home page", () => {
    const paths = [...crawl.found.keys()].map((u) => new URL(u).pathname.slice(BASE.length));
    for (const expected of [
      "projects/WEB/",
      "projects/WEB/table/",
      "tasks/WEB-16/",
      "milestones/public-beta/",
      "reports/",
      "people/ana/",
      "search/",
      "search-index.json",
      "activity.xml",
      "calendar.ics",
      "favicon.svg",
    ]) {
      expect(paths, expected).toContain(expected);
    }
    expect(paths.filter((p) => p.startsWith("tasks/")).length).toBeGreaterThanOrEqual(60);
    expect(paths.filter((p) => p.startsWith("_astro/")).length).toBeGreaterThan(0);
    expect(paths.filter((p) => p.startsWith("files/")).length).toBeGreaterThan(0);
  });

  it("answers 200 for every one of them", () => {
    const broken = [...crawl.statuses]
      .filter(([, status]) => status !== 200)
      .map(
        ([url, status]) =>
          `${status} ${new URL(url).pathname} (linked from ${crawl.found.get(url)})`,
      );
    expect(broken).toEqual([]);
  });

  it("never leaves the base path", () => {
    expect(crawl.outside).toEqual([]);
    expect(site.log.filter((entry) => !entry.path.startsWith(BASE))).toEqual([]);
  });

  it("points every #fragment at an element of its page", () => {
    const missing: string[] = [];
    for (const [page, wanted] of crawl.fragments) {
      const ids = crawl.ids.get(page);
      if (ids === undefined) continue; // not an HTML page: reported by the status check
      for (const { id, from } of wanted) {
        if (!ids.has(id)) missing.push(`${new URL(page).pathname}#${id} (linked from ${from})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("links elsewhere only over https", () => {
    expect([...crawl.external].filter((url) => !url.startsWith("https://"))).toEqual([]);
  });
});
