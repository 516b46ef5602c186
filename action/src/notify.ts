import * as core from "@actions/core";
import type { Change } from "../../src/core/diff/diff.js";
import { diffCommits } from "../../src/core/git/history.js";
import { memoryParseCache } from "../../src/core/memory-cache.js";
import type { Tracker } from "../../src/core/model.js";
import { plainLine } from "../../src/core/notify/safe-markdown.js";
import { eventString, type RunContext, SetupError } from "./context.js";
import type { GitHub } from "./github.js";
import { changesTable, fileLink, mentionsLine } from "./render.js";
import { openRepository, requireCommit, trackerAt } from "./snapshots.js";
import { deliverWebhook, redactUrl, slackEscape, webhookFormatFor } from "./webhook.js";

/**
 * `mode: notify` on a push to the default branch: the plan changes the push brought, as a
 * comment on the pull request that was merged (mentioning the people concerned) and as
 * webhooks (Slack-compatible, or a signed JSON event). A delivery that fails after its
 * retries fails the step: notifications never fail silently.
 */

export const NOTIFY_MARKER = "<!-- trackdown:notify -->";
const ZERO = /^0+$/;
const SLACK_LINES = 20;

/** People to tell about changes: newly assigned, and the assignees of tasks that moved. */
export function peopleConcerned(changes: readonly Change[], after: Tracker): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (person: string, id: string) => {
    const ids = out.get(person) ?? [];
    if (!ids.includes(id)) ids.push(id);
    out.set(person, ids);
  };
  for (const c of changes) {
    if (c.kind === "task.assignees") for (const p of c.added ?? []) add(p, c.id);
    if (c.kind === "task.created") for (const p of c.state?.assignees ?? []) add(p, c.id);
    if (c.kind === "task.status") for (const p of after.task(c.id)?.assignees ?? []) add(p, c.id);
  }
  return out;
}

/** The GitHub logins of people, as the (merged, reviewed) tracker names them. */
function logins(
  tracker: Tracker,
  people: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [person, ids] of people) {
    const login = tracker.person(person)?.github;
    if (login !== undefined && login !== "") out.set(login, ids);
  }
  return out;
}

export async function runNotify(ctx: RunContext, github: () => GitHub): Promise<number> {
  const after = eventString(ctx.event, "after") ?? ctx.sha;
  let before = eventString(ctx.event, "before");
  if (after === undefined || ZERO.test(after)) {
    throw new SetupError(
      `mode: notify runs on push events (this is "${ctx.eventName || "unknown"}", with no pushed commit).`,
    );
  }
  const where = await openRepository(ctx.inputs.tracker);
  await requireCommit(where.repo, after, "pushed");
  if (before === undefined || ZERO.test(before)) {
    // a new branch: compare with the pushed commit's parent
    const { readCommitInfo } = await import("../../src/core/git/repository.js");
    before = (await readCommitInfo(where.repo, after)).parents[0];
    if (before === undefined) {
      core.info("The first commit of the repository: nothing to compare it with.");
      return 0;
    }
  }
  await requireCommit(where.repo, before, "previous");
  const cache = memoryParseCache();
  const changes = await diffCommits(where.repo, before, after, where.prefix, cache);
  const repoPath = (file: string) => (where.prefix === "" ? file : `${where.prefix}/${file}`);
  // paths from the repository's root, as the check's output and the webhook event give them
  core.setOutput("changes", JSON.stringify(changes.map((c) => ({ ...c, file: repoPath(c.file) }))));
  if (changes.length === 0) {
    core.info("No plan changes in this push.");
    return 0;
  }
  core.info(
    `${changes.length} plan change${changes.length === 1 ? "" : "s"} in ${before.slice(0, 12)}..${after.slice(0, 12)}.`,
  );
  const tracker = await trackerAt(where, after, cache);
  const concerned = logins(tracker, peopleConcerned(changes, tracker));
  const table = changesTable(changes, (c) =>
    fileLink(ctx.serverUrl, ctx.owner, ctx.repo, after, repoPath(c.file), c.line),
  );
  await core.summary.addRaw(`### Trackdown: plan changes pushed\n\n${table}`).write();

  let failed = false;
  // the pull request the push merged, if any: one comment on it
  if (ctx.inputs.token !== "") {
    try {
      const pulls = await github().pullRequestsForCommit({
        owner: ctx.owner,
        repo: ctx.repo,
        sha: after,
      });
      const merged = pulls.find((p) => p.merged);
      if (merged !== undefined) {
        const body = `${NOTIFY_MARKER}\n### Trackdown: these plan changes are now on the main line\n\n${table}${
          concerned.size > 0 ? `\n**Concerned:** ${mentionsLine(concerned)}\n` : ""
        }`;
        const result = await github().upsertStickyComment({
          owner: ctx.owner,
          repo: ctx.repo,
          issueNumber: merged.number,
          marker: NOTIFY_MARKER,
          body,
        });
        core.info(`Comment on #${merged.number} ${result.action}: ${result.url}`);
        core.setOutput("pull-request", merged.number);
      } else {
        core.info("No merged pull request holds this commit: no comment.");
      }
    } catch (error) {
      failed = true;
      core.error(
        `The comment on the merged pull request could not be posted: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  if (ctx.inputs.webhookUrl !== undefined) {
    const url = ctx.inputs.webhookUrl;
    const format = webhookFormatFor(url);
    const body =
      format === "slack"
        ? slackMessage(ctx, changes, before, after)
        : {
            event: "plan.changed",
            repository: `${ctx.owner}/${ctx.repo}`,
            ref: eventString(ctx.event, "ref") ?? null,
            before,
            after,
            tracker: where.prefix,
            changes: changes.map((c) => ({ ...c, file: repoPath(c.file) })),
            concerned: Object.fromEntries(concerned),
          };
    try {
      const result = await deliverWebhook({
        url,
        body,
        event: "plan.changed",
        ...(ctx.inputs.webhookSecret !== undefined ? { secret: ctx.inputs.webhookSecret } : {}),
        log: (m) => core.info(m),
      });
      core.info(
        `Webhook delivered to ${redactUrl(url)} (HTTP ${result.status}, ${result.attempts} attempt${result.attempts === 1 ? "" : "s"}).`,
      );
    } catch (error) {
      failed = true;
      core.error(error instanceof Error ? error.message : String(error));
    }
  }
  if (failed) {
    core.setFailed("A notification could not be delivered (see the errors above).");
    return 1;
  }
  return 0;
}

/** A Slack message: one line per change, text from files escaped for Slack. */
function slackMessage(
  ctx: RunContext,
  changes: readonly Change[],
  before: string,
  after: string,
): unknown {
  const lines = changes
    .slice(0, SLACK_LINES)
    .map((c) => `• ${slackEscape(plainLine(c.summary, 300))}`);
  if (changes.length > SLACK_LINES) lines.push(`…and ${changes.length - SLACK_LINES} more`);
  const compareUrl = `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`;
  const title = `*${slackEscape(`${ctx.owner}/${ctx.repo}`)}*: ${changes.length} plan change${changes.length === 1 ? "" : "s"} (<${compareUrl}|compare>)`;
  return { text: `${title}\n${lines.join("\n")}` };
}
