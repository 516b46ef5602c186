import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AxeResults, Result } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsCanRun, openPage } from "../../src/test-support/browser.js";
import { type OpenedSite, openBuiltSite } from "../../src/test-support/site.js";
import type { StaticSite } from "../../src/test-support/static-server.js";
import { ACME } from "../../src/test-support/temp.js";

// axe-core run inside Chromium on the example's main pages, in both themes (contrast is
// checked on what is painted): no violation of serious or critical impact.

const OUT = join(tmpdir(), `trackdown-site-a11y-${process.pid}`);
const BASE = "/acme/";
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const PAGES: readonly (readonly [name: string, path: string])[] = [
  ["home", ""],
  ["boards", "projects/"],
  ["board", "projects/WEB/"],
  ["table", "projects/WEB/table/"],
  ["task", "tasks/WEB-16/"],
  ["milestones", "milestones/"],
  ["milestone", "milestones/public-beta/"],
  ["reports", "reports/"],
  ["people", "people/"],
  ["person", "people/ana/"],
  ["search", "search/?q=signup"],
];

let site: StaticSite;
let browser: Browser;
let opened: OpenedSite | undefined;

/** A violation as a reviewer reads it: rule, impact, help, why, and the first elements. */
function describeViolation(violation: Result): string {
  const shown = violation.nodes.slice(0, 4).map((node) => {
    const html = node.html.length > 100 ? `${node.html.slice(0, 100)}…` : node.html;
    return `    at ${node.target.join(" ")}: ${html}`;
  });
  const why = violation.nodes[0]?.failureSummary?.split("\n").slice(0, 3).join(" ") ?? "";
  return [
    `  ${violation.impact ?? "?"} ${violation.id}: ${violation.help} (${violation.nodes.length} elements; ${violation.helpUrl})`,
    `    ${why}`,
    ...shown,
    ...(violation.nodes.length > shown.length
      ? [`    …and ${violation.nodes.length - shown.length} more`]
      : []),
  ].join("\n");
}

/** Serious and critical violations on the page, of every rule or of the rules named. */
async function axeViolations(page: Page, rules?: readonly string[]): Promise<Result[]> {
  await page.addScriptTag({ content: AXE });
  const options = JSON.stringify({
    resultTypes: ["violations"],
    ...(rules !== undefined ? { runOnly: { type: "rule", values: rules } } : {}),
  });
  const results = await page.evaluate<AxeResults>(`axe.run(document, ${options})`);
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

describe.skipIf(!browserTestsCanRun("the site's accessibility tests"))(
  "the site's accessibility (axe-core)",
  () => {
    beforeAll(async () => {
      opened = await openBuiltSite({
        tracker: ACME,
        out: OUT,
        base: BASE,
        url: "https://acme.example",
        today: "2026-11-27",
      });
      ({ site, browser } = opened);
    }, 120_000);

    afterAll(async () => {
      await opened?.close();
    });

    for (const theme of ["light", "dark"] as const) {
      it(`has no serious or critical violations on the main pages (${theme} theme)`, async () => {
        const watched = await openPage(browser, site.url, { colorScheme: theme });
        const report: string[] = [];
        for (const [name, path] of PAGES) {
          await watched.page.goto(`${site.url}${path}`);
          if (name === "search") await watched.page.locator("#results li").first().waitFor();
          const violations = await axeViolations(watched.page);
          if (violations.length > 0) {
            report.push(`${name} (${BASE}${path}):`, ...violations.map(describeViolation));
          }
        }
        const problems = watched.allProblems();
        await watched.close();
        if (report.length > 0) {
          expect.fail(`axe-core found serious or critical violations:\n${report.join("\n")}`);
        }
        expect(problems).toEqual([]);
      });
    }
  },
);
