import { marked } from "marked";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, runAction } from "../../src/test-support/action.js";
import {
  acmeRepository,
  expectSecretKept,
  fakeGitHubForTest,
  liveMentions,
  pullRequestEvent,
  recognisableToken,
  requestsTo,
  type TrackerRepository,
} from "../../src/test-support/action-scenario.js";
import type { FakeComment, FakeGitHub } from "../../src/test-support/fake-github.js";
import { edit, write } from "../../src/test-support/git.js";

/**
 * `mode: check` with `comment: true`: one sticky comment per pull request, created, then
 * updated in place, never duplicated; a fork's read-only token; hostile text from a
 * pull request's files; GitHub's pagination and secondary rate limit.
 */

const TOKEN = recognisableToken();
const MARKER = "<!-- trackdown:check -->";
const WEB31 = "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";
const HOSTILE_TITLE =
  "@everyone <img src=x onerror=alert(1)> [x](javascript:alert(1)) #1 &#64;admin";

/** The elements the Action's own Markdown renders to. */
const RENDERED = new Set([
  "h3",
  "p",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "a",
  "code",
  "strong",
  "sub",
]);

/** A file name can carry Markdown too: it ends up in link targets. */
const HOSTILE_FILE = "WEB-32-everyone)*pwned*~x~(y.md";

let repo: TrackerRepository;
const head: Record<string, string> = {};

beforeAll(() => {
  repo = acmeRepository();
  head.start = repo.branch("start-work", (t) =>
    edit(t, WEB31, "status: todo\n", "status: doing\nassignees: [tom]\n"),
  );
  // the same pull request, one more commit pushed
  head.pushed = repo.branch(
    "start-work",
    (t) => edit(t, WEB31, "priority: low", "priority: medium"),
    {
      from: head.start,
      date: "2026-11-21T10:00:00+01:00",
    },
  );
  head.fork = repo.branch("outside", (t) => {
    write(
      t,
      "projects/web/tasks/WEB-32-typo-on-the-pricing-page.md",
      "---\nid: WEB-32\ntitle: Typo on the pricing page\nstatus: backlog\n---\n",
    );
    edit(t, WEB31, "priority: low", "priority: urgent");
  });
  head.hostile = repo.branch("hostile", (t) =>
    write(
      t,
      `projects/web/tasks/${HOSTILE_FILE}`,
      `---\nid: WEB-32\ntitle: ${JSON.stringify(HOSTILE_TITLE)}\nstatus: backlog\nassignees: [tom]\n---\n\n@everyone look <script>alert(1)</script>\n`,
    ),
  );
});
afterAll(() => repo?.remove());

async function checkWithComment(
  fake: FakeGitHub,
  pr: { number: number; author: string; head: string; headRepository?: string },
): Promise<ActionRun> {
  const run = await runAction({
    workspace: repo.dir,
    eventName: "pull_request",
    event: pullRequestEvent({ ...pr, base: repo.base }),
    inputs: { mode: "check", tracker: "tracker", token: TOKEN, comment: "true" },
    apiUrl: fake.url,
  });
  expectSecretKept(TOKEN, run, fake, { isToken: true });
  return run;
}

/** The body of the one request with this method. */
function sentBody(fake: FakeGitHub, method: string): string {
  const sent = fake.requests.filter((r) => r.method === method);
  expect(sent).toHaveLength(1);
  return (sent[0]!.body as { body: string }).body;
}

describe("the sticky comment", () => {
  it("is created, updated in place when the pull request gets a new commit, and left alone when nothing changed", async () => {
    const fake = await fakeGitHubForTest();
    const first = await checkWithComment(fake, {
      number: 7,
      author: "lfischer-acme",
      head: head.start!,
    });
    expect(first.code).toBe(0);
    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/7/comments?per_page=100",
      "POST /repos/acme/plan/issues/7/comments",
    ]);
    const created = sentBody(fake, "POST");
    expect(created.startsWith(`${MARKER}\n### Trackdown: plan changes in #7\n`)).toBe(true);
    expect(created).toContain("✅ No rule broken. 2 plan changes by lfischer-acme");
    // the person newly assigned is mentioned, by the login the base branch gives them
    expect(created).toContain("**Newly assigned:** @tbecker-acme (WEB-31)");
    expect(liveMentions(created)).toEqual(["tbecker-acme"]);
    expect(first.stdout).toContain(
      "Comment created: https://github.com/acme/plan/issues/7#issuecomment-1000",
    );

    fake.requests.length = 0;
    const second = await checkWithComment(fake, {
      number: 7,
      author: "lfischer-acme",
      head: head.pushed!,
    });
    expect(second.code).toBe(0);
    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/7/comments?per_page=100",
      "PATCH /repos/acme/plan/issues/comments/1000",
    ]);
    const updated = sentBody(fake, "PATCH");
    expect(updated).toContain("3 plan changes by lfischer-acme");
    expect(updated).toContain(`Head \`${head.pushed!.slice(0, 12)}\``);
    expect(liveMentions(updated)).toEqual(["tbecker-acme"]);
    expect(fake.comments.get(7)).toEqual([
      { id: 1000, body: updated, user: { login: "trackdown-bot" } },
    ]);

    fake.requests.length = 0;
    const again = await checkWithComment(fake, {
      number: 7,
      author: "lfischer-acme",
      head: head.pushed!,
    });
    expect(again.code).toBe(0);
    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/7/comments?per_page=100",
    ]);
    expect(fake.comments.get(7)).toHaveLength(1);
  });

  it("on a fork's pull request (read-only token) warns, keeps annotations, summary and the exit code, posts nothing", async () => {
    // GITHUB_TOKEN: GET /user answers 403, comments are by github-actions[bot]
    const fake = await fakeGitHubForTest({ login: null });
    fake.failNext("POST", /^\/repos\/acme\/plan\/issues\/11\/comments$/, 1, "read-only");
    const run = await checkWithComment(fake, {
      number: 11,
      author: "outside-contributor",
      head: head.fork!,
      headRepository: "outside-contributor/plan",
    });
    expect(run.code).toBe(1);
    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/11/comments?per_page=100",
      "POST /repos/acme/plan/issues/11/comments",
    ]);
    expect(fake.comments.get(11)).toBeUndefined();
    expect(run.annotations.map((a) => [a.level, a.properties.title, a.properties.file])).toEqual([
      ["error", "TD401 error", `tracker/${WEB31}`],
      ["warning", undefined, undefined],
      ["error", undefined, undefined],
    ]);
    expect(run.annotations[0]!.message).toMatch(
      /^outside-contributor \(not an active person in people\/, role guest\) may not make this change \(WEB-31 priority/,
    );
    expect(run.annotations[1]!.message).toMatch(
      /^The comment could not be posted \(HTTP 403: the token is read-only, as it always is for pull requests from forks\)\. The result is in the annotations and the job summary/,
    );
    expect(run.summary).toContain(
      "❌ 1 rule broken, 1 error, 0 warnings. 2 plan changes by outside-contributor",
    );
    expect(run.outputs).toMatchObject({ errors: "1", violations: "1" });
  });

  it("echoes a hostile task title and file name inertly: no mention, reference, HTML or link but the Action's own", async () => {
    const fake = await fakeGitHubForTest();
    const run = await checkWithComment(fake, {
      number: 8,
      author: "lfischer-acme",
      head: head.hostile!,
    });
    expect(run.code).toBe(0);
    const body = sentBody(fake, "POST");
    for (const markdown of [body, run.summary]) {
      expect(markdown).toContain("everyone");
      // the only live mention is the one the Action decided on (in the comment, not the summary)
      expect(liveMentions(markdown)).toEqual(markdown === body ? ["tbecker-acme"] : []);
      // no raw HTML but the marker and <sub>
      const tags = [...markdown.matchAll(/<[A-Za-z!/?][^>]*>?/g)].map((m) => m[0]);
      expect(new Set(tags)).toEqual(
        new Set([...(markdown === body ? [MARKER] : []), "<sub>", "</sub>"]),
      );
      expect(markdown).not.toContain("&#64;");
      expect(markdown).toContain("&amp;#\u206064;admin");
      // no #1 reference, no javascript: scheme
      expect(markdown).not.toMatch(/#1(?!\d)/);
      expect(markdown).toContain("#\u20601");
      expect(markdown).not.toContain("javascript:alert");
      // every link is one of the Action's links to a file at the head commit
      const links = [...markdown.matchAll(/\]\(([^)\s]*)\)/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(link.startsWith(`https://github.com/acme/plan/blob/${head.hostile}/tracker/`)).toBe(
          true,
        );
      }
      // rendered as GitHub would (GFM): no element from the title, every anchor to github.com
      const html = await marked.parse(markdown, { gfm: true });
      const elements = new Set([...html.matchAll(/<([a-z][a-z0-9]*)[\s>]/gi)].map((m) => m[1]));
      expect([...elements].filter((e) => !RENDERED.has(e!))).toEqual([]);
      expect(html).not.toMatch(/<[^>]*(onerror|javascript)/i);
      for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) {
        expect(href!.startsWith("https://github.com/acme/plan/blob/")).toBe(true);
      }
    }
  });

  it("finds its comment among 150 others (two pages) and retries a secondary rate limit on the POST", async () => {
    const fake = await fakeGitHubForTest({ login: null });
    const others: FakeComment[] = Array.from({ length: 150 }, (_, i) => ({
      id: 100 + i,
      body: i === 42 ? `${MARKER}\nnot the Action's: same marker, another author` : `comment ${i}`,
      user: { login: i % 2 === 0 ? "lfischer-acme" : "mallory" },
    }));
    fake.comments.set(
      9,
      others.map((c) => ({ ...c })),
    );
    fake.failNext("POST", /^\/repos\/acme\/plan\/issues\/9\/comments$/, 1, "secondary");
    const run = await checkWithComment(fake, {
      number: 9,
      author: "lfischer-acme",
      head: head.start!,
    });
    expect(run.code).toBe(0);
    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/9/comments?per_page=100",
      "GET /repos/acme/plan/issues/9/comments?per_page=100&page=2",
      "POST /repos/acme/plan/issues/9/comments",
      "POST /repos/acme/plan/issues/9/comments",
    ]);
    expect(run.stdout).toContain(
      "GitHub secondary rate limit on POST /repos/acme/plan/issues/9/comments: retry 1 of 2",
    );
    const comments = fake.comments.get(9)!;
    expect(comments).toHaveLength(151);
    expect(comments.slice(0, 150)).toEqual(others);
    expect(comments[150]).toMatchObject({ user: { login: "github-actions[bot]" } });
    expect(comments[150]!.body.startsWith(MARKER)).toBe(true);
  });
});
