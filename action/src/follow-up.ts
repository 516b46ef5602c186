import { readFileSync, statSync } from "node:fs";
import * as core from "@actions/core";
import type { Diagnostic } from "../../src/core/diagnostics/diagnostic.js";
import type { Change } from "../../src/core/diff/diff.js";
import type { Tracker } from "../../src/core/model.js";
import { loadTracker } from "../../src/node/load.js";
import { CHECK_MARKER, type CheckReport, checkMarkdown } from "./check.js";
import { eventString, type RunContext, repoPathIn, SetupError } from "./context.js";
import type { GitHub } from "./github.js";

/**
 * `mode: check` on `workflow_run`: the follow-up that comments on pull requests from
 * forks. The check itself runs with a read-only token on `pull_request` and uploads its
 * report; this run has a write token, so it trusts nothing in that report: its shape is
 * checked field by field, its head commit must be the one GitHub says the checked run
 * was for, the pull request must really have that head, every text is neutralised when
 * rendered, and mentions come only from the people on the default branch.
 */

const MAX_REPORT_BYTES = 5 * 1024 * 1024;
const SHA = /^[0-9a-f]{40}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

class ReportError extends SetupError {}

function fail(what: string): never {
  throw new ReportError(`The check report is not valid (${what}); nothing was posted.`);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown, what: string, max = 2000): string =>
  typeof v === "string" && v.length <= max
    ? v
    : fail(`${what} is not a string of at most ${max} characters`);
const int = (v: unknown, what: string): number =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 1e9
    ? v
    : fail(`${what} is not a whole number`);

function change(v: unknown, i: number): Change {
  if (!isRecord(v)) fail(`change ${i} is not an object`);
  const kind = str(v.kind, `change ${i}'s kind`, 40);
  if (!/^(task|milestone|project|person|team|config|time)\.[a-z]+$/.test(kind))
    fail(`change ${i}'s kind`);
  const out: Change = {
    kind: kind as Change["kind"],
    id: str(v.id, `change ${i}'s id`, 200),
    file: str(v.file, `change ${i}'s file`, 500),
    line: int(v.line, `change ${i}'s line`),
    column: int(v.column, `change ${i}'s column`),
    summary: str(v.summary, `change ${i}'s summary`, 2000),
  };
  return out;
}

function problem(v: unknown, i: number): Diagnostic {
  if (!isRecord(v)) fail(`problem ${i} is not an object`);
  const code = str(v.code, `problem ${i}'s code`, 10);
  if (!/^TD\d{3}$/.test(code)) fail(`problem ${i}'s code`);
  const severity = v.severity;
  if (severity !== "error" && severity !== "warning" && severity !== "info")
    fail(`problem ${i}'s severity`);
  const line = int(v.line, `problem ${i}'s line`);
  const column = int(v.column, `problem ${i}'s column`);
  return {
    code: code as Diagnostic["code"],
    severity,
    message: str(v.message, `problem ${i}'s message`, 2000),
    file: str(v.file, `problem ${i}'s file`, 500),
    line,
    column,
    endLine: line,
    endColumn: column,
    hint: "",
  };
}

const list = <T>(v: unknown, what: string, max: number, item: (x: unknown, i: number) => T): T[] =>
  Array.isArray(v) && v.length <= max
    ? v.map(item)
    : fail(`${what} is not a list of at most ${max}`);

/** A report read back field by field; anything unexpected rejects it whole. */
export function parseReport(text: string): CheckReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    fail("not JSON");
  }
  if (!isRecord(data)) fail("not an object");
  const pullRequest = int(data.pullRequest, "pullRequest");
  if (pullRequest === 0) fail("pullRequest");
  const baseSha = str(data.baseSha, "baseSha", 40);
  const headSha = str(data.headSha, "headSha", 40);
  if (!SHA.test(baseSha) || !SHA.test(headSha)) fail("a commit id");
  const author = str(data.author, "author", 50);
  if (!LOGIN.test(author)) fail("author");
  const assigned: Record<string, readonly string[]> = {};
  if (!isRecord(data.assigned)) fail("assigned");
  for (const [person, ids] of Object.entries(data.assigned).slice(0, 200)) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(person)) fail("an assigned person's id");
    assigned[person] = list(ids, "assigned tasks", 1000, (x) => str(x, "a task id", 100));
  }
  if (typeof data.rulesChecked !== "boolean") fail("rulesChecked");
  return {
    pullRequest,
    baseSha,
    headSha,
    author,
    changes: list(data.changes, "changes", 20000, change),
    violations: list(data.violations, "violations", 20000, problem),
    diagnostics: list(data.diagnostics, "diagnostics", 20000, problem),
    assigned,
    rulesChecked: data.rulesChecked,
  };
}

export async function runFollowUp(ctx: RunContext, github: () => GitHub): Promise<number> {
  const headSha = eventString(ctx.event, "workflow_run", "head_sha");
  if (headSha === undefined) {
    throw new SetupError(
      "The workflow_run event has no head_sha: this follow-up runs on `workflow_run` only.",
    );
  }
  const path = ctx.inputs.report;
  if (path === undefined) {
    throw new SetupError(
      "On workflow_run, mode: check needs the report input: the check-report.json artifact the pull request's check uploaded.",
    );
  }
  let text: string;
  try {
    if (statSync(path).size > MAX_REPORT_BYTES) fail("larger than 5 MB");
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ReportError) throw error;
    throw new SetupError(
      `The check report ${path} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const report = parseReport(text);
  if (report.headSha !== headSha) {
    fail(
      `it is for ${report.headSha.slice(0, 12)}, but the checked run was for ${headSha.slice(0, 12)}`,
    );
  }
  const pr = await github().pullRequest({
    owner: ctx.owner,
    repo: ctx.repo,
    number: report.pullRequest,
  });
  if (pr.headSha !== headSha) {
    fail(
      `pull request #${report.pullRequest} has head ${pr.headSha.slice(0, 12)}, not ${headSha.slice(0, 12)}`,
    );
  }
  // people and their GitHub logins from the default branch this run checked out
  let people: Tracker;
  try {
    people = await loadTracker(ctx.inputs.tracker, { cache: false });
  } catch (error) {
    throw new SetupError(
      `The tracker on the default branch could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const repoPath = repoPathIn(ctx);
  const body = checkMarkdown(ctx, report, repoPath, people, { forSummary: false });
  const result = await github().upsertStickyComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issueNumber: report.pullRequest,
    marker: CHECK_MARKER,
    body,
  });
  core.info(`Comment on #${report.pullRequest} ${result.action}: ${result.url}`);
  return 0;
}
