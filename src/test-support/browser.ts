import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContextOptions,
  chromium,
  type Page,
  type Request,
} from "playwright-core";
import { REPO_ROOT } from "./temp.js";

/**
 * Chromium for the site's browser tests: Debian's build (never one downloaded by
 * Playwright), driven by playwright-core. Tests skip with a visible message without it;
 * CI installs it.
 */
export const CHROMIUM = process.env.TRACKDOWN_CHROMIUM ?? "/usr/bin/chromium";

/** Where screenshots go (ignored by git). */
export const TEST_RESULTS = join(REPO_ROOT, "test-results");

/** Whether the browser tests can run here. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * True when the browser tests can run; otherwise warns once, naming what to install, so a
 * skipped suite is never silent. Use as `describe.skipIf(!browserTestsCanRun("…"))`.
 */
export function browserTestsCanRun(suite: string): boolean {
  if (chromiumAvailable()) return true;
  console.warn(
    `Skipping ${suite}: no Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or point TRACKDOWN_CHROMIUM at one.`,
  );
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** What went wrong while a page was open, each as a readable line. */
export interface PageProblems {
  /** console.error messages. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** Requests that failed (network errors) or answered 400 or more. */
  readonly failedRequests: string[];
  /** Requests to anywhere but 127.0.0.1 (blocked: a built site needs no other host). */
  readonly externalRequests: string[];
  /** alert/confirm/prompt dialogs (dismissed). */
  readonly dialogs: string[];
}

export interface WatchedPage {
  readonly page: Page;
  readonly problems: PageProblems;
  /** Every problem in one list: what a test expects to be empty. */
  allProblems(): string[];
  close(): Promise<void>;
}

function describeRequest(request: Request): string {
  return `${request.method()} ${request.url()}`;
}

/**
 * Opens a URL in a fresh browser context (its own storage) and records what goes wrong
 * there, including on pages reached later by clicking.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    externalRequests: [],
    dialogs: [],
  };
  await context.route(
    (target) => target.hostname !== "127.0.0.1",
    (route) => {
      problems.externalRequests.push(describeRequest(route.request()));
      return route.abort("blockedbyclient");
    },
  );
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") {
      const at = message.location();
      problems.consoleErrors.push(`${message.text()} (${at.url}:${at.lineNumber})`);
    }
  });
  page.on("pageerror", (error) => problems.pageErrors.push(`${page.url()}: ${error.message}`));
  page.on("requestfailed", (request) => {
    const error = request.failure()?.errorText;
    // blocked external requests are already recorded as such; a request cancelled because
    // the page went on to another (a favicon, a lazy fetch) is no failure of the site, and
    // a missing file still shows as a response of 404
    if (error === "net::ERR_BLOCKED_BY_CLIENT" || error === "net::ERR_ABORTED") return;
    problems.failedRequests.push(`${describeRequest(request)}: ${error ?? "failed"}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) {
      problems.failedRequests.push(`${describeRequest(response.request())}: ${response.status()}`);
    }
  });
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  await page.goto(url);
  return {
    page,
    problems,
    allProblems: () =>
      Object.entries(problems).flatMap(([kind, lines]: [string, string[]]) =>
        lines.map((line) => `${kind}: ${line}`),
      ),
    close: () => context.close(),
  };
}

/** Saves a full-page PNG as test-results/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_RESULTS, { recursive: true });
  const path = join(TEST_RESULTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
