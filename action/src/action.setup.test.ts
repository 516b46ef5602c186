import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, runAction } from "../../src/test-support/action.js";
import {
  acmeRepository,
  expectSecretKept,
  fakeGitHubForTest,
  pullRequestEvent,
  recognisableToken,
  type TrackerRepository,
} from "../../src/test-support/action-scenario.js";
import { edit, git, write } from "../../src/test-support/git.js";
import { tempDir } from "../../src/test-support/temp.js";

/**
 * What the Action says when the workflow around it is wrong: bad inputs, a checkout without
 * the commits it compares (actions/checkout fetches one commit unless told `fetch-depth: 0`),
 * the wrong event. Each is one error on the step, exit 1, and no request to GitHub.
 */

const TOKEN = recognisableToken();
const WEB31 = "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";

let repo: TrackerRepository;
const head: Record<string, string> = {};

beforeAll(() => {
  repo = acmeRepository();
  head.start = repo.branch("start-work", (t) =>
    edit(t, WEB31, "status: todo\n", "status: doing\nassignees: [tom]\n"),
  );
  // main and a branch that both moved on from the base
  head.mainLater = repo.branch("main-later", (t) =>
    write(
      t,
      "projects/web/tasks/WEB-32-dark-mode-toggle.md",
      "---\nid: WEB-32\ntitle: Dark mode toggle\nstatus: backlog\n---\n",
    ),
  );
  head.other = repo.branch("cookie-copy", (t) =>
    write(
      t,
      "projects/web/tasks/WEB-33-cookie-banner-copy.md",
      "---\nid: WEB-33\ntitle: Cookie banner copy\nstatus: backlog\n---\n",
    ),
  );
});
afterAll(() => repo?.remove());

/** Runs the check on a pull request by lena; nothing may reach GitHub. */
async function check(
  headSha: string,
  options: { base?: string; inputs?: Record<string, string>; workspace?: string } = {},
): Promise<ActionRun> {
  const fake = await fakeGitHubForTest();
  const run = await runAction({
    workspace: options.workspace ?? repo.dir,
    eventName: "pull_request",
    event: pullRequestEvent({
      number: 7,
      author: "lfischer-acme",
      base: options.base ?? repo.base,
      head: headSha,
    }),
    inputs: { mode: "check", tracker: "tracker", token: TOKEN, comment: "true", ...options.inputs },
    apiUrl: fake.url,
  });
  expect(fake.requests).toEqual([]);
  expectSecretKept(TOKEN, run, fake, { isToken: true });
  return run;
}

describe("mode: check says what is wrong with its setup", () => {
  it.each([
    [{ mode: "bogus" }, 'The input mode must be check, notify or digest, not "bogus".'],
    [{ "fail-on": "bogus" }, 'The input fail-on must be error or warning, not "bogus".'],
    [{ comment: "yes" }, 'The input comment must be true or false, not "yes".'],
    [
      { tracker: "../elsewhere" },
      'The input tracker must be a folder inside the checkout, not "../elsewhere".',
    ],
    [{ "stale-days": "soon" }, 'The input stale-days must be a whole number of days, not "soon".'],
  ])("fails on bad inputs %o with a clear message", async (inputs, message) => {
    const run = await check(head.start!, { inputs });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([{ level: "error", properties: {}, message }]);
    expect(run.outputs).toEqual({});
  });

  it("refuses a tracker folder beside the checkout whose name only starts like it", async () => {
    const beside = `../${basename(repo.dir)}-elsewhere`;
    const run = await check(head.start!, { inputs: { tracker: beside } });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      {
        level: "error",
        properties: {},
        message: `The input tracker must be a folder inside the checkout, not "${beside}".`,
      },
    ]);
  });

  it("fails when the base commit is not in the checkout, naming fetch-depth: 0", async () => {
    const missing = "0123456789abcdef0123456789abcdef01234567";
    const run = await check(head.start!, { base: missing });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      {
        level: "error",
        properties: {},
        message: expect.stringMatching(
          /^The base commit 0123456789ab is not in the checkout \(.*\)\. Check out with `fetch-depth: 0` in actions\/checkout/,
        ),
      },
    ]);
  });

  it("fails in a shallow clone (actions/checkout's default fetch-depth: 1), naming fetch-depth: 0", async () => {
    const shallow = tempDir("trackdown-shallow-");
    git(shallow, [
      "clone",
      "-q",
      "--depth",
      "1",
      "--branch",
      "start-work",
      `file://${repo.dir}`,
      ".",
    ]);
    const run = await check(head.start!, { workspace: shallow });
    expect(run.code).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]!.message).toMatch(
      new RegExp(
        `^The base commit ${repo.base.slice(0, 12)} is not in the checkout .*\`fetch-depth: 0\``,
      ),
    );
  });

  it("fails when the base and head are there but not the history that joins them", async () => {
    const shallow = tempDir("trackdown-shallow-");
    git(shallow, ["clone", "-q", "--depth", "1", "--no-single-branch", `file://${repo.dir}`, "."]);
    const run = await check(head.other!, {
      workspace: shallow,
      base: head.mainLater,
    });
    expect(run.code).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]!.message).toBe(
      `The base commit ${head.mainLater!.slice(0, 12)} and the head commit ${head.other!.slice(0, 12)} are in the checkout, but not the history that joins them, so the pull request's own changes cannot be told apart from the base's. Check out with \`fetch-depth: 0\` in actions/checkout so that the history is there.`,
    );
  });

  it("fails on an event without a pull request, saying which mode fits", async () => {
    const fake = await fakeGitHubForTest();
    const run = await runAction({
      workspace: repo.dir,
      eventName: "push",
      event: { ref: "refs/heads/main", before: repo.base, after: head.start },
      inputs: { mode: "check", tracker: "tracker", token: TOKEN },
      apiUrl: fake.url,
    });
    expect(run.code).toBe(1);
    expect(run.annotations[0]!.message).toMatch(
      /^mode: check runs on pull_request events .*mode: notify on push/,
    );
    expect(fake.requests).toEqual([]);
  });
});

describe("mode: check on the pull request that brings the tracker in", () => {
  it("checks the files, with no rules to enforce yet, and fails on their errors", async () => {
    const dir = tempDir("trackdown-introduce-");
    write(dir, "README.md", "# A product\n");
    git(dir, ["init", "-q", "-b", "main"]);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "Code only"]);
    const base = git(dir, ["rev-parse", "HEAD"]);
    write(dir, "tracker/trackdown.yml", "version: 1\nkey: acme\nname: Acme\n");
    write(dir, "tracker/projects/web/project.md", "---\nkey: WEB\nname: Website\n---\n");
    write(
      dir,
      "tracker/projects/web/tasks/WEB-1-first.md",
      "---\nid: WEB-1\ntitle: First\nstatus: todo\nassignees: [nobody]\n---\n",
    );
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "Plan"]);
    const fake = await fakeGitHubForTest();
    const run = await runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent({
        number: 3,
        author: "newcomer",
        base,
        head: git(dir, ["rev-parse", "HEAD"]),
      }),
      inputs: { mode: "check", tracker: "tracker", token: TOKEN },
      apiUrl: fake.url,
    });
    expect(run.annotations.map((a) => [a.level, a.properties.title ?? ""])).toEqual([
      ["notice", ""],
      ["error", "TD201 error"],
      ["error", "TD101 error"],
      ["error", ""],
    ]);
    expect(run.annotations[0]!.message).toMatch(/no trackdown\.yml yet, so there are no rules/);
    expect(run.annotations[1]!.properties.file).toBe("tracker/projects/web/tasks/WEB-1-first.md");
    expect(run.code).toBe(1);
    // the head is read with its own settings (there are none on the base): their problems too
    expect(run.annotations[2]!.message).toMatch(/"workflow" is missing/);
    expect(run.outputs).toMatchObject({ violations: "0", errors: "2" });
    expect(fake.requests).toEqual([]);
  });
});
