import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as core from "@actions/core";
import type { Diagnostic } from "../../src/core/diagnostics/diagnostic.js";
import type { Change } from "../../src/core/diff/diff.js";
import type { Tracker } from "../../src/core/model.js";
import {
  actorFor,
  type ReviewResult,
  relevantDiagnostics,
  reviewChanges,
} from "../../src/core/review/review.js";
import { eventString, eventValue, type RunContext, SetupError } from "./context.js";
import type { GitHub } from "./github.js";
import {
  changesTable,
  codeSpan,
  fileLink,
  inertText,
  mentionsLine,
  problemsTable,
} from "./render.js";
import { type Comparison, compare } from "./snapshots.js";

/**
 * `mode: check` on a pull request: the head validated with the base's rules, the changes
 * since the branch left the base judged by the base's roles and workflow, reported as
 * annotations, a job summary, outputs and (with `comment: true`) one sticky comment.
 */

export const CHECK_MARKER = "<!-- trackdown:check -->";
/** Annotations the runner shows per step and severity; the rest are in the job summary. */
const ANNOTATIONS_PER_SEVERITY = 10;

/** What a check found, for the follow-up comment (workflow_run) and for tests. */
export interface CheckReport {
  readonly pullRequest: number;
  readonly baseSha: string;
  readonly headSha: string;
  readonly author: string;
  readonly changes: readonly Change[];
  readonly violations: readonly Diagnostic[];
  readonly diagnostics: readonly Diagnostic[];
  /** Person ids newly assigned by the pull request, with their tasks. */
  readonly assigned: Readonly<Record<string, readonly string[]>>;
  readonly rulesChecked: boolean;
}

interface PullRequestEvent {
  readonly number: number;
  readonly baseSha: string;
  readonly headSha: string;
  readonly author: string;
  readonly fork: boolean;
}

function pullRequestOf(ctx: RunContext): PullRequestEvent {
  const number = eventValue(ctx.event, "pull_request", "number");
  const baseSha = eventString(ctx.event, "pull_request", "base", "sha");
  const headSha = eventString(ctx.event, "pull_request", "head", "sha");
  const author = eventString(ctx.event, "pull_request", "user", "login");
  if (
    typeof number !== "number" ||
    baseSha === undefined ||
    headSha === undefined ||
    author === undefined
  ) {
    throw new SetupError(
      `mode: check runs on pull_request events (this is "${ctx.eventName || "unknown"}", whose payload has no pull request). Use mode: notify on push and mode: digest on schedule.`,
    );
  }
  const headRepo = eventString(ctx.event, "pull_request", "head", "repo", "full_name");
  const baseRepo = eventString(ctx.event, "pull_request", "base", "repo", "full_name");
  return {
    number,
    baseSha,
    headSha,
    author,
    fork: headRepo !== undefined && headRepo !== baseRepo,
  };
}

/** People newly assigned by the changes, with their tasks. */
function newlyAssigned(changes: readonly Change[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of changes) {
    const added =
      c.kind === "task.assignees"
        ? (c.added ?? [])
        : c.kind === "task.created"
          ? (c.state?.assignees ?? [])
          : [];
    for (const person of added) out[person] = [...(out[person] ?? []), c.id];
  }
  return out;
}

/** GitHub logins (from the BASE tracker: a pull request cannot choose whom the Action pings). */
export function loginsOf(
  base: Tracker,
  assigned: Readonly<Record<string, readonly string[]>>,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [person, tasks] of Object.entries(assigned)) {
    const login = base.person(person)?.github;
    if (login !== undefined && login !== "") out.set(login, tasks);
  }
  return out;
}

/** Runs the check; returns the exit code (0 pass, 1 rules broken or errors). */
export async function runCheck(ctx: RunContext, github: () => GitHub): Promise<number> {
  if (ctx.eventName === "workflow_run") {
    const { runFollowUp } = await import("./follow-up.js");
    return runFollowUp(ctx, github);
  }
  const pr = pullRequestOf(ctx);
  core.info(
    `Checking pull request #${pr.number} by ${pr.author}: ${pr.baseSha.slice(0, 12)}…${pr.headSha.slice(0, 12)}`,
  );
  const comparison = await compare(ctx.inputs.tracker, pr.baseSha, pr.headSha);
  const { base, head, changes, touched, where } = comparison;
  // with no trackdown.yml on the base there are no rules yet: the files are still checked
  const review: ReviewResult = comparison.baseHasRules
    ? reviewChanges({
        base,
        head,
        changes,
        touched,
        author: pr.author,
        takenIds: takenIds(comparison),
      })
    : {
        actor: actorFor(head, pr.author),
        violations: [],
        diagnostics: relevantDiagnostics(base, head, touched),
      };
  if (!comparison.baseHasRules) {
    core.notice(
      "The base branch has no trackdown.yml yet, so there are no rules to enforce: only the files are checked.",
    );
  }
  const report: CheckReport = {
    pullRequest: pr.number,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    author: pr.author,
    changes,
    violations: review.violations,
    diagnostics: review.diagnostics,
    assigned: newlyAssigned(changes),
    rulesChecked: comparison.baseHasRules,
  };
  const repoPath = (file: string) => (where.prefix === "" ? file : `${where.prefix}/${file}`);

  const problems = [...review.violations, ...review.diagnostics];
  const errors = problems.filter((d) => d.severity === "error").length;
  const warnings = problems.filter((d) => d.severity === "warning").length;
  const failed = errors > 0 || (ctx.inputs.failOn === "warning" && warnings > 0);
  // the step's own failure message is an error annotation too: it keeps one of the ten
  annotate(problems, repoPath, failed ? ANNOTATIONS_PER_SEVERITY - 1 : ANNOTATIONS_PER_SEVERITY);
  core.setOutput("errors", errors);
  core.setOutput("warnings", warnings);
  core.setOutput("violations", review.violations.length);
  core.setOutput("changes", JSON.stringify(changes.map((c) => ({ ...c, file: repoPath(c.file) }))));
  const artifact = writeArtifact(report);
  if (artifact !== undefined) core.setOutput("report", artifact);

  const body = checkMarkdown(ctx, report, repoPath, base, { forSummary: true });
  await core.summary.addRaw(body).write();

  if (ctx.inputs.comment) {
    await postComment(ctx, github(), report, repoPath, base, pr.fork);
  }
  if (failed) {
    core.setFailed(
      `${review.violations.length} rule${review.violations.length === 1 ? "" : "s"} broken, ${errors} error${errors === 1 ? "" : "s"} and ${warnings} warning${warnings === 1 ? "" : "s"} in the plan changes (see the annotations and the job summary).`,
    );
    return 1;
  }
  core.info(
    `Plan changes pass: ${changes.length} change${changes.length === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.`,
  );
  return 0;
}

/** Task ids the pull request creates that the base branch has meanwhile. */
function takenIds(comparison: Comparison): Map<string, string> {
  const taken = new Map<string, string>();
  for (const c of comparison.changes) {
    if (c.kind !== "task.created") continue;
    const theirs = comparison.base.task(c.id);
    if (theirs !== undefined) taken.set(c.id, theirs.file);
  }
  return taken;
}

/** The first annotations of each severity (the runner shows ten of each per step). */
function annotate(
  problems: readonly Diagnostic[],
  repoPath: (file: string) => string,
  errorSlots: number,
): void {
  const shown = { error: 0, warning: 0, info: 0 };
  const slots = {
    error: errorSlots,
    warning: ANNOTATIONS_PER_SEVERITY,
    info: ANNOTATIONS_PER_SEVERITY,
  };
  for (const d of problems) {
    if (shown[d.severity] >= slots[d.severity]) continue;
    shown[d.severity] += 1;
    const properties = {
      title: `${d.code} ${d.severity}`,
      file: repoPath(d.file),
      startLine: d.line,
      startColumn: d.column,
      ...(d.endLine === d.line ? { endColumn: Math.max(d.endColumn, d.column) } : {}),
    };
    const message = `${d.message}${d.hint !== "" ? `\n${d.hint}` : ""}`;
    if (d.severity === "error") core.error(message, properties);
    else if (d.severity === "warning") core.warning(message, properties);
    else core.notice(message, properties);
  }
  const hidden = problems.length - shown.error - shown.warning - shown.info;
  if (hidden > 0)
    core.info(`${hidden} more problem${hidden === 1 ? "" : "s"} are listed in the job summary.`);
}

/** The Markdown of a check, for the job summary (everything) or the comment (capped). */
export function checkMarkdown(
  ctx: RunContext,
  report: CheckReport,
  repoPath: (file: string) => string,
  base: Tracker,
  options: { forSummary: boolean },
): string {
  const link = (file: string, line?: number) =>
    fileLink(ctx.serverUrl, ctx.owner, ctx.repo, report.headSha, repoPath(file), line);
  const problems = [...report.violations, ...report.diagnostics];
  const errors = problems.filter((d) => d.severity === "error").length;
  const warnings = problems.filter((d) => d.severity === "warning").length;
  const verdict =
    errors > 0
      ? `❌ ${report.violations.length} rule${report.violations.length === 1 ? "" : "s"} broken, ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.`
      : warnings > 0
        ? `⚠️ No rule broken; ${warnings} warning${warnings === 1 ? "" : "s"}.`
        : "✅ No rule broken.";
  const parts = [
    options.forSummary ? "" : `${CHECK_MARKER}\n`,
    `### Trackdown: plan changes in #${report.pullRequest}\n\n`,
    `${verdict} ${report.changes.length} plan change${report.changes.length === 1 ? "" : "s"} by ${inertText(report.author, 40)}${report.rulesChecked ? ", judged by the rules on the base branch" : ""}.\n\n`,
  ];
  if (problems.length > 0) {
    parts.push(
      problemsTable(problems, (d) => link(d.file, d.line), options.forSummary ? 1000 : 20),
      "\n",
    );
  }
  parts.push(
    changesTable(report.changes, (c) => link(c.file, c.line), options.forSummary ? 1000 : 50),
  );
  const logins = loginsOf(base, report.assigned);
  if (logins.size > 0 && !options.forSummary) {
    parts.push(`\n**Newly assigned:** ${mentionsLine(logins)}\n`);
  } else if (Object.keys(report.assigned).length > 0) {
    parts.push(
      `\n**Newly assigned:** ${Object.entries(report.assigned)
        .map(([p, ids]) => `${codeSpan(p)} (${ids.map((id) => inertText(id, 40)).join(", ")})`)
        .join(", ")}\n`,
    );
  }
  parts.push(
    `\n<sub>Head ${codeSpan(report.headSha.slice(0, 12))}, base ${codeSpan(report.baseSha.slice(0, 12))}.</sub>\n`,
  );
  return parts.join("");
}

async function postComment(
  ctx: RunContext,
  github: GitHub,
  report: CheckReport,
  repoPath: (file: string) => string,
  base: Tracker,
  fork: boolean,
): Promise<void> {
  const body = checkMarkdown(ctx, report, repoPath, base, { forSummary: false });
  try {
    const result = await github.upsertStickyComment({
      owner: ctx.owner,
      repo: ctx.repo,
      issueNumber: report.pullRequest,
      marker: CHECK_MARKER,
      body,
    });
    core.info(`Comment ${result.action}: ${result.url}`);
  } catch (error) {
    const status = (error as { status?: number } | null)?.status;
    if (status === 403 || status === 404) {
      // a pull request from a fork gets a read-only token: the check still stands
      core.warning(
        `The comment could not be posted (HTTP ${status}: the token is read-only${fork ? ", as it always is for pull requests from forks" : ""}). The result is in the annotations and the job summary; to comment on forks' pull requests use the workflow_run follow-up in examples/workflows/.`,
      );
      return;
    }
    throw error;
  }
}

/** Writes the report for the workflow_run follow-up, under RUNNER_TEMP (or the OS temp). */
function writeArtifact(report: CheckReport): string | undefined {
  const folder = process.env.RUNNER_TEMP;
  if (folder === undefined || folder === "") return undefined;
  const file = join(folder, "trackdown", "check-report.json");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report)}\n`);
  return file;
}
