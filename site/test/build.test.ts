import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/test-support/cli.js";
import { buildSite } from "../../src/test-support/site.js";
import { ACME, copyOfAcme, REPO_ROOT } from "../../src/test-support/temp.js";

// The example tracker's site, built by the real command (a child process, as a user runs
// it) under a base path, read back as files: every page there, every link and asset it
// names present, nothing of Astro's server build left behind.

const OUT = join(tmpdir(), `trackdown-site-build-${process.pid}`);
const BASE = "/acme/";
let stdout = "";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

beforeAll(() => {
  stdout = buildSite({ tracker: ACME, out: OUT, base: BASE, url: "https://acme.example" });
}, 120_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe("trackdown site build", () => {
  it("says where it built what", () => {
    expect(stdout).toMatch(
      /^Built the site of .*acme into .* in \d+\.\d s \(base \/acme\/; 66 task pages\)\.\n$/,
    );
  });

  it("writes every page: home, boards and tables, tasks, milestones, reports, people, search, feeds", () => {
    for (const page of [
      "index.html",
      "projects/index.html",
      "projects/WEB/index.html",
      "projects/WEB/table/index.html",
      "tasks/WEB-16/index.html",
      "milestones/index.html",
      "milestones/public-beta/index.html",
      "reports/index.html",
      "people/index.html",
      "people/ana/index.html",
      "search/index.html",
      "search-index.json",
      "activity.xml",
      "calendar.ics",
    ]) {
      expect(existsSync(join(OUT, page)), page).toBe(true);
    }
    const tasks = readdirSync(join(OUT, "tasks"));
    expect(tasks.length).toBe(66); // 63 tasks and 3 archived
    expect(files(OUT).filter((f) => f.endsWith(".mjs"))).toEqual([]);
  });

  it("resolves every link and asset under the base path to a file it wrote", () => {
    const missing: string[] = [];
    for (const file of files(OUT).filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(file, "utf8");
      for (const match of html.matchAll(/(?:href|src)="([^"#?]+)[^"]*"/g)) {
        const url = match[1]!;
        if (/^(https?:|mailto:)/.test(url)) continue;
        expect(url.startsWith(BASE), `${file}: ${url}`).toBe(true);
        const path = join(OUT, decodeURIComponent(url.slice(BASE.length)));
        const target = url.endsWith("/") ? join(path, "index.html") : path;
        if (!existsSync(target) && !existsSync(join(target, "index.html")))
          missing.push(`${file} → ${url}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("shows a task with its fields, rendered description, checklist, history and time", () => {
    const html = readFileSync(join(OUT, "tasks", "WEB-16", "index.html"), "utf8");
    expect(html).toContain("Signup form with inline validation");
    expect(html).toMatch(/<dt>Status<\/dt><dd>In review<\/dd>/);
    expect(html).toContain('<section class="markdown"');
    expect(html).toMatch(/Time logged \(\d+h/);
  });

  it("gives each board column its WIP count against the limit, and cards with the facts", () => {
    const html = readFileSync(join(OUT, "projects", "WEB", "index.html"), "utf8");
    expect(html).toMatch(/<h2 id="col-doing">[\s\S]*?<span data-count>\d+<\/span> · \d+\/6/);
    expect(html).toContain('data-id="web-16"');
    expect(html).toContain('data-filter="board"');
  });

  it("publishes feeds with absolute links on the given URL", () => {
    expect(readFileSync(join(OUT, "activity.xml"), "utf8")).toContain(
      '<link rel="self" type="application/atom+xml" href="https://acme.example/acme/activity.xml"/>',
    );
    expect(readFileSync(join(OUT, "calendar.ics"), "utf8")).toMatch(/^BEGIN:VCALENDAR\r\n/);
  });

  it("keeps the search index small: ids, titles, labels and people, no bodies", () => {
    const index = readFileSync(join(OUT, "search-index.json"), "utf8");
    expect(JSON.parse(index)).toMatchObject({ documentCount: 66 });
    expect(index.length).toBeLessThan(120_000);
  });

  it("copies attachments under files/", () => {
    expect(readdirSync(join(OUT, "files")).length).toBeGreaterThan(0);
  });
});

describe("trackdown site build again into the same folder", () => {
  it("renders only the task pages whose content changed, and ends with what a full build gives", () => {
    const tracker = copyOfAcme();
    const out = join(tracker, "..", `${tracker.split(sep).at(-1)}-site`);
    const full = `${out}-full`;
    try {
      expect(buildSite({ tracker, out, base: "/" })).toMatch(/; 66 task pages\)\.\n$/);
      expect(buildSite({ tracker, out, base: "/" })).toMatch(/; 0 of 66 task pages changed\)\.\n$/);
      const file = join(
        tracker,
        "projects",
        "web",
        "tasks",
        "WEB-8-component-library-buttons-inputs-cards.md",
      );
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace(/^title: .*$/m, "title: Storybook, revised"),
      );
      rmSync(
        join(tracker, "projects", "web", "tasks", "WEB-31-broken-anchor-links-in-docs-sidebar.md"),
      );
      expect(buildSite({ tracker, out, base: "/" })).toMatch(
        /; \d+ of 65 task pages changed\)\.\n$/,
      );
      expect(existsSync(join(out, "tasks", "WEB-31"))).toBe(false);
      expect(readFileSync(join(out, "tasks", "WEB-8", "index.html"), "utf8")).toContain(
        "Storybook, revised",
      );
      // a page that names WEB-8's title elsewhere (its board) is rendered again too
      expect(readFileSync(join(out, "projects", "WEB", "index.html"), "utf8")).toContain(
        "Storybook, revised",
      );
      buildSite({ tracker, out: full, base: "/" });
      const listing = (dir: string) =>
        files(dir)
          .map((f) => f.slice(dir.length))
          .sort();
      expect(listing(out)).toEqual(listing(full));
      for (const name of listing(out)) {
        expect(readFileSync(join(out, name), "utf8"), name).toBe(
          readFileSync(join(full, name), "utf8"),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(full, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("trackdown site says what is wrong, before building", () => {
  it.each([
    [
      ["--at", "nope-branch"],
      'There is no branch, tag or commit "nope-branch" in this repository.',
    ],
    [["--base", "../x"], '--base must be a URL path such as /my-repo/, not "../x".'],
    [
      ["--url", "ftp://x"],
      '--url must be an http(s) address such as https://acme.github.io, not "ftp://x".',
    ],
  ])("refuses %j with a clear message and exit 2", async (args, message) => {
    const out = join(tmpdir(), `trackdown-site-refused-${process.pid}`);
    const run = await runCli(["site", "build", "-t", ACME, "--out", out, ...args], {
      cwd: REPO_ROOT,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it.each([["0"], ["abc"], ["70000"], ["4321.5"]])(
    "refuses to serve on port %s, before starting anything",
    async (port) => {
      const run = await runCli(["site", "dev", "-t", ACME, "--port", port], { cwd: REPO_ROOT });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--port must be a whole number from 1 to 65535, not "${port}".`);
    },
  );

  it("refuses to preview a folder with no built site", async () => {
    const run = await runCli(["site", "preview", "--out", join(tmpdir(), "no-site-here")], {
      cwd: REPO_ROOT,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("There is no built site in");
  });
});
