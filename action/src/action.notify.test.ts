import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type ActionRun, runAction } from "../../src/test-support/action.js";
import {
  acmeRepository,
  expectSecretKept,
  liveMentions,
  pushEvent,
  type ReceiverAnswer,
  recognisableToken,
  requestsTo,
  startWebhookReceiver,
  type TrackerRepository,
  type WebhookReceiver,
} from "../../src/test-support/action-scenario.js";
import { type FakeGitHub, startFakeGitHub } from "../../src/test-support/fake-github.js";
import { edit, git } from "../../src/test-support/git.js";
import { tempDir } from "../../src/test-support/temp.js";

/**
 * `mode: notify` end to end: a push to main that merged a pull request brings plan changes;
 * the Action comments on that pull request, mentioning the people concerned, and sends a
 * signed JSON event to a webhook, retried, never failing silently, never printing a secret.
 */

const TOKEN = recognisableToken();
const SECRET = `whsec_${recognisableToken().slice(4)}`;
const NOTIFY_MARKER = "<!-- trackdown:notify -->";
const WEB31 = "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";
const WEB16 = "projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";
const OPS15 = "projects/ops/tasks/OPS-15-keep-audit-logs-for-90-days.md";

let repo: TrackerRepository;
/** The merge commit of pull request #12 on main, and a commit pushed to main directly. */
let merged: string;
let direct: string;

beforeAll(() => {
  repo = acmeRepository();
  repo.branch("plan-week", (t) => {
    edit(t, WEB31, "status: todo\n", "status: doing\nassignees: [tom]\n");
    edit(t, OPS15, "status: todo\n", "status: todo\nassignees: [kenji]\n");
    edit(t, WEB16, "status: review", "status: done");
  });
  const date = "2026-11-20T11:00:00+01:00";
  git(
    repo.dir,
    ["merge", "-q", "--no-ff", "-m", "Merge pull request #12 from acme/plan-week", "plan-week"],
    {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  );
  merged = git(repo.dir, ["rev-parse", "HEAD"]);
  direct = repo.branch("main", (t) => edit(t, WEB31, "priority: low", "priority: high"), {
    from: "main",
    date: "2026-11-23T11:00:00+01:00",
  });
});
afterAll(() => repo?.remove());

async function fakeGitHub(): Promise<FakeGitHub> {
  const fake = await startFakeGitHub();
  onTestFinished(() => fake.close());
  fake.commitPulls.set(merged, [
    {
      number: 12,
      title: "Plan for the week",
      user: { login: "lfischer-acme" },
      merged_at: "2026-11-20T10:00:00Z",
      html_url: "https://github.com/acme/plan/pull/12",
    },
  ]);
  return fake;
}

async function receiver(answer?: ReceiverAnswer): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(SECRET, answer);
  onTestFinished(() => started.close());
  return started;
}

async function notify(
  fake: FakeGitHub,
  before: string,
  after: string,
  hook?: WebhookReceiver,
): Promise<ActionRun> {
  const run = await runAction({
    workspace: repo.dir,
    eventName: "push",
    event: pushEvent(before, after),
    inputs: {
      mode: "notify",
      tracker: "tracker",
      token: TOKEN,
      ...(hook !== undefined ? { "webhook-url": hook.url, "webhook-secret": SECRET } : {}),
    },
    apiUrl: fake.url,
    env: { GITHUB_SHA: after, GITHUB_REF: "refs/heads/main" },
  });
  expectSecretKept(TOKEN, run, fake, { isToken: true });
  expectSecretKept(SECRET, run, fake);
  for (const secret of hook?.secrets ?? []) expectSecretKept(secret, run, fake);
  return run;
}

const CHANGES = [
  { kind: "task.assignees", id: "OPS-15", file: `tracker/${OPS15}`, added: ["kenji"] },
  { kind: "task.status", id: "WEB-16", file: `tracker/${WEB16}`, from: "review", to: "done" },
  { kind: "task.status", id: "WEB-31", file: `tracker/${WEB31}`, from: "todo", to: "doing" },
  { kind: "task.assignees", id: "WEB-31", file: `tracker/${WEB31}`, added: ["tom"] },
];

describe("mode: notify on a push to main", () => {
  it("comments on the merged pull request, mentioning the people concerned, and delivers a signed webhook after a 500", async () => {
    const fake = await fakeGitHub();
    const hook = await receiver((n) =>
      n === 0 ? { status: 500, body: "upstream busy" } : { status: 200, body: "ok" },
    );
    const run = await notify(fake, repo.base, merged, hook);
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);

    expect(requestsTo(fake)).toEqual([
      `GET /repos/acme/plan/commits/${merged}/pulls?per_page=100`,
      "GET /user",
      "GET /repos/acme/plan/issues/12/comments?per_page=100",
      "POST /repos/acme/plan/issues/12/comments",
    ]);
    const body = (fake.requests[3]!.body as { body: string }).body;
    expect(
      body.startsWith(
        `${NOTIFY_MARKER}\n### Trackdown: these plan changes are now on the main line`,
      ),
    ).toBe(true);
    expect(body).toContain(
      "**Concerned:** @ksato-acme (OPS-15), @lfischer-acme (WEB-16), @tbecker-acme (WEB-31)",
    );
    expect(liveMentions(body)).toEqual(["ksato-acme", "lfischer-acme", "tbecker-acme"]);
    expect(body).toContain(
      `| task | WEB-16 moved from review to done | [\`tracker/${WEB16}:5\`](https://github.com/acme/plan/blob/${merged}/tracker/${WEB16}#L5) |`,
    );
    expect(run.outputs["pull-request"]).toBe("12");
    expect(JSON.parse(run.outputs.changes!)).toMatchObject(CHANGES);
    expect(run.summary).toContain("### Trackdown: plan changes pushed");
    expect(run.summary).toContain("| task | WEB-16 moved from review to done |");

    // the webhook: two attempts of one delivery, both signed with the secret
    expect(hook.deliveries).toHaveLength(2);
    for (const delivery of hook.deliveries) {
      expect(delivery.verified).toBe(true);
      expect(delivery.path).toBe(hook.secretPath);
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(delivery.headers["x-trackdown-event"]).toBe("plan.changed");
      expect(delivery.headers["x-trackdown-delivery"]).toBe(
        hook.deliveries[0]!.headers["x-trackdown-delivery"],
      );
      expect(delivery.body.equals(hook.deliveries[0]!.body)).toBe(true);
    }
    const event = JSON.parse(hook.deliveries[0]!.body.toString("utf8"));
    expect(event).toMatchObject({
      event: "plan.changed",
      repository: "acme/plan",
      ref: "refs/heads/main",
      before: repo.base,
      after: merged,
      tracker: "tracker",
      concerned: {
        "ksato-acme": ["OPS-15"],
        "lfischer-acme": ["WEB-16"],
        "tbecker-acme": ["WEB-31"],
      },
    });
    expect(event.changes).toMatchObject(CHANGES);
    expect(run.stdout).toMatch(
      /^The webhook at http:\/\/127\.0\.0\.1:\d+\/… failed \(attempt 1 of 4\): HTTP 500, answering "upstream busy"; retrying in [\d.]+ s\.$/m,
    );
    expect(run.stdout).toMatch(
      /^Webhook delivered to http:\/\/127\.0\.0\.1:\d+\/… \(HTTP 200, 2 attempts\)\.$/m,
    );
  });

  it("fails (exit 1) when the webhook keeps failing, without the secret or the URL's path in the error; the comment is not duplicated", async () => {
    const fake = await fakeGitHub();
    fake.comments.set(12, [
      { id: 555, body: `${NOTIFY_MARKER}\nold`, user: { login: "trackdown-bot" } },
    ]);
    // a receiver that echoes what it was sent, as error pages do; retry-after: 0 keeps the test fast
    let hook: WebhookReceiver | undefined;
    hook = await receiver(() => ({
      status: 500,
      headers: { "retry-after": "0" },
      body: `no hook at ${hook?.secretPath} (secret ${SECRET})`,
    }));
    const run = await notify(fake, repo.base, merged, hook);
    expect(run.code).toBe(1);
    expect(hook.deliveries).toHaveLength(4);
    expect(hook.deliveries.every((d) => d.verified)).toBe(true);
    const errors = run.annotations.filter((a) => a.level === "error").map((a) => a.message);
    expect(errors).toEqual([
      expect.stringMatching(
        /^The webhook at http:\/\/127\.0\.0\.1:\d+\/… failed after 4 attempts: HTTP 500, answering "no hook at … \(secret …\)"\.$/,
      ),
      "A notification could not be delivered (see the errors above).",
    ]);
    // the comment is updated in place
    expect(requestsTo(fake)).toEqual([
      `GET /repos/acme/plan/commits/${merged}/pulls?per_page=100`,
      "GET /user",
      "GET /repos/acme/plan/issues/12/comments?per_page=100",
      "PATCH /repos/acme/plan/issues/comments/555",
    ]);
    expect(fake.comments.get(12)).toHaveLength(1);
  });

  it("does not comment when no merged pull request holds the pushed commit", async () => {
    const fake = await fakeGitHub();
    const run = await notify(fake, merged, direct);
    expect(run.code).toBe(0);
    expect(requestsTo(fake)).toEqual([`GET /repos/acme/plan/commits/${direct}/pulls?per_page=100`]);
    expect(run.stdout).toContain("No merged pull request holds this commit: no comment.");
    expect(JSON.parse(run.outputs.changes!)).toMatchObject([
      { kind: "task.priority", id: "WEB-31", from: "low", to: "high" },
    ]);
    expect(run.outputs["pull-request"]).toBeUndefined();
  });

  it("fails in a shallow clone, naming fetch-depth: 0", async () => {
    const fake = await fakeGitHub();
    const shallow = tempDir("trackdown-shallow-");
    git(shallow, ["clone", "-q", "--depth", "1", `file://${repo.dir}`, "."]);
    const run = await runAction({
      workspace: shallow,
      eventName: "push",
      event: pushEvent(merged, direct),
      inputs: { mode: "notify", tracker: "tracker", token: TOKEN },
      apiUrl: fake.url,
    });
    expectSecretKept(TOKEN, run, fake, { isToken: true });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      {
        level: "error",
        properties: {},
        message: expect.stringMatching(
          new RegExp(
            `^The previous commit ${merged.slice(0, 12)} is not in the checkout .*\`fetch-depth: 0\` in actions/checkout`,
          ),
        ),
      },
    ]);
    expect(fake.requests).toEqual([]);
  });
});
