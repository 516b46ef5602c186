import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
import { type FakeGitHub, startFakeGitHub } from "../../src/test-support/fake-github.js";
import { edit } from "../../src/test-support/git.js";

/**
 * The workflow_run follow-up that comments on pull requests from forks: the pull request's
 * check (read-only) writes check-report.json under RUNNER_TEMP and names it in its `report`
 * output; the follow-up, run with a write token on the default branch's checkout, is given
 * that file as its `report` input. It must post exactly what the check would have, and
 * nothing when the report does not hold up.
 */

const TOKEN = recognisableToken();
const WEB31 = "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";
/** Where the example workflow downloads the artifact to, inside the checkout. */
const REPORT_INPUT = "trackdown-report/check-report.json";

let repo: TrackerRepository;
let head: string;
/** The report the pull request's check wrote, as uploaded. */
let report: string;
/** The comment the check posts itself when it may (comment: true on a same-repository PR). */
let directComment: string;

function pullRequestRun(fake: FakeGitHub, comment: boolean): Promise<ActionRun> {
  return runAction({
    workspace: repo.dir,
    eventName: "pull_request",
    event: pullRequestEvent({
      number: 7,
      author: "lfischer-acme",
      base: repo.base,
      head,
      headRepository: "lfischer-acme/plan",
    }),
    inputs: { mode: "check", tracker: "tracker", token: TOKEN, comment: String(comment) },
    apiUrl: fake.url,
  });
}

beforeAll(async () => {
  repo = acmeRepository();
  head = repo.branch("start-work", (t) =>
    edit(t, WEB31, "status: todo\n", "status: doing\nassignees: [tom]\n"),
  );
  const fake = await startFakeGitHub({ login: null });
  try {
    const check = await pullRequestRun(fake, false);
    expect(check.code).toBe(0);
    expect(fake.requests).toEqual([]);
    expect(check.outputs.report).toMatch(/[/\\]trackdown[/\\]check-report\.json$/);
    report = readFileSync(check.outputs.report!, "utf8");
    const commenting = await pullRequestRun(fake, true);
    directComment = (fake.requests.find((r) => r.method === "POST")!.body as { body: string }).body;
    expect(commenting.code).toBe(0);
  } finally {
    await fake.close();
  }
});
afterAll(() => repo?.remove());

/** Runs the follow-up with `text` as the downloaded artifact. */
async function followUp(fake: FakeGitHub, text: string, headSha = head): Promise<ActionRun> {
  mkdirSync(join(repo.dir, "trackdown-report"), { recursive: true });
  writeFileSync(join(repo.dir, REPORT_INPUT), text);
  const run = await runAction({
    workspace: repo.dir,
    eventName: "workflow_run",
    event: {
      action: "completed",
      workflow_run: {
        id: 4242,
        name: "Trackdown check",
        event: "pull_request",
        head_sha: headSha,
        head_branch: "start-work",
        conclusion: "success",
      },
      repository: { full_name: "acme/plan" },
    },
    inputs: {
      mode: "check",
      tracker: "tracker",
      token: TOKEN,
      comment: "true",
      report: REPORT_INPUT,
    },
    apiUrl: fake.url,
  });
  expectSecretKept(TOKEN, run, fake, { isToken: true });
  return run;
}

function withPull(fake: FakeGitHub, number: number, headSha: string): void {
  fake.pulls.set(number, {
    number,
    title: "Start on the docs sidebar",
    user: { login: "lfischer-acme" },
    merged_at: null,
    html_url: `https://github.com/acme/plan/pull/${number}`,
    head: { sha: headSha },
  });
}

const tampered = (change: (r: Record<string, unknown>) => void) => {
  const data = JSON.parse(report) as Record<string, unknown>;
  change(data);
  return JSON.stringify(data);
};

describe("the workflow_run follow-up", () => {
  it("posts the comment the check would have posted, after checking the pull request's head", async () => {
    const fake = await fakeGitHubForTest({ login: null });
    withPull(fake, 7, head);
    const run = await followUp(fake, report);
    expect(run.code).toBe(0);
    expect(requestsTo(fake)).toEqual([
      "GET /repos/acme/plan/pulls/7",
      "GET /user",
      "GET /repos/acme/plan/issues/7/comments?per_page=100",
      "POST /repos/acme/plan/issues/7/comments",
    ]);
    const body = (fake.requests[3]!.body as { body: string }).body;
    expect(body).toBe(directComment);
    expect(liveMentions(body)).toEqual(["tbecker-acme"]);
    expect(fake.comments.get(7)).toMatchObject([{ user: { login: "github-actions[bot]" } }]);
  });

  it.each([
    [
      "its head commit is not the checked run's",
      () => tampered((r) => Object.assign(r, { headSha: repo.base })),
      /^The check report is not valid \(it is for [0-9a-f]{12}, but the checked run was for [0-9a-f]{12}\); nothing was posted\.$/,
    ],
    [
      "a field has the wrong type",
      () => tampered((r) => Object.assign(r, { pullRequest: "7" })),
      /^The check report is not valid \(pullRequest is not a whole number\); nothing was posted\.$/,
    ],
    [
      "a change carries a field of the wrong type",
      () => tampered((r) => ((r.changes as Record<string, unknown>[])[0]!.line = "5")),
      /^The check report is not valid \(change 0's line is not a whole number\); nothing was posted\.$/,
    ],
  ])("rejects a report whose %s, before asking GitHub anything", async (_what, text, message) => {
    const fake = await fakeGitHubForTest({ login: null });
    withPull(fake, 7, head);
    const run = await followUp(fake, text());
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      { level: "error", properties: {}, message: expect.stringMatching(message) },
    ]);
    expect(fake.requests).toEqual([]);
  });

  it("rejects a report moved to another pull request, whose head is not the checked commit", async () => {
    const fake = await fakeGitHubForTest({ login: null });
    withPull(fake, 7, head);
    withPull(fake, 8, repo.base);
    const run = await followUp(
      fake,
      tampered((r) => Object.assign(r, { pullRequest: 8 })),
    );
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      {
        level: "error",
        properties: {},
        message: `The check report is not valid (pull request #8 has head ${repo.base.slice(0, 12)}, not ${head.slice(0, 12)}); nothing was posted.`,
      },
    ]);
    expect(requestsTo(fake)).toEqual(["GET /repos/acme/plan/pulls/8"]);
    expect(fake.comments.size).toBe(0);
  });
});
