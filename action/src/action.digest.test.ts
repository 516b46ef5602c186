import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type ActionRun, runAction } from "../../src/test-support/action.js";
import {
  acmeRepository,
  expectSecretKept,
  liveMentions,
  recognisableToken,
  requestsTo,
  startWebhookReceiver,
  type TrackerRepository,
  type WebhookReceiver,
} from "../../src/test-support/action-scenario.js";
import { type FakeGitHub, startFakeGitHub } from "../../src/test-support/fake-github.js";
import { git } from "../../src/test-support/git.js";
import { tempDir } from "../../src/test-support/temp.js";

/**
 * `mode: digest` end to end on acme's snapshot day (2026-11-27, a Friday). The expected lists
 * are read off the task files: open tasks due before the day (overdue), due within 3 days
 * (due soon), and in progress (doing, review) with no change for 5 days by the history this
 * test writes: everything committed on 2026-11-16, WEB-15's text changed on 2026-11-26.
 */

const TOKEN = recognisableToken();
const SECRET = `whsec_${recognisableToken().slice(4)}`;
const WEB15 = "projects/web/tasks/WEB-15-pricing-page-with-plan-comparison-table.md";
const TITLE = "Trackdown digest: Acme product team, week of 2026-11-23";

let repo: TrackerRepository;

beforeAll(() => {
  repo = acmeRepository({ date: "2026-11-16T12:00:00+01:00" });
  repo.branch(
    "main",
    (t) => appendFileSync(join(t, WEB15), "\nThe comparison table is in review with design.\n"),
    {
      from: "main",
      date: "2026-11-26T12:00:00+01:00",
    },
  );
});
afterAll(() => repo?.remove());

async function digest(fake: FakeGitHub, today: string, hook?: WebhookReceiver): Promise<ActionRun> {
  const run = await runAction({
    workspace: repo.dir,
    eventName: "schedule",
    event: { schedule: "0 7 * * 1-5" },
    inputs: {
      mode: "digest",
      tracker: "tracker",
      token: TOKEN,
      ...(hook !== undefined ? { "webhook-url": hook.url, "webhook-secret": SECRET } : {}),
    },
    apiUrl: fake.url,
    env: { TRACKDOWN_TODAY: today },
  });
  expectSecretKept(TOKEN, run, fake, { isToken: true });
  expectSecretKept(SECRET, run, fake);
  for (const secret of hook?.secrets ?? []) expectSecretKept(secret, run, fake);
  return run;
}

const ids = (list: readonly { id: string; days: number }[]) => list.map((t) => `${t.id} ${t.days}`);

describe("mode: digest on a schedule", () => {
  it("opens one labelled issue for the week and updates it on the next run that week", async () => {
    const fake = await startFakeGitHub();
    onTestFinished(() => fake.close());
    const hook = await startWebhookReceiver(SECRET);
    onTestFinished(() => hook.close());

    const run = await digest(fake, "2026-11-27", hook);
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);
    const result = JSON.parse(run.outputs.digest!);
    expect(result.today).toBe("2026-11-27");
    expect(ids(result.overdue)).toEqual(["API-13 7", "OPS-14 3", "WEB-30 2", "WEB-15 1"]);
    expect(ids(result.dueSoon)).toEqual(["API-11 0", "OPS-13 3", "WEB-16 3"]);
    expect(ids(result.stale)).toEqual([
      "API-11 11",
      "API-4 11",
      "API-8 11",
      "OPS-14 11",
      "OPS-5 11",
      "WEB-11 11",
      "WEB-16 11",
    ]);
    // four weeks of acme's time entries stay well under everyone's capacity
    expect(result.overCapacity).toEqual([]);

    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues?labels=trackdown-digest&state=all&per_page=100",
      "POST /repos/acme/plan/issues",
    ]);
    expect(fake.issues).toHaveLength(1);
    const issue = fake.issues[0]!;
    expect(issue).toMatchObject({
      number: 1,
      title: TITLE,
      labels: ["trackdown-digest"],
      state: "open",
    });
    expect(run.outputs.issue).toBe("1");
    expect(issue.body).toBe(run.summary);
    expect(issue.body).toContain("## Acme product team: what needs attention on 2026-11-27");
    expect(issue.body).toContain("### Overdue (4)");
    expect(issue.body).toContain("### Due within 3 days (3)");
    expect(issue.body).toContain("### In progress with no change for 5+ days (7)");
    // the assignees of overdue work are mentioned, by the logins in people/
    expect(new Set(liveMentions(issue.body))).toEqual(
      new Set(["pnair-acme", "ksato-acme", "tbecker-acme"]),
    );

    // the same digest as a signed JSON event
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0]!.verified).toBe(true);
    expect(hook.deliveries[0]!.headers["x-trackdown-event"]).toBe("digest");
    expect(JSON.parse(hook.deliveries[0]!.body.toString("utf8"))).toEqual({
      event: "digest",
      repository: "acme/plan",
      tracker: "acme",
      ...result,
    });

    fake.requests.length = 0;
    const saturday = await digest(fake, "2026-11-28");
    expect(saturday.code).toBe(0);
    expect(requestsTo(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues?labels=trackdown-digest&state=all&per_page=100",
      "PATCH /repos/acme/plan/issues/1",
    ]);
    expect(fake.issues).toHaveLength(1);
    expect(fake.issues[0]!.title).toBe(TITLE);
    expect(fake.issues[0]!.body).toContain("what needs attention on 2026-11-28");
    expect(saturday.outputs.issue).toBe("1");
  });

  it("warns in a shallow clone that stale work cannot be told, and still lists what is overdue", async () => {
    const fake = await startFakeGitHub();
    onTestFinished(() => fake.close());
    // actions/checkout without fetch-depth: 0
    const shallow = tempDir("trackdown-shallow-");
    git(shallow, ["clone", "-q", "--depth", "1", `file://${repo.dir}`, "."]);
    const run = await runAction({
      workspace: shallow,
      eventName: "schedule",
      event: { schedule: "0 7 * * 1-5" },
      inputs: { mode: "digest", tracker: "tracker", token: TOKEN },
      apiUrl: fake.url,
      env: { TRACKDOWN_TODAY: "2026-11-27" },
    });
    expectSecretKept(TOKEN, run, fake, { isToken: true });
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([
      {
        level: "warning",
        properties: {},
        message:
          "The history in the checkout is cut short, so work in progress that has not moved for 5 days may be missing from the digest. Check out with fetch-depth: 0.",
      },
    ]);
    const result = JSON.parse(run.outputs.digest!);
    expect(ids(result.overdue)).toEqual(["API-13 7", "OPS-14 3", "WEB-30 2", "WEB-15 1"]);
    expect(ids(result.dueSoon)).toEqual(["API-11 0", "OPS-13 3", "WEB-16 3"]);
    expect(result.stale).toEqual([]);
  });
});
