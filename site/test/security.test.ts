import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsCanRun, openPage, type WatchedPage } from "../../src/test-support/browser.js";
import { type OpenedSite, openBuiltSite } from "../../src/test-support/site.js";
import type { StaticSite } from "../../src/test-support/static-server.js";
import { ACME } from "../../src/test-support/temp.js";

// A task written by an attacker (its title, labels, attachment names and body carry script
// in every form we know) must give a site where nothing runs. Checked in Chromium, where it
// matters: each payload sets window.__pwned or opens a dialog if it ever executes.

const BASE = "/sec/";
const ID = "WEB-90";

const TITLE =
  'Payload <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"><svg onload="window.__pwned=1">';
const LABELS = [
  "<script>window.__pwned=1</script>",
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='window.__pwned=1",
];
const ATTACHMENT = '"><img src=x onerror=window.__pwned=1>.txt';

const BODY = `Payload body.

<script>window.__pwned=1</script>

<img src=x onerror="window.__pwned=1">

<img src=x onerror="alert(1)">

[markdown javascript link](javascript:window.__pwned=1)

[upper-case javascript link](JaVaScRiPt:window.__pwned=1)

[entity javascript link](&#106;avascript:window.__pwned=1)

[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)

[reference javascript link][evil]

[evil]: javascript:window.__pwned=1

<javascript:window.__pwned=1>

![image javascript](javascript:window.__pwned=1)

<svg onload="window.__pwned=1"><circle r="5"/></svg>

<a href="javascript:window.__pwned=1">raw javascript link</a>

<a href="  java&#x09;script:window.__pwned=1">tab javascript link</a>

<a href="x" onclick="window.__pwned=1">onclick link</a>

<a href="x" target="_blank" onmouseover="window.__pwned=1">hover link</a>

<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>

<object data="javascript:window.__pwned=1"></object>

<embed src="javascript:window.__pwned=1">

<details open ontoggle="window.__pwned=1"><summary>toggle</summary>x</details>

<input autofocus onfocus="window.__pwned=1">

<form action="javascript:window.__pwned=1"><button>submit</button></form>

<button formaction="javascript:window.__pwned=1">form action</button>

<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1"></style></mglyph></table></mtext></math>

<div style="background:url(javascript:window.__pwned=1)">styled</div>

<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">

<base href="javascript:window.__pwned=1/">

<link rel="stylesheet" href="javascript:window.__pwned=1">

<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></p></noscript>

<video><source onerror="window.__pwned=1"></video>

\`<script>window.__pwned=1</script>\` in code, and in a block:

\`\`\`html
<script>window.__pwned=1</script>
\`\`\`

- [ ] <img src=x onerror="window.__pwned=1"> checklist item
`;

const TASK = `---
id: ${ID}
title: '${TITLE}'
status: todo
assignees: [lena]
priority: high
labels: ${JSON.stringify(LABELS)}
milestone: public-beta
due: 2026-11-01
depends_on: [WEB-19]
attachments:
  - path: 'files/${ID}/${ATTACHMENT}'
    title: '<img src=x onerror="window.__pwned=1">'
  - 'javascript:window.__pwned=1'
---

${BODY}`;

/**
 * What the page holds that could run script, found in the page itself: run in the
 * browser, on the description (section.markdown) and on the whole document.
 */
interface Findings {
  /** typeof window.__pwned in the page. */
  readonly pwned: string;
  readonly frames: number;
  readonly description: Scan | null;
  readonly document: Scan;
}

interface Scan {
  /** Elements that can run or load active content (script, iframe, svg, object…). */
  readonly activeElements: string[];
  /** on* attributes, as "tag onerror". */
  readonly handlers: string[];
  /** URL attributes with javascript:, data: or vbscript:. */
  readonly scriptUrls: string[];
  /** Scripts whose text mentions the payload. */
  readonly payloadScripts: number;
}

const SCAN = `(() => {
  const scheme = /^[\\s\\u0000-\\u001f]*(javascript|data|vbscript):/i;
  const scan = (root, active) => {
    const all = [...root.querySelectorAll("*")];
    return {
      activeElements: [...root.querySelectorAll(active)].map((e) => e.tagName.toLowerCase()),
      handlers: all.flatMap((e) =>
        [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => e.tagName.toLowerCase() + " " + a.name)),
      scriptUrls: all.flatMap((e) =>
        ["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"]
          .map((name) => e.getAttribute(name))
          .filter((value) => value !== null && scheme.test(value))),
      payloadScripts: [...root.querySelectorAll("script")].filter((s) => s.textContent.includes("__pwned")).length,
    };
  };
  const description = document.querySelector("section.markdown");
  return {
    pwned: typeof window.__pwned,
    frames: window.frames.length,
    description: description === null ? null
      : scan(description, "script, iframe, frame, svg, math, object, embed, base, meta, link, style, form, input:not([type=checkbox])"),
    document: scan(document, "iframe, frame, frameset, object, embed, base"),
  };
})()`;

const OUT = join(tmpdir(), `trackdown-site-security-${process.pid}`);
let tracker: string;
let site: StaticSite;
let browser: Browser;
let opened: OpenedSite | undefined;

/** Asserts nothing ran and nothing that could run is on the page. */
async function expectInert(watched: WatchedPage, where: string): Promise<void> {
  const { page } = watched;
  // give late handlers (a failed image's onerror, a toggle event) their chance
  await page.waitForLoadState("load");
  await page.waitForTimeout(150);
  const findings = await page.evaluate<Findings>(SCAN);
  expect(findings.pwned, `${where}: window.__pwned was set`).toBe("undefined");
  expect(findings.frames, `${where}: frames`).toBe(0);
  expect(findings.document, where).toEqual({
    activeElements: [],
    handlers: [],
    scriptUrls: [],
    payloadScripts: 0,
  });
  if (findings.description !== null) {
    expect(findings.description, `${where}: the description`).toEqual({
      activeElements: [],
      handlers: [],
      scriptUrls: [],
      payloadScripts: 0,
    });
  }
  expect(watched.problems.dialogs, `${where}: dialogs`).toEqual([]);
  expect(watched.problems.pageErrors, `${where}: page errors`).toEqual([]);
  expect(watched.problems.externalRequests, `${where}: requests to other hosts`).toEqual([]);
}

async function visit(path: string): Promise<WatchedPage> {
  const watched = await openPage(browser, `${site.url}${path}`);
  await expectInert(watched, path);
  return watched;
}

/** The payload shows as text where the task's title is shown. */
async function expectTitleAsText(page: Page, selector: string): Promise<void> {
  await expect(page.locator(selector).first().textContent()).resolves.toContain(
    "<script>window.__pwned=1</script>",
  );
}

describe.skipIf(!browserTestsCanRun("the site's security tests"))(
  "a site built from a hostile task",
  () => {
    beforeAll(async () => {
      tracker = mkdtempSync(join(tmpdir(), "trackdown-hostile-"));
      cpSync(ACME, tracker, { recursive: true, filter: (src) => !src.includes(".trackdown") });
      writeFileSync(join(tracker, "projects", "web", "tasks", `${ID}.md`), TASK);
      mkdirSync(join(tracker, "files", ID), { recursive: true });
      writeFileSync(join(tracker, "files", ID, ATTACHMENT), "an attachment\n");
      opened = await openBuiltSite({
        tracker: tracker,
        out: OUT,
        base: BASE,
        url: "https://acme.example",
        today: "2026-11-27",
      });
      ({ site, browser } = opened);
    }, 120_000);

    afterAll(async () => {
      await opened?.close();
      if (tracker !== undefined) rmSync(tracker, { recursive: true, force: true });
    });

    it("shows the task page with the payloads as text, and runs none of them", async () => {
      const watched = await visit(`tasks/${ID}/`);
      const { page } = watched;
      await expectTitleAsText(page, "h1");
      await expect(page.title()).resolves.toContain("<script>");
      const labels = await page.locator("dl.fields .badge").allTextContents();
      expect(labels).toEqual(LABELS);
      // the description's text survives where it is text (code), and its form controls
      // are only the checklist's boxes
      await expect(page.locator("section.markdown pre code").textContent()).resolves.toContain(
        "<script>window.__pwned=1</script>",
      );
      for (const badge of await page.locator(".badge").all()) await badge.hover();
      await page.locator("section.markdown").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("Tab");
      await expectInert(watched, "the task page after hovering and focusing");
      await watched.close();
    });

    it("runs nothing when any link of the description or an attachment is followed", async () => {
      const watched = await visit(`tasks/${ID}/`);
      const { page } = watched;
      const links = "section.markdown a, section:has(> h2:text-is('Attachments')) a";
      const count = await page.locator(links).count();
      expect(count).toBeGreaterThan(10);
      for (let i = 0; i < count; i += 1) {
        const link = page.locator(links).nth(i);
        const text = (await link.textContent()) ?? "";
        await link.hover();
        await link.click({ timeout: 5_000 });
        await expectInert(watched, `after clicking "${text}" (${page.url()})`);
        if (page.url() !== `${site.url}tasks/${ID}/`) {
          await page.goto(`${site.url}tasks/${ID}/`);
          await expectInert(watched, `back on the task page after "${text}"`);
        }
      }
      await watched.close();
    });

    it("shows the task's card on its board, filters it, and runs nothing", async () => {
      const watched = await visit("projects/WEB/");
      const { page } = watched;
      const card = page.locator(`[data-id="${ID.toLowerCase()}"]`);
      await expectTitleAsText(page, `[data-id="${ID.toLowerCase()}"] a.title`);
      await expect(card.locator(".badge").allTextContents()).resolves.toEqual(
        expect.arrayContaining(LABELS),
      );
      await card.hover();
      await page.getByRole("searchbox", { name: "Filter" }).fill("label:<script>window.__pwned=1");
      await page.getByRole("searchbox", { name: "Filter" }).fill("payload");
      await expect(page.locator("#board [data-id]:visible").count()).resolves.toBe(1);
      await expectInert(watched, "the board, filtered");
      await watched.close();
    });

    it("finds the task on the search page, shows its title as text, and follows it", async () => {
      const watched = await visit("search/");
      const { page } = watched;
      await page.getByRole("searchbox").pressSequentially("payload", { delay: 20 });
      await expectTitleAsText(page, "#results li a");
      await expectInert(watched, "the search results");
      await page.locator("#results li a").first().click();
      await page.waitForURL(`${site.url}tasks/${ID}/`);
      await expectInert(watched, "the task, from search");
      await watched.close();
    });

    for (const [name, path] of [
      ["home (overdue and blocked lists)", ""],
      ["table", "projects/WEB/table/"],
      ["milestone", "milestones/public-beta/"],
      ["person", "people/lena/"],
    ] as const) {
      it(`runs nothing on the ${name} page, where the task is listed`, async () => {
        const watched = await visit(path);
        await expect(watched.page.content()).resolves.toContain(ID);
        await watched.close();
      });
    }
  },
);
