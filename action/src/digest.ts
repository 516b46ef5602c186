import * as core from "@actions/core";
import { addDays, daysBetween, isDate, startOfWeek, todayIn } from "../../src/core/dates.js";
import { indexTracker } from "../../src/core/index/tracker-index.js";
import type { Task, Tracker } from "../../src/core/model.js";
import { plainLine } from "../../src/core/notify/safe-markdown.js";
import { workload } from "../../src/core/reports/work.js";
import { loadTrackerHistory } from "../../src/node/git.js";
import { loadTracker } from "../../src/node/load.js";
import { type RunContext, repoPathIn, SetupError } from "./context.js";
import type { GitHub } from "./github.js";
import { codeSpan, fileLink, inertCell, inertText, mention } from "./render.js";
import { deliverWebhook, redactUrl, slackEscape, webhookFormatFor } from "./webhook.js";

/**
 * `mode: digest` on a schedule: what needs attention — overdue work, work due soon, work in
 * progress that has not moved for days, people over their capacity — as one issue per week
 * (updated in place when the digest runs again that week) and/or a webhook.
 */

export const DIGEST_LABEL = "trackdown-digest";

export interface Digest {
  readonly today: string;
  readonly overdue: readonly DigestTask[];
  readonly dueSoon: readonly DigestTask[];
  readonly stale: readonly DigestTask[];
  readonly overCapacity: readonly { person: string; hoursPerWeek: number; capacity: number }[];
}

export interface DigestTask {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly assignees: readonly string[];
  readonly file: string;
  readonly due?: string;
  /** Days late (overdue), days left (due soon) or days without a change (stale). */
  readonly days: number;
}

/** The digest of a tracker on a day. `lastChange` gives the day each task last changed. */
export function buildDigest(
  tracker: Tracker,
  today: string,
  options: { dueWithinDays: number; staleDays: number; lastChange: ReadonlyMap<string, string> },
): Digest {
  const index = indexTracker(tracker, { today });
  const entry = (t: Task, days: number): DigestTask => ({
    id: t.id,
    title: t.title,
    status: t.status,
    assignees: t.assignees,
    file: t.file,
    ...(t.due !== undefined ? { due: t.due } : {}),
    days,
  });
  const open = tracker.tasks.filter((t) => index.facts(t).open);
  const overdue = open
    .filter((t) => t.due !== undefined && t.due < today)
    .map((t) => entry(t, daysBetween(t.due!, today)))
    .sort((a, b) => b.days - a.days || a.id.localeCompare(b.id));
  const horizon = addDays(today, options.dueWithinDays);
  const dueSoon = open
    .filter((t) => t.due !== undefined && t.due >= today && t.due <= horizon)
    .map((t) => entry(t, daysBetween(today, t.due!)))
    .sort((a, b) => a.days - b.days || a.id.localeCompare(b.id));
  const stale = open
    .filter((t) => index.facts(t).category === "in-progress")
    .flatMap((t) => {
      const last = options.lastChange.get(t.id);
      if (last === undefined) return [];
      const days = daysBetween(last, today);
      return days >= options.staleDays ? [entry(t, days)] : [];
    })
    .sort((a, b) => b.days - a.days || a.id.localeCompare(b.id));
  const overCapacity = workload(tracker, index).flatMap((l) =>
    l.capacity !== undefined && l.recentHoursPerWeek > l.capacity
      ? [{ person: l.person, hoursPerWeek: l.recentHoursPerWeek, capacity: l.capacity }]
      : [],
  );
  return { today, overdue, dueSoon, stale, overCapacity };
}

export async function runDigest(ctx: RunContext, github: () => GitHub): Promise<number> {
  let tracker: Tracker;
  try {
    tracker = await loadTracker(ctx.inputs.tracker, { cache: false });
  } catch (error) {
    throw new SetupError(
      `The tracker at ${ctx.inputs.tracker} could not be read (${error instanceof Error ? error.message : String(error)}); check the repository out and point the tracker input at it.`,
    );
  }
  const fixed = process.env.TRACKDOWN_TODAY;
  const today = fixed !== undefined && isDate(fixed) ? fixed : todayIn(tracker.settings.timezone);
  const lastChange = new Map<string, string>();
  try {
    const history = await loadTrackerHistory(ctx.inputs.tracker, { cache: false });
    if (!history.complete) {
      // a shallow clone: its oldest commit is where the walk starts, not when tasks last changed
      if (history.stoppedBecause !== undefined) core.info(history.stoppedBecause);
      core.warning(
        `The history in the checkout is cut short, so work in progress that has not moved for ${ctx.inputs.staleDays} days may be missing from the digest. Check out with fetch-depth: 0.`,
      );
    }
    for (const commit of history.commits) {
      const day = todayIn(
        tracker.settings.timezone,
        new Date(commit.info.committer.timestamp * 1000),
      );
      for (const change of commit.changes)
        if (change.kind.startsWith("task.")) lastChange.set(change.id, day);
    }
  } catch (error) {
    core.warning(
      `History could not be read, so work that has not moved is not listed (${error instanceof Error ? error.message : String(error)}). Check out with fetch-depth: 0.`,
    );
  }
  const digest = buildDigest(tracker, today, { ...ctx.inputs, lastChange });
  const count =
    digest.overdue.length +
    digest.dueSoon.length +
    digest.stale.length +
    digest.overCapacity.length;
  core.setOutput("digest", JSON.stringify(digest));
  const repoPath = repoPathIn(ctx);
  const body = digestMarkdown(ctx, tracker, digest, repoPath);
  await core.summary.addRaw(body).write();

  let failed = false;
  if (ctx.inputs.token !== "") {
    const title = `Trackdown digest: ${tracker.settings.name}, week of ${startOfWeek(today)}`;
    try {
      const result = await github().upsertIssue({
        owner: ctx.owner,
        repo: ctx.repo,
        title,
        label: DIGEST_LABEL,
        body,
      });
      core.info(`Digest issue #${result.number} ${result.action}: ${result.url}`);
      core.setOutput("issue", result.number);
    } catch (error) {
      failed = true;
      core.error(
        `The digest issue could not be written: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (ctx.inputs.webhookUrl !== undefined) {
    const url = ctx.inputs.webhookUrl;
    const payload =
      webhookFormatFor(url) === "slack"
        ? { text: slackDigest(tracker, digest) }
        : {
            event: "digest",
            repository: `${ctx.owner}/${ctx.repo}`,
            tracker: tracker.settings.key,
            ...digest,
          };
    try {
      const result = await deliverWebhook({
        url,
        body: payload,
        event: "digest",
        ...(ctx.inputs.webhookSecret !== undefined ? { secret: ctx.inputs.webhookSecret } : {}),
        log: (m) => core.info(m),
      });
      core.info(`Digest delivered to ${redactUrl(url)} (HTTP ${result.status}).`);
    } catch (error) {
      failed = true;
      core.error(error instanceof Error ? error.message : String(error));
    }
  }
  core.info(`${count} item${count === 1 ? "" : "s"} need attention on ${today}.`);
  if (failed) {
    core.setFailed("The digest could not be delivered everywhere (see the errors above).");
    return 1;
  }
  return 0;
}

/** The digest as Markdown; assignees of overdue work are mentioned (from the default branch). */
export function digestMarkdown(
  ctx: RunContext,
  tracker: Tracker,
  digest: Digest,
  repoPath: (file: string) => string,
): string {
  const who = (ids: readonly string[], live: boolean) =>
    ids.length === 0
      ? "—"
      : ids
          .map((id) => {
            const login = tracker.person(id)?.github;
            return live && login !== undefined ? mention(login) : inertCell(id, 40);
          })
          .join(", ");
  const ref = ctx.sha ?? "HEAD";
  const table = (rows: readonly DigestTask[], days: string, live: boolean) =>
    rows.length === 0
      ? "_Nothing._\n"
      : `| task | title | status | assignees | ${days} |\n|---|---|---|---|---:|\n${rows
          .map(
            (t) =>
              `| ${fileLink(ctx.serverUrl, ctx.owner, ctx.repo, ref, repoPath(t.file))} ${codeSpan(t.id)} | ${inertCell(t.title, 120)} | ${inertCell(t.status, 40)} | ${who(t.assignees, live)} | ${t.days} |`,
          )
          .join("\n")}\n`;
  const people =
    digest.overCapacity.length === 0
      ? "_Nobody._\n"
      : `| person | logged h/week (4 weeks) | capacity h/week |\n|---|---:|---:|\n${digest.overCapacity
          .map((p) => `| ${inertCell(p.person, 40)} | ${p.hoursPerWeek} | ${p.capacity} |`)
          .join("\n")}\n`;
  return [
    `## ${inertText(tracker.settings.name, 80)}: what needs attention on ${digest.today}\n\n`,
    `### Overdue (${digest.overdue.length})\n\n${table(digest.overdue, "days late", true)}\n`,
    `### Due within ${ctx.inputs.dueWithinDays} days (${digest.dueSoon.length})\n\n${table(digest.dueSoon, "days left", false)}\n`,
    `### In progress with no change for ${ctx.inputs.staleDays}+ days (${digest.stale.length})\n\n${table(digest.stale, "days", false)}\n`,
    `### Over capacity (${digest.overCapacity.length})\n\n${people}`,
  ].join("");
}

function slackDigest(tracker: Tracker, digest: Digest): string {
  const line = (t: DigestTask, what: string) =>
    `• ${slackEscape(plainLine(t.id, 40))} ${slackEscape(plainLine(t.title, 120))} (${what})`;
  return [
    `*${slackEscape(plainLine(tracker.settings.name, 80))}*: what needs attention on ${digest.today}`,
    ...digest.overdue.slice(0, 10).map((t) => line(t, `${t.days} days late`)),
    ...digest.dueSoon.slice(0, 10).map((t) => line(t, `due in ${t.days} days`)),
    ...digest.stale.slice(0, 10).map((t) => line(t, `no change for ${t.days} days`)),
    ...digest.overCapacity.map(
      (p) =>
        `• ${slackEscape(plainLine(p.person, 40))} logs ${p.hoursPerWeek} h/week for a capacity of ${p.capacity}`,
    ),
  ].join("\n");
}
