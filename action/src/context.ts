import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import * as core from "@actions/core";

/**
 * What a run is given: the inputs of action.yml and the runner's environment (the event
 * payload, the repository). Read once, checked, and handed to the modes; nothing else
 * reads `process.env`.
 */

export type Mode = "check" | "notify" | "digest";

export interface Inputs {
  readonly mode: Mode;
  /** The tracker folder, absolute. */
  readonly tracker: string;
  readonly token: string;
  readonly comment: boolean;
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
  readonly failOn: "error" | "warning";
  /** Digest: tasks due within this many days. */
  readonly dueWithinDays: number;
  /** Digest: in-progress tasks with no change for this many days. */
  readonly staleDays: number;
  /** check on workflow_run: the report the pull request's check wrote (an artifact), absolute. */
  readonly report?: string;
}

export interface RunContext {
  readonly inputs: Inputs;
  readonly eventName: string;
  /** The event payload (GITHUB_EVENT_PATH), as JSON. */
  readonly event: Readonly<Record<string, unknown>>;
  readonly owner: string;
  readonly repo: string;
  /** The checkout (GITHUB_WORKSPACE, or the current folder). */
  readonly workspace: string;
  /** https://github.com, or a GitHub Enterprise Server. */
  readonly serverUrl: string;
  readonly sha?: string;
}

/** A problem with how the Action is set up, said to the person writing the workflow. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

function positiveInteger(name: string, fallback: number): number {
  const text = core.getInput(name).trim();
  if (text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new SetupError(`The input ${name} must be a whole number of days, not "${text}".`);
  }
  return value;
}

/** Reads and checks the inputs and the environment. Throws {@link SetupError}. */
export function readContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const mode = (core.getInput("mode") || "check").trim();
  if (mode !== "check" && mode !== "notify" && mode !== "digest") {
    throw new SetupError(`The input mode must be check, notify or digest, not "${mode}".`);
  }
  const failOn = (core.getInput("fail-on") || "error").trim();
  if (failOn !== "error" && failOn !== "warning") {
    throw new SetupError(`The input fail-on must be error or warning, not "${failOn}".`);
  }
  const token = core.getInput("token");
  if (token !== "") core.setSecret(token);
  const webhookUrl = core.getInput("webhook-url").trim();
  const webhookSecret = core.getInput("webhook-secret");
  if (webhookUrl !== "") core.setSecret(webhookUrl);
  if (webhookSecret !== "") core.setSecret(webhookSecret);
  if (webhookUrl !== "" && !/^https?:\/\//.test(webhookUrl)) {
    throw new SetupError("The input webhook-url must be an http(s) URL.");
  }
  let comment = false;
  const commentText = core.getInput("comment").trim().toLowerCase();
  if (commentText !== "") {
    if (!["true", "false"].includes(commentText)) {
      throw new SetupError(`The input comment must be true or false, not "${commentText}".`);
    }
    comment = commentText === "true";
  }

  const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
  const trackerInput = core.getInput("tracker").trim() || "tracker";
  const tracker = isAbsolute(trackerInput) ? trackerInput : join(workspace, trackerInput);
  // by path segments: a string prefix would let "../checkout-other" pass for "checkout"
  const inside = relative(workspace, resolve(tracker));
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new SetupError(
      `The input tracker must be a folder inside the checkout, not "${trackerInput}".`,
    );
  }

  const repository = env.GITHUB_REPOSITORY ?? "";
  const [owner, repo] = repository.split("/");
  if (owner === undefined || repo === undefined || owner === "" || repo === "") {
    throw new SetupError("GITHUB_REPOSITORY is not set: the Action runs inside a GitHub workflow.");
  }
  const eventPath = env.GITHUB_EVENT_PATH;
  let event: Record<string, unknown> = {};
  if (eventPath !== undefined && eventPath !== "") {
    try {
      event = JSON.parse(readFileSync(eventPath, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new SetupError(
        `The event payload at GITHUB_EVENT_PATH could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const reportInput = core.getInput("report").trim();
  return {
    inputs: {
      mode,
      ...(reportInput !== "" ? { report: resolve(workspace, reportInput) } : {}),
      tracker: resolve(tracker),
      token,
      comment,
      ...(webhookUrl !== "" ? { webhookUrl } : {}),
      ...(webhookSecret !== "" ? { webhookSecret } : {}),
      failOn,
      dueWithinDays: positiveInteger("due-within-days", 3),
      staleDays: positiveInteger("stale-days", 5),
    },
    eventName: env.GITHUB_EVENT_NAME ?? "",
    event,
    owner,
    repo,
    workspace,
    serverUrl: (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, ""),
    ...(env.GITHUB_SHA !== undefined ? { sha: env.GITHUB_SHA } : {}),
  };
}

/** A field of the event payload, by path, when it is a string or number. */
export function eventValue(event: Readonly<Record<string, unknown>>, ...path: string[]): unknown {
  let value: unknown = event;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function eventString(
  event: Readonly<Record<string, unknown>>,
  ...path: string[]
): string | undefined {
  const value = eventValue(event, ...path);
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A tracker-relative path as a path from the repository's root (for links and annotations). */
export function repoPathIn(ctx: RunContext): (file: string) => string {
  const prefix = relative(ctx.workspace, ctx.inputs.tracker).split(sep).join("/");
  return (file) => (prefix === "" ? file : `${prefix}/${file}`);
}
