import { rmSync } from "node:fs";
import { join } from "node:path";
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
import { edit, write } from "../../src/test-support/git.js";

/**
 * `mode: check` end to end, as a required check sees it: the bundle run by node over a real
 * repository (acme in tracker/, pull requests as branches), judged by the base's rules.
 * These runs have `comment: false`, so not a single request may reach GitHub.
 */

const TOKEN = recognisableToken();
const WEB31 = "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";
const WEB16 = "projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";
const API11 = "projects/api/tasks/API-11-plans-and-pricing-endpoint.md";
const WEB15 = "projects/web/tasks/WEB-15-pricing-page-with-plan-comparison-table.md";
const at = (file: string) => `tracker/${file}`;

/** A team that hands out the lead role, on the base branch (acme's teams only give member). */
const RELEASE_TEAM = `name: Release
description: Cuts releases and signs them off.
lead: jonas
members: [jonas, priya]
roles: [lead]
`;

let repo: TrackerRepository;
/** The pull requests' head commits, by branch. */
const head: Record<string, string> = {};

beforeAll(() => {
  repo = acmeRepository({ change: (t) => write(t, "teams/release.yml", RELEASE_TEAM) });
  head.start = repo.branch("start-work", (t) =>
    edit(t, WEB31, "status: todo\n", "status: doing\nassignees: [tom]\n"),
  );
  head.skip = repo.branch("skip-ahead", (t) => edit(t, WEB31, "status: todo", "status: done"));
  head.close = repo.branch("close", (t) => edit(t, WEB16, "status: review", "status: done"));
  head.loosen = repo.branch("loosen-rules", (t) => {
    edit(
      t,
      "trackdown.yml",
      "      - task:move:review\n",
      "      - task:move:review\n      - task:move:done\n",
    );
    edit(t, "people/tom.yml", "capacity: 24\n", "capacity: 24\nroles: [admin]\n");
    edit(t, WEB16, "status: review", "status: done");
  });
  head.join = repo.branch("join-release", (t) =>
    edit(t, "teams/release.yml", "members: [jonas, priya]", "members: [jonas, priya, tom]"),
  );
  head.label = repo.branch("typo-label", (t) =>
    edit(t, WEB31, "labels: [bug, docs]", "labels: [bug, docs, frontent]"),
  );
  head.wip = repo.branch("into-review", (t) => {
    edit(t, API11, "status: doing", "status: review");
    edit(t, WEB15, "status: doing", "status: review");
  });
  head.badDate = repo.branch("bad-date", (t) =>
    edit(t, WEB31, "estimate: 1\n", "estimate: 1\ndue: 2026-13-01\n"),
  );
  head.removeKenji = repo.branch("remove-kenji", (t) => rmSync(join(t, "people", "kenji.yml")));
  // main moves on after the branches left it: someone else takes WEB-32 first
  head.mainLater = repo.branch(
    "main-later",
    (t) =>
      write(
        t,
        "projects/web/tasks/WEB-32-dark-mode-toggle.md",
        "---\nid: WEB-32\ntitle: Dark mode toggle\nstatus: backlog\n---\n",
      ),
    { date: "2026-11-21T10:00:00+01:00" },
  );
  head.clash = repo.branch("cookie-copy", (t) =>
    write(
      t,
      "projects/web/tasks/WEB-32-cookie-banner-copy.md",
      "---\nid: WEB-32\ntitle: Cookie banner copy\nstatus: backlog\n---\n",
    ),
  );
});
afterAll(() => repo?.remove());

/** Runs the check on pull request #7 by `author` with head `headSha`; nothing may reach GitHub. */
async function check(
  author: string,
  headSha: string,
  options: { base?: string; inputs?: Record<string, string>; workspace?: string } = {},
): Promise<ActionRun> {
  const fake = await fakeGitHubForTest();
  const run = await runAction({
    workspace: options.workspace ?? repo.dir,
    eventName: "pull_request",
    event: pullRequestEvent({ number: 7, author, base: options.base ?? repo.base, head: headSha }),
    inputs: {
      mode: "check",
      tracker: "tracker",
      token: TOKEN,
      comment: "false",
      ...options.inputs,
    },
    apiUrl: fake.url,
  });
  expect(fake.requests).toEqual([]);
  expectSecretKept(TOKEN, run, fake, { isToken: true });
  return run;
}

/** The annotations of problems (TD codes), as the runner shows them on the files. */
function problems(run: ActionRun) {
  return run.annotations
    .filter((a) => /^TD\d{3} /.test(a.properties.title ?? ""))
    .map((a) => ({
      level: a.level,
      title: a.properties.title,
      at: `${a.properties.file}:${a.properties.line}:${a.properties.col}`,
      message: a.message,
    }));
}

describe("mode: check judges a pull request by the base branch's rules", () => {
  it("passes a member's clean plan change: exit 0, no annotation, the changes in outputs and summary", async () => {
    const run = await check("lfischer-acme", head.start!);
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);
    expect(run.outputs).toMatchObject({ errors: "0", warnings: "0", violations: "0" });
    expect(JSON.parse(run.outputs.changes!)).toEqual([
      {
        kind: "task.status",
        id: "WEB-31",
        file: at(WEB31),
        line: 5,
        column: 9,
        from: "todo",
        to: "doing",
        summary: "WEB-31 moved from todo to doing",
      },
      {
        kind: "task.assignees",
        id: "WEB-31",
        file: at(WEB31),
        line: 6,
        column: 12,
        added: ["tom"],
        removed: [],
        summary: "WEB-31 assignees: +tom",
      },
    ]);
    expect(run.summary).toContain("### Trackdown: plan changes in #7");
    expect(run.summary).toContain(
      "✅ No rule broken. 2 plan changes by lfischer-acme, judged by the rules on the base branch.",
    );
    expect(run.summary).toContain(
      `| task | WEB-31 moved from todo to doing | [\`${at(WEB31)}:5\`](https://github.com/acme/plan/blob/${head.start}/${at(WEB31)}#L5) |`,
    );
    // the summary names people; only a comment mentions them
    expect(run.summary).toContain("**Newly assigned:** `tom` (WEB-31)");
    expect(run.summary).not.toContain("@tbecker-acme");
  });

  it("fails a move the workflow does not allow (TD402) on the status line", async () => {
    const run = await check("jweber-acme", head.skip!);
    expect(run.code).toBe(1);
    expect(problems(run)).toEqual([
      {
        level: "error",
        title: "TD402 error",
        at: `${at(WEB31)}:5:9`,
        message: expect.stringMatching(
          /^WEB-31 may not move from todo to done; from todo the workflow allows doing, backlog, cancelled\.\n/,
        ),
      },
    ]);
    expect(run.outputs).toMatchObject({ errors: "1", warnings: "0", violations: "1" });
    expect(run.summary).toContain("❌ 1 rule broken, 1 error, 0 warnings.");
    expect(run.summary).toMatch(/\| ❌ error \| TD402 \| WEB-31 may not move from todo to done/);
    expect(run.annotations.at(-1)).toMatchObject({
      level: "error",
      message: expect.stringContaining("1 rule broken, 1 error and 0 warnings"),
    });
  });

  it("fails a member closing a task (TD401: only leads may move to done), passes a lead", async () => {
    const member = await check("lfischer-acme", head.close!);
    expect(member.code).toBe(1);
    expect(problems(member)).toEqual([
      {
        level: "error",
        title: "TD401 error",
        at: `${at(WEB16)}:5:9`,
        message: expect.stringMatching(
          /^lfischer-acme \(lena, role member\) may not move WEB-16 to done \(needs task:move:done\)\./,
        ),
      },
    ]);
    expect(member.outputs).toMatchObject({ errors: "1", violations: "1" });

    const lead = await check("jweber-acme", head.close!);
    expect(lead.code).toBe(0);
    expect(lead.annotations).toEqual([]);
    expect(lead.outputs).toMatchObject({ errors: "0", violations: "0" });
  });

  it("fails a member loosening the rules and granting themselves admin; the loosened rules do not apply to the pull request itself", async () => {
    const run = await check("tbecker-acme", head.loosen!);
    expect(run.code).toBe(1);
    expect(problems(run)).toEqual([
      {
        level: "error",
        title: "TD401 error",
        at: "tracker/people/tom.yml:7:8",
        message: expect.stringMatching(/may not make this change .*needs people:edit/),
      },
      {
        level: "error",
        title: "TD401 error",
        at: "tracker/people/tom.yml:7:8",
        message: expect.stringMatching(
          /^tbecker-acme \(tom, role member\) may not change who holds which role \(tom gains admin; needs config:edit\)\./,
        ),
      },
      // WEB-16 to done: the head's trackdown.yml gives members task:move:done, the base's does not
      {
        level: "error",
        title: "TD401 error",
        at: `${at(WEB16)}:5:9`,
        message: expect.stringContaining("may not move WEB-16 to done (needs task:move:done)"),
      },
      {
        level: "error",
        title: "TD401 error",
        at: "tracker/trackdown.yml:110:7",
        message: expect.stringMatching(
          /may not make this change \(trackdown\.yml: roles\.member\.permissions changed from .*\) \(needs config:edit\)\./,
        ),
      },
    ]);
    expect(run.outputs.violations).toBe("4");
  });

  it("passes an admin making the same changes", async () => {
    const run = await check("mkeller-acme", head.loosen!);
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);
    expect(run.outputs).toMatchObject({ errors: "0", warnings: "0", violations: "0" });
    const kinds = JSON.parse(run.outputs.changes!).map((c: { kind: string }) => c.kind);
    expect(kinds.sort()).toEqual(["config.changed", "person.changed", "task.status"]);
  });

  it("fails joining a team that holds roles (TD401, needs config:edit), even for a lead who may edit teams", async () => {
    const self = await check("tbecker-acme", head.join!);
    expect(self.code).toBe(1);
    expect(problems(self).map((p) => p.message.split("\n")[0])).toEqual([
      expect.stringMatching(
        /^tbecker-acme \(tom, role member\) may not make this change .*needs teams:edit\)\.$/,
      ),
      "tbecker-acme (tom, role member) may not change who holds which role (tom gains lead; needs config:edit).",
    ]);
    expect(problems(self).every((p) => p.at.startsWith("tracker/teams/release.yml:4:"))).toBe(true);

    const lead = await check("jweber-acme", head.join!);
    expect(lead.code).toBe(1);
    expect(problems(lead)).toEqual([
      {
        level: "error",
        title: "TD401 error",
        at: "tracker/teams/release.yml:4:10",
        message: expect.stringMatching(
          /^jweber-acme \(jonas, role lead, member\) may not change who holds which role \(tom gains lead; needs config:edit\)\./,
        ),
      },
    ]);

    const admin = await check("mkeller-acme", head.join!);
    expect(admin.code).toBe(0);
    expect(admin.annotations).toEqual([]);
  });

  it("fails a task id that the base branch took since the branch left it (TD404)", async () => {
    const file = "projects/web/tasks/WEB-32-cookie-banner-copy.md";
    const run = await check("lfischer-acme", head.clash!, { base: head.mainLater });
    expect(run.code).toBe(1);
    expect(problems(run)).toEqual([
      {
        level: "error",
        title: "TD404 error",
        // a created task is located at its title
        at: `${at(file)}:3:8`,
        message: expect.stringMatching(
          /^WEB-32 is already used on the base branch by projects\/web\/tasks\/WEB-32-dark-mode-toggle\.md; give this task the next free id\./,
        ),
      },
    ]);
    // the same branch against the base it left is fine
    const before = await check("lfischer-acme", head.clash!);
    expect(before.code).toBe(0);
  });

  it("fails moves that put a status over its WIP limit (TD403)", async () => {
    // review holds 3 tasks on the base (limit 4); a lead moves two more in
    const run = await check("jweber-acme", head.wip!);
    expect(run.code).toBe(1);
    expect(problems(run)).toEqual([
      {
        level: "error",
        title: "TD403 error",
        at: `${at(API11)}:5:9`,
        message: expect.stringMatching(
          /^API-11 makes 5 tasks in In review, over its WIP limit of 4\./,
        ),
      },
      {
        level: "error",
        title: "TD403 error",
        at: `${at(WEB15)}:5:9`,
        message: expect.stringMatching(
          /^WEB-15 makes 5 tasks in In review, over its WIP limit of 4\./,
        ),
      },
    ]);
  });

  it("fails a value the format does not allow, on the exact field (TD103)", async () => {
    const run = await check("lfischer-acme", head.badDate!);
    expect(run.code).toBe(1);
    expect(problems(run)).toEqual([
      {
        level: "error",
        title: "TD103 error",
        at: `${at(WEB31)}:8:6`,
        message: expect.stringMatching(
          /^Field "due" is the text "2026-13-01", not a calendar date written YYYY-MM-DD\./,
        ),
      },
    ]);
    expect(run.annotations[0]!.properties.endColumn).toBe("16");
    expect(run.outputs).toMatchObject({ errors: "1", warnings: "0", violations: "0" });
  });

  it("reports errors the change causes in files it does not touch; nine annotations and the failure, all of them in the summary", async () => {
    // removing kenji leaves 36 files naming him: 11 tasks, the platform team, 24 time entries
    const run = await check("jweber-acme", head.removeKenji!);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ errors: "38", warnings: "0", violations: "2" });
    const shown = problems(run);
    expect(shown).toHaveLength(9);
    expect(shown.slice(0, 2).map((p) => [p.title, p.at])).toEqual([
      ["TD401 error", "tracker/people/kenji.yml:1:1"],
      ["TD401 error", "tracker/people/kenji.yml:2:1"],
    ]);
    expect(shown[1]!.message).toMatch(
      /may not make this change \(Kenji Sato \(kenji\) removed\) \(needs people:edit\)/,
    );
    expect(shown[3]).toEqual({
      level: "error",
      title: "TD201 error",
      at: "tracker/projects/api/tasks/API-10-webhook-retry-queue-with-exponential-backoff.md:6:13",
      message: expect.stringMatching(/^"kenji" is not a person in people\/\./),
    });
    expect(run.stdout).toContain("29 more problems are listed in the job summary.");
    expect(run.summary.match(/^\| ❌ error \| TD201 \|/gm)).toHaveLength(36);
    expect(run.summary).toContain(
      '| ❌ error | TD201 | "kenji" is not a person in people/. | [`tracker/time/2026-11/2026-11-27-kenji-API-4-h77w.yml:2`]',
    );
  });

  // the runner shows ten error annotations per step: nine problems and the failure message
  it("keeps the step's failure message within the runner's ten error annotations", async () => {
    const run = await check("jweber-acme", head.removeKenji!);
    const errors = run.annotations.filter((a) => a.level === "error");
    expect(errors.length).toBeLessThanOrEqual(10);
    expect(errors.at(-1)!.message).toMatch(/^2 rules broken, 38 errors and 0 warnings/);
  });

  it("reports a warning and passes; fail-on: warning makes the same warning fail", async () => {
    const lenient = await check("lfischer-acme", head.label!);
    expect(lenient.code).toBe(0);
    expect(problems(lenient)).toEqual([
      {
        level: "warning",
        title: "TD303 warning",
        at: `${at(WEB31)}:8:21`,
        message: expect.stringContaining("frontent"),
      },
    ]);
    expect(lenient.outputs).toMatchObject({ errors: "0", warnings: "1", violations: "0" });
    expect(lenient.summary).toContain("⚠️ No rule broken; 1 warning.");

    const strict = await check("lfischer-acme", head.label!, { inputs: { "fail-on": "warning" } });
    expect(strict.code).toBe(1);
    expect(problems(strict)).toEqual(problems(lenient));
    expect(strict.outputs).toMatchObject({ errors: "0", warnings: "1", violations: "0" });
    expect(strict.annotations.at(-1)).toMatchObject({
      level: "error",
      message: expect.stringContaining("0 errors and 1 warning"),
    });
  });
});
