import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTracker, query, type Tracker } from "../../dist/node/index.js";
import {
  browserTestsCanRun,
  openPage,
  screenshot,
  type WatchedPage,
} from "../../src/test-support/browser.js";
import { type OpenedSite, openBuiltSite } from "../../src/test-support/site.js";
import type { StaticSite } from "../../src/test-support/static-server.js";
import { ACME } from "../../src/test-support/temp.js";

// The example tracker's site in a real browser, as someone on the team uses it: home, a
// board and its live filter, a task, search, the theme switch, the keyboard, a phone. Every
// page visited must log no console error and load every request it makes.

const OUT = join(tmpdir(), `trackdown-site-browser-${process.pid}`);
const BASE = "/acme/";
const TODAY = "2026-11-27";

let site: StaticSite;
let browser: Browser;
let opened: OpenedSite | undefined;
let tracker: Tracker;

/** The ids of a query's tasks, as the board's cards carry them (lower case), sorted. */
function expectedIds(text: string): string[] {
  const result = query(tracker, text, { today: TODAY });
  expect(result.problems).toEqual([]);
  return result.tasks.map((t) => t.id.toLowerCase()).sort();
}

async function visibleCardIds(page: Page): Promise<string[]> {
  const cards = await page.locator("#board [data-id]:visible").all();
  const ids = await Promise.all(cards.map((card) => card.getAttribute("data-id")));
  return ids.map((id) => id ?? "").sort();
}

/** The page's watched problems, asserted empty, then the page closed. */
async function finish(watched: WatchedPage): Promise<void> {
  const problems = watched.allProblems();
  await watched.close();
  expect(problems).toEqual([]);
}

describe.skipIf(!browserTestsCanRun("the site's browser tests"))("the site in Chromium", () => {
  beforeAll(async () => {
    opened = await openBuiltSite({
      tracker: ACME,
      out: OUT,
      base: BASE,
      url: "https://acme.example",
      today: TODAY,
    });
    ({ site, browser } = opened);
    tracker = await loadTracker(ACME);
  }, 120_000);

  afterAll(async () => {
    await opened?.close();
  });

  it("opens the home page with the tracker's projects", async () => {
    const watched = await openPage(browser, site.url, { colorScheme: "light" });
    const { page } = watched;
    await expect(page.title()).resolves.toBe(`Home · ${tracker.settings.name}`);
    await expect(page.locator("h1").textContent()).resolves.toBe(tracker.settings.name);
    for (const project of tracker.projects) {
      await expect(
        page.getByRole("link", { name: project.name, exact: true }).count(),
      ).resolves.toBe(1);
    }
    await screenshot(page, "home-light");
    await finish(watched);
  });

  it("filters the WEB board as the library's query engine would", async () => {
    const watched = await openPage(browser, site.url, { colorScheme: "light" });
    const { page } = watched;
    const web = tracker.project("WEB")!;
    await page.getByRole("link", { name: web.name, exact: true }).click();
    await page.waitForURL(`${site.url}projects/WEB/`);
    const filter = page.getByRole("searchbox", { name: "Filter" });
    await expect(filter.isVisible()).resolves.toBe(true);
    const everything = expectedIds("project:WEB");
    await expect(visibleCardIds(page)).resolves.toEqual(everything);

    await filter.fill("assignee:lena");
    const lena = expectedIds("project:WEB assignee:lena");
    expect(lena.length).toBeGreaterThan(1);
    expect(lena.length).toBeLessThan(everything.length);
    await expect(visibleCardIds(page)).resolves.toEqual(lena);
    await expect(page.locator("form[data-filter] [role=status]").textContent()).resolves.toBe(
      `${lena.length} of ${everything.length} shown`,
    );
    expect(new URL(page.url()).searchParams.get("q")).toBe("assignee:lena");

    await filter.fill("is:open -status:done");
    const open = expectedIds("project:WEB is:open -status:done");
    expect(open.length).toBeGreaterThan(0);
    await expect(visibleCardIds(page)).resolves.toEqual(open);
    // each column's count follows the filter
    for (const column of await page.locator("#board [data-column]").all()) {
      const shown = await column.locator("[data-id]:visible").count();
      await expect(column.locator("[data-count]").textContent()).resolves.toBe(String(shown));
    }
    await screenshot(page, "board-filtered");

    // the query stays in the URL: a reload shows the same cards
    await page.reload();
    await expect(filter.inputValue()).resolves.toBe("is:open -status:done");
    await expect(visibleCardIds(page)).resolves.toEqual(open);

    await filter.fill("");
    await expect(visibleCardIds(page)).resolves.toEqual(everything);
    await screenshot(page, "board");
    await finish(watched);
  });

  it("opens a task page from a card, with its title and fields", async () => {
    const watched = await openPage(browser, `${site.url}projects/WEB/`, { colorScheme: "light" });
    const { page } = watched;
    const task = tracker.task("WEB-16")!;
    await page.locator('#board [data-id="web-16"] a.title').click();
    await page.waitForURL(`${site.url}tasks/WEB-16/`);
    await expect(page.locator("h1").textContent()).resolves.toBe(task.title);
    const fields = new Map<string, string>();
    for (const term of await page.locator("dl.fields dt").all()) {
      const name = (await term.textContent()) ?? "";
      fields.set(name, ((await term.locator("+ dd").textContent()) ?? "").trim());
    }
    const status = tracker.settings.statuses.find((s) => s.id === task.status)!;
    expect(fields.get("Status")).toBe(status.name);
    expect(fields.get("Assignees")).toBe(
      task.assignees.map((a) => tracker.person(a)?.name ?? a).join(", "),
    );
    expect(fields.get("Priority")).toBe(task.priority);
    expect(fields.get("Due")).toMatch(new RegExp(`^${task.due}`));
    expect(fields.get("Milestone")).toBe(tracker.milestone(task.milestone!)?.title);
    expect(fields.get("Labels")).toBe(task.labels.join(""));
    await expect(page.locator("section.markdown").count()).resolves.toBe(1);
    await screenshot(page, "task");
    await finish(watched);
  });

  it("searches as you type and follows the first result to the task", async () => {
    const watched = await openPage(browser, `${site.url}search/`, { colorScheme: "light" });
    const { page } = watched;
    const task = tracker.task("WEB-16")!; // "Signup form with inline validation"
    const box = page.getByRole("searchbox", { name: /Search tasks/ });
    await box.click();
    // a few letters of two words of its title: "sign" alone also finds "Newsletter signup form"
    await box.pressSequentially("sign inli", { delay: 20 });
    const first = page.locator("#results li a").first();
    await expect(first.textContent()).resolves.toMatch(/^WEB-16 /);
    await expect(page.locator("#search-status").textContent()).resolves.toMatch(
      /^\d+\+? results?$/,
    );
    await screenshot(page, "search");
    await first.click();
    await page.waitForURL(`${site.url}tasks/WEB-16/`);
    await expect(page.locator("h1").textContent()).resolves.toBe(task.title);
    await finish(watched);
  });

  it("switches the theme with the toggle and keeps it across a reload", async () => {
    const watched = await openPage(browser, `${site.url}reports/`, { colorScheme: "light" });
    const { page } = watched;
    const html = page.locator("html");
    const background = () =>
      page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    await expect(html.getAttribute("data-theme")).resolves.toBeNull();
    const light = await background();
    await screenshot(page, "reports-light");

    await page.getByRole("button", { name: /light and dark theme/ }).click();
    await expect(html.getAttribute("data-theme")).resolves.toBe("dark");
    const dark = await background();
    expect(dark).not.toBe(light);
    await page.reload();
    await expect(html.getAttribute("data-theme")).resolves.toBe("dark");
    await expect(background()).resolves.toBe(dark);
    await screenshot(page, "reports-dark");

    // other pages follow the choice
    await page.getByRole("link", { name: "Home", exact: true }).click();
    await page.waitForURL(site.url);
    await expect(html.getAttribute("data-theme")).resolves.toBe("dark");
    await screenshot(page, "home-dark");

    await page.getByRole("button", { name: /light and dark theme/ }).click();
    await expect(html.getAttribute("data-theme")).resolves.toBe("light");
    await page.reload();
    await expect(html.getAttribute("data-theme")).resolves.toBe("light");
    await expect(background()).resolves.toBe(light);
    await finish(watched);
  });

  it("follows the system's dark preference until a choice is made", async () => {
    const watched = await openPage(browser, `${site.url}reports/`, { colorScheme: "dark" });
    const { page } = watched;
    await expect(page.locator("html").getAttribute("data-theme")).resolves.toBeNull();
    await page.getByRole("button", { name: /light and dark theme/ }).click();
    await expect(page.locator("html").getAttribute("data-theme")).resolves.toBe("light");
    await finish(watched);
  });

  it("lets the keyboard reach the skip link first, then the navigation", async () => {
    const watched = await openPage(browser, site.url, { colorScheme: "light" });
    const { page } = watched;
    // the theme switch is shown by its script; the rest works before it runs
    await page.locator("#theme-toggle").waitFor({ state: "visible" });
    /** The focused element as "tag text". */
    const focused = async () => {
      const tag = await page.evaluate<string>("document.activeElement.tagName.toLowerCase()");
      return `${tag} ${((await page.locator(":focus").textContent()) ?? "").trim()}`;
    };
    await page.keyboard.press("Tab");
    await expect(focused()).resolves.toBe("a Skip to content");
    await expect(page.locator(":focus").isVisible()).resolves.toBe(true);
    await expect(page.locator(":focus").getAttribute("href")).resolves.toBe("#main");
    const order: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press("Tab");
      order.push(await focused());
    }
    expect(order).toEqual([
      `a ${tracker.settings.name}`,
      "a Home",
      "a Boards",
      "a Milestones",
      "a Reports",
      "a People",
      "a Search",
      "button ◐",
    ]);
    // the skip link takes the keyboard to the content
    await page.reload();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(new URL(page.url()).hash).toBe("#main");
    await finish(watched);
  });

  it("fits a phone's width (375 px) without horizontal scrolling on home and task pages", async () => {
    const watched = await openPage(browser, site.url, {
      colorScheme: "light",
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const { page } = watched;
    const overflow = () =>
      page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
    await expect(overflow()).resolves.toBe(0);
    await screenshot(page, "home-phone");
    for (const id of ["WEB-16", "WEB-11", "API-4"]) {
      await page.goto(`${site.url}tasks/${id}/`);
      await expect(overflow(), id).resolves.toBe(0);
    }
    await screenshot(page, "task-phone");
    await finish(watched);
  });

  it("asked the server only for files it has", () => {
    expect(site.log.length).toBeGreaterThan(10);
    expect(site.log.filter((entry) => entry.status >= 400)).toEqual([]);
  });
});
