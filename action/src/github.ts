import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

export interface GitHubOptions {
  token: string;
  /** default: process.env.GITHUB_API_URL ?? "https://api.github.com" */
  baseUrl?: string;
  /** injectable fetch (tests, proxies); default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** where to say what happens (rate limits, retries); default: nothing */
  log?: (message: string) => void;
}

/** The Action's view of the GitHub API: only what the Action needs, with retries and rate limits handled. */
export interface GitHub {
  /** The login comments are posted as: GET /user; when that answers 403/401 (GITHUB_TOKEN is an installation token), "github-actions[bot]". Cached. */
  botLogin(): Promise<string>;
  /**
   * One comment on an issue/PR found by a hidden marker (an HTML comment such as
   * "<!-- trackdown:check -->") AND authored by botLogin(): created when absent, updated in
   * place when the body differs, left alone when equal; never a second one. The marker is
   * put at the start of the body when the body does not already contain it. When several
   * match (left by an older bug), the newest is updated and the others are left alone.
   */
  upsertStickyComment(a: {
    owner: string;
    repo: string;
    issueNumber: number;
    marker: string;
    body: string;
  }): Promise<{ action: "created" | "updated" | "unchanged"; id: number; url: string }>;
  /** A plain new comment. */
  createComment(a: {
    owner: string;
    repo: string;
    issueNumber: number;
    body: string;
  }): Promise<{ id: number; url: string }>;
  /** Pull requests a commit belongs to (GET /repos/{o}/{r}/commits/{sha}/pulls), merged ones first. */
  pullRequestsForCommit(a: { owner: string; repo: string; sha: string }): Promise<PullRequestRef[]>;
  /** One pull request, with its head commit (GET /repos/{o}/{r}/pulls/{n}). */
  pullRequest(a: {
    owner: string;
    repo: string;
    number: number;
  }): Promise<PullRequestRef & { headSha: string }>;
  /** Every file path a PR changes (its `filename`s, GitHub lists at most 3000), paginated. */
  pullRequestFiles(a: { owner: string; repo: string; number: number }): Promise<string[]>;
  /**
   * One issue per period, found by exact title among open+closed issues carrying `label` and
   * authored by botLogin(): created (with the label) when absent, body updated in place (and
   * reopened if closed) when present.
   */
  upsertIssue(a: {
    owner: string;
    repo: string;
    title: string;
    label: string;
    body: string;
  }): Promise<{ action: "created" | "updated" | "unchanged"; number: number; url: string }>;
}

/** A pull request as the notify mode needs it. */
export interface PullRequestRef {
  number: number;
  title: string;
  /** The author's login; "ghost" when the account was deleted. */
  author: string;
  merged: boolean;
  /** The PR's page on github.com (html_url). */
  url: string;
}

/**
 * A GitHub API call that failed for good (after the retries). Everything it carries has had the
 * token removed; the original octokit error is not kept because it holds the request.
 */
export class GitHubApiError extends Error {
  override readonly name = "GitHubApiError";
  /** HTTP status of the last answer; 500 when no answer came (network failure). */
  readonly status: number;
  readonly method: string;
  /** Path and query of the request, without the API origin. */
  readonly path: string;

  constructor(message: string, fields: { status: number; method: string; path: string }) {
    super(message);
    this.status = fields.status;
    this.method = fields.method;
    this.path = fields.path;
  }
}

/** Who posts with GITHUB_TOKEN, which cannot ask GET /user who it is. */
const INSTALLATION_BOT_LOGIN = "github-actions[bot]";
/** Retries after a primary or secondary rate limit. */
const RATE_LIMIT_RETRIES = 2;
/** The retry plugin's default, stated here so the log can say what comes next. */
const SERVER_ERROR_RETRIES = 3;
const PER_PAGE = 100;

const ActionOctokit = Octokit.plugin(reportServerErrors, throttling, retry);
type ActionOctokit = InstanceType<typeof ActionOctokit>;

export function gitHubClient(options: GitHubOptions): GitHub {
  if (options.token === "") {
    throw new Error("gitHubClient needs a token (the Action's `token` input)");
  }
  const baseUrl = (
    options.baseUrl ??
    process.env.GITHUB_API_URL ??
    "https://api.github.com"
  ).replace(/\/+$/, "");
  const redact = secretRedactor(options.token);
  const write = options.log ?? (() => {});
  const say = (message: string) => write(redact(message));
  const octokitLog = { debug: () => {}, info: () => {}, warn: say, error: () => {} };

  const octokit: ActionOctokit = new ActionOctokit({
    auth: options.token,
    baseUrl,
    userAgent: "trackdown-action",
    log: octokitLog,
    request: { fetch: options.fetch, log: octokitLog },
    throttle: {
      // Octokit instances with the same id share their pacing (one write per second, one
      // notifying write per 3 s); the pacing belongs to the account, so the id comes from it.
      id: `trackdown-${createHash("sha256").update(`${baseUrl}\n${options.token}`).digest("hex").slice(0, 16)}`,
      onRateLimit: (retryAfter, request, _octokit, retryCount) =>
        decideRateLimitRetry("rate limit", retryAfter, request, retryCount),
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) =>
        decideRateLimitRetry("secondary rate limit", retryAfter, request, retryCount),
    },
    retry: { retries: SERVER_ERROR_RETRIES },
  });

  function decideRateLimitRetry(
    kind: string,
    retryAfter: number,
    request: EndpointOptions,
    retryCount: number,
  ): boolean {
    const what = `GitHub ${kind} on ${describeRequest(octokit, request)}`;
    if (retryCount < RATE_LIMIT_RETRIES) {
      say(`${what}: retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES} in ${retryAfter} s`);
      return true;
    }
    say(`${what}: giving up after ${RATE_LIMIT_RETRIES} retries`);
    return false;
  }

  /** Every public method goes through here: the one place errors lose the token. */
  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toGitHubApiError(error, redact);
    }
  }

  let cachedLogin: Promise<string> | undefined;
  function botLogin(): Promise<string> {
    if (cachedLogin === undefined) {
      const pending = askLogin(octokit);
      cachedLogin = pending;
      // a failure is not an answer: the next call asks again
      pending.catch(() => {
        if (cachedLogin === pending) cachedLogin = undefined;
      });
    }
    return cachedLogin;
  }

  /**
   * Creates something GitHub must hold only once. A POST that fails with a 5xx may still have
   * been done, so instead of the retry plugin's blind repeat we look again before repeating.
   */
  async function createOnce<T>(
    create: (retries?: number) => Promise<T>,
    find: () => Promise<T | undefined>,
  ) {
    try {
      return await create(0);
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || status < 500) throw error;
      say(
        `GitHub answered ${status} to a create; checking whether it was made before trying again`,
      );
      await sleep(1000);
      return (await find()) ?? (await create());
    }
  }

  async function findStickyComment(a: {
    owner: string;
    repo: string;
    issueNumber: number;
    marker: string;
  }) {
    const login = await botLogin();
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: a.owner,
      repo: a.repo,
      issue_number: a.issueNumber,
      per_page: PER_PAGE,
    });
    return newest(
      comments.filter((c) => sameLogin(c.user?.login, login) && (c.body ?? "").includes(a.marker)),
      (c) => c.id,
    );
  }

  async function findPeriodIssue(a: { owner: string; repo: string; title: string; label: string }) {
    const login = await botLogin();
    // The `creator` filter is not used: whether it matches "name[bot]" authors is undocumented,
    // and a miss would mean a duplicate issue. The label keeps the list short.
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: a.owner,
      repo: a.repo,
      labels: a.label,
      state: "all",
      per_page: PER_PAGE,
    });
    return newest(
      issues.filter(
        (i) =>
          i.pull_request === undefined && i.title === a.title && sameLogin(i.user?.login, login),
      ),
      (i) => i.number,
    );
  }

  return {
    botLogin: () => guarded(botLogin),

    upsertStickyComment: (a) =>
      guarded(async () => {
        const body = a.body.includes(a.marker) ? a.body : `${a.marker}\n${a.body}`;
        const found = await findStickyComment(a);
        if (found === undefined) {
          const created = await createOnce(
            async (retries) =>
              (
                await octokit.rest.issues.createComment({
                  owner: a.owner,
                  repo: a.repo,
                  issue_number: a.issueNumber,
                  body,
                  ...retryOverride(retries),
                })
              ).data,
            () => findStickyComment(a),
          );
          return { action: "created", id: created.id, url: created.html_url };
        }
        if (sameText(found.body ?? "", body)) {
          return { action: "unchanged", id: found.id, url: found.html_url };
        }
        const { data } = await octokit.rest.issues.updateComment({
          owner: a.owner,
          repo: a.repo,
          comment_id: found.id,
          body,
        });
        return { action: "updated", id: data.id, url: data.html_url };
      }),

    createComment: (a) =>
      guarded(async () => {
        const { data } = await octokit.rest.issues.createComment({
          owner: a.owner,
          repo: a.repo,
          issue_number: a.issueNumber,
          body: a.body,
        });
        return { id: data.id, url: data.html_url };
      }),

    pullRequestsForCommit: (a) =>
      guarded(async () => {
        const pulls = await octokit.paginate(
          octokit.rest.repos.listPullRequestsAssociatedWithCommit,
          {
            owner: a.owner,
            repo: a.repo,
            commit_sha: a.sha,
            per_page: PER_PAGE,
          },
        );
        const refs = pulls.map((p) => ({
          number: p.number,
          title: p.title,
          author: p.user?.login ?? "ghost",
          merged: p.merged_at !== null,
          url: p.html_url,
        }));
        // sort is stable: GitHub's order is kept within each group
        return refs.sort((x, y) => Number(y.merged) - Number(x.merged));
      }),

    pullRequest: (a) =>
      guarded(async () => {
        const { data } = await octokit.rest.pulls.get({
          owner: a.owner,
          repo: a.repo,
          pull_number: a.number,
        });
        return {
          number: data.number,
          title: data.title,
          author: data.user?.login ?? "ghost",
          merged: data.merged_at !== null,
          url: data.html_url,
          headSha: data.head.sha,
        };
      }),

    pullRequestFiles: (a) =>
      guarded(async () => {
        const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
          owner: a.owner,
          repo: a.repo,
          pull_number: a.number,
          per_page: PER_PAGE,
        });
        return files.map((f) => f.filename);
      }),

    upsertIssue: (a) =>
      guarded(async () => {
        const found = await findPeriodIssue(a);
        if (found === undefined) {
          const created = await createOnce(
            async (retries) =>
              (
                await octokit.rest.issues.create({
                  owner: a.owner,
                  repo: a.repo,
                  title: a.title,
                  body: a.body,
                  labels: [a.label],
                  ...retryOverride(retries),
                })
              ).data,
            () => findPeriodIssue(a),
          );
          return { action: "created", number: created.number, url: created.html_url };
        }
        const closed = found.state === "closed";
        if (!closed && sameText(found.body ?? "", a.body)) {
          return { action: "unchanged", number: found.number, url: found.html_url };
        }
        const { data } = await octokit.rest.issues.update({
          owner: a.owner,
          repo: a.repo,
          issue_number: found.number,
          body: a.body,
          ...(closed ? { state: "open" as const } : {}),
        });
        return { action: "updated", number: data.number, url: data.html_url };
      }),
  };
}

async function askLogin(octokit: ActionOctokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = statusOf(error);
    if (status === 401 || status === 403) return INSTALLATION_BOT_LOGIN;
    throw error;
  }
}

/** Logins are case-insensitive on GitHub. */
function sameLogin(login: string | undefined, expected: string): boolean {
  return login !== undefined && login.toLowerCase() === expected.toLowerCase();
}

/** GitHub may hand back CRLF for text it was given with LF. */
function sameText(stored: string, wanted: string): boolean {
  return stored.replace(/\r\n/g, "\n") === wanted.replace(/\r\n/g, "\n");
}

function newest<T>(items: T[], order: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || order(item) > order(best)) best = item;
  return best;
}

function retryOverride(retries: number | undefined) {
  return retries === undefined ? {} : { request: { retries } };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  return typeof error.status === "number" ? error.status : undefined;
}

function secretRedactor(secret: string): (text: string) => string {
  const forms = [...new Set([secret, encodeURIComponent(secret)])];
  return (text) => forms.reduce((out, form) => out.split(form).join("[REDACTED]"), text);
}

function toGitHubApiError(error: unknown, redact: (text: string) => string): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const { method, path } = requestOf(error);
  const status = statusOf(error) ?? 500;
  const where = method === "" ? "GitHub API call" : `GitHub API ${method} ${path}`;
  return new GitHubApiError(redact(`${where} failed (${status}): ${message}`), {
    status,
    method,
    path: redact(path),
  });
}

function requestOf(error: unknown): { method: string; path: string } {
  if (typeof error !== "object" || error === null || !("request" in error)) {
    return { method: "", path: "" };
  }
  const request = error.request;
  if (typeof request !== "object" || request === null) return { method: "", path: "" };
  const method = "method" in request && typeof request.method === "string" ? request.method : "";
  const url = "url" in request && typeof request.url === "string" ? request.url : "";
  return { method, path: pathOf(url) };
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

type CoreOctokit = Parameters<typeof throttling>[0];
type EndpointOptions = Parameters<CoreOctokit["request"]["endpoint"]["parse"]>[0];

/** "METHOD /path" without origin, query or anything secret. */
function describeRequest(octokit: CoreOctokit, request: EndpointOptions): string {
  try {
    const { method, url } = octokit.request.endpoint.parse(request);
    return `${method} ${new URL(url).pathname}`;
  } catch {
    return `${request.method} ${request.url}`;
  }
}

/**
 * Says when GitHub answers a 5xx and whether the retry plugin (which wraps this hook) tries
 * again. Registered before the retry plugin, so it sees every attempt.
 */
function reportServerErrors(octokit: CoreOctokit): void {
  octokit.hook.wrap("request", async (request, options) => {
    try {
      return await request(options);
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && status >= 500) {
        const retries = Number(options.request.retries ?? SERVER_ERROR_RETRIES);
        const done = Number(options.request.retryCount ?? 0);
        const what = `GitHub answered ${status} to ${describeRequest(octokit, options)}`;
        octokit.log.warn(
          done < retries
            ? `${what}: retry ${done + 1} of ${retries} in ${(done + 1) ** 2} s`
            : `${what}: not retried`,
        );
      }
      throw error;
    }
  });
}
