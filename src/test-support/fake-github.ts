import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  /** Label names. */
  labels: string[];
  user: { login: string };
}

export interface FakePull {
  number: number;
  title: string;
  user: { login: string };
  /** An instant (ISO 8601), null when not merged. */
  merged_at: string | null;
  html_url: string;
}

/** How a request made to fail by failNext() fails. */
export type FakeFailure = "secondary" | "primary" | "server-error" | "read-only";

export interface FakeGitHub {
  /** http://127.0.0.1:PORT, to be used as the API base URL. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Comments per issue/PR number, oldest first. */
  comments: Map<number, FakeComment[]>;
  issues: FakeIssue[];
  /** File names each PR changes. */
  pullFiles: Map<number, string[]>;
  /** PRs each commit sha belongs to. */
  commitPulls: Map<string, FakePull[]>;
  /** Pull requests by number, with their head commit (GET /pulls/{n}). */
  pulls: Map<number, FakePull & { head: { sha: string } }>;
  /**
   * The next `count` (default 1) requests whose method and path match answer with a failure:
   * "secondary" (default) is GitHub's 403 secondary rate limit with `retry-after: 1`;
   * "primary" is the 403 of an exhausted quota (`x-ratelimit-remaining: 0`, reset now);
   * "server-error" is a 500; "read-only" is the 403 a read-only token (a fork's pull
   * request) gets for a write.
   */
  failNext(method: string, pathPattern: RegExp, count?: number, kind?: FakeFailure): void;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** Who the token belongs to; null: GET /user answers 403 like an installation token, and
   * what it writes is authored by "github-actions[bot]". Default "trackdown-bot". */
  login?: string | null;
  /** Largest per_page honoured (GitHub: 100). */
  perPageCap?: number;
}

const OWNER_REPO = "/repos/([^/]+)/([^/]+)";
const DOCS = "https://docs.github.com/rest";

/**
 * A stand-in for api.github.com on 127.0.0.1 (a free port), speaking the REST shapes the
 * Action uses, for one owner/repo-agnostic repository. Started and stopped by the test.
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const login = options.login === undefined ? "trackdown-bot" : options.login;
  const author = login ?? "github-actions[bot]";
  const perPageCap = options.perPageCap ?? 100;
  const failures: { method: string; pattern: RegExp; left: number; kind: FakeFailure }[] = [];
  let nextCommentId = 1000;
  let origin = "";

  const fake: FakeGitHub = {
    get url() {
      return origin;
    },
    requests: [],
    comments: new Map(),
    issues: [],
    pullFiles: new Map(),
    commitPulls: new Map(),
    pulls: new Map(),
    failNext(method, pathPattern, count = 1, kind = "secondary") {
      failures.push({ method: method.toUpperCase(), pattern: pathPattern, left: count, kind });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };

  const newCommentId = () => {
    for (const list of fake.comments.values()) {
      for (const c of list) nextCommentId = Math.max(nextCommentId, c.id + 1);
    }
    return nextCommentId++;
  };

  const newIssueNumber = () => {
    const taken = [
      ...fake.issues.map((i) => i.number),
      ...fake.comments.keys(),
      ...fake.pullFiles.keys(),
      ...[...fake.commitPulls.values()].flat().map((p) => p.number),
    ];
    return Math.max(0, ...taken) + 1;
  };

  const commentJson = (slug: string, issueNumber: number, c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${origin}/repos/${slug}/issues/comments/${c.id}`,
    html_url: `https://github.com/${slug}/issues/${issueNumber}#issuecomment-${c.id}`,
    issue_url: `${origin}/repos/${slug}/issues/${issueNumber}`,
    body: c.body,
    user: userJson(c.user.login),
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    author_association: "NONE",
  });

  const issueJson = (slug: string, i: FakeIssue) => ({
    id: 500_000 + i.number,
    node_id: `I_${i.number}`,
    number: i.number,
    url: `${origin}/repos/${slug}/issues/${i.number}`,
    html_url: `https://github.com/${slug}/issues/${i.number}`,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name, n) => ({ id: n + 1, name, color: "ededed", default: false })),
    user: userJson(i.user.login),
    comments: fake.comments.get(i.number)?.length ?? 0,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    closed_at: i.state === "closed" ? "2026-01-02T00:00:00Z" : null,
  });

  type Route = {
    method: string;
    pattern: RegExp;
    answer: (match: string[], req: Parsed) => Answer;
  };
  const routes: Route[] = [
    {
      method: "GET",
      pattern: /^\/user$/,
      answer: () =>
        login === null
          ? error(
              403,
              "Resource not accessible by integration",
              `${DOCS}/users/users#get-the-authenticated-user`,
            )
          : json(200, { ...userJson(login), type: "User" }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${OWNER_REPO}/issues/(\\d+)/comments$`),
      answer: ([, owner, name, n], req) => {
        const issue = Number(n);
        const list = (fake.comments.get(issue) ?? []).map((c) =>
          commentJson(`${owner}/${name}`, issue, c),
        );
        return paginated(list, req);
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${OWNER_REPO}/issues/(\\d+)/comments$`),
      answer: ([, owner, name, n], req) => {
        const body = field(req.body, "body");
        if (typeof body !== "string") return invalid("body");
        const issue = Number(n);
        const comment: FakeComment = { id: newCommentId(), body, user: { login: author } };
        fake.comments.set(issue, [...(fake.comments.get(issue) ?? []), comment]);
        return json(201, commentJson(`${owner}/${name}`, issue, comment));
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${OWNER_REPO}/issues/comments/(\\d+)$`),
      answer: ([, owner, name, id], req) => {
        const body = field(req.body, "body");
        if (typeof body !== "string") return invalid("body");
        for (const [issue, list] of fake.comments) {
          const comment = list.find((c) => c.id === Number(id));
          if (comment === undefined) continue;
          if (comment.user.login !== author) {
            return error(403, "Resource not accessible by integration", DOCS);
          }
          comment.body = body;
          return json(200, commentJson(`${owner}/${name}`, issue, comment));
        }
        return notFound();
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${OWNER_REPO}/issues$`),
      answer: ([, owner, name], req) => {
        const state = req.query.state ?? "open";
        const labels = (req.query.labels ?? "").split(",").filter((l) => l !== "");
        const creator = req.query.creator;
        const list = fake.issues
          .filter((i) => state === "all" || i.state === state)
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .filter((i) => creator === undefined || i.user.login === creator)
          // GitHub's default order: newest first
          .sort((x, y) => y.number - x.number)
          .map((i) => issueJson(`${owner}/${name}`, i));
        return paginated(list, req);
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${OWNER_REPO}/issues$`),
      answer: ([, owner, name], req) => {
        const title = field(req.body, "title");
        const body = field(req.body, "body") ?? "";
        const labels = field(req.body, "labels") ?? [];
        if (typeof title !== "string" || title === "") return invalid("title");
        if (typeof body !== "string") return invalid("body");
        if (!Array.isArray(labels)) return invalid("labels");
        const issue: FakeIssue = {
          number: newIssueNumber(),
          title,
          body,
          state: "open",
          labels: labels.map(String),
          user: { login: author },
        };
        fake.issues.push(issue);
        return json(201, issueJson(`${owner}/${name}`, issue));
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${OWNER_REPO}/issues/(\\d+)$`),
      answer: ([, owner, name, n], req) => {
        const issue = fake.issues.find((i) => i.number === Number(n));
        if (issue === undefined) return notFound();
        const { title, body, state, labels } = {
          title: field(req.body, "title"),
          body: field(req.body, "body"),
          state: field(req.body, "state"),
          labels: field(req.body, "labels"),
        };
        if (title !== undefined && typeof title !== "string") return invalid("title");
        if (body !== undefined && typeof body !== "string") return invalid("body");
        if (state !== undefined && state !== "open" && state !== "closed") return invalid("state");
        if (labels !== undefined && !Array.isArray(labels)) return invalid("labels");
        if (title !== undefined) issue.title = title;
        if (body !== undefined) issue.body = body;
        if (state !== undefined) issue.state = state;
        if (labels !== undefined) issue.labels = labels.map(String);
        return json(200, issueJson(`${owner}/${name}`, issue));
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${OWNER_REPO}/commits/([0-9a-f]{4,40})/pulls$`),
      answer: ([, owner, name, sha], req) => {
        const pulls = fake.commitPulls.get(sha ?? "") ?? [];
        return paginated(
          pulls.map((p) => ({
            id: 700_000 + p.number,
            number: p.number,
            title: p.title,
            state: p.merged_at === null ? "open" : "closed",
            user: userJson(p.user.login),
            merged_at: p.merged_at,
            html_url: p.html_url,
            url: `${origin}/repos/${owner}/${name}/pulls/${p.number}`,
          })),
          req,
        );
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${OWNER_REPO}/pulls/(\\d+)$`),
      answer: ([, owner, name, n]) => {
        const pull = fake.pulls.get(Number(n));
        if (pull === undefined) return notFound();
        return json(200, {
          id: 700_000 + pull.number,
          number: pull.number,
          title: pull.title,
          state: pull.merged_at === null ? "open" : "closed",
          user: userJson(pull.user.login),
          merged_at: pull.merged_at,
          html_url: pull.html_url,
          head: { sha: pull.head.sha, ref: "feature" },
          url: `${origin}/repos/${owner}/${name}/pulls/${pull.number}`,
        });
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${OWNER_REPO}/pulls/(\\d+)/files$`),
      answer: ([, owner, name, n], req) => {
        const files = fake.pullFiles.get(Number(n));
        if (files === undefined) return notFound();
        return paginated(
          files.map((filename, i) => ({
            sha: i.toString(16).padStart(40, "0"),
            filename,
            status: "modified",
            additions: 1,
            deletions: 1,
            changes: 2,
            blob_url: `https://github.com/${owner}/${name}/blob/HEAD/${filename}`,
            raw_url: `https://github.com/${owner}/${name}/raw/HEAD/${filename}`,
            contents_url: `${origin}/repos/${owner}/${name}/contents/${filename}`,
          })),
          req,
        );
      },
    },
  ];

  function paginated(all: unknown[], req: Parsed): Answer {
    const perPage = Math.min(Math.max(Number(req.query.per_page ?? 30) || 30, 1), perPageCap);
    const page = Math.max(Number(req.query.page ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const pageUrl = (p: number) => {
      const query = new URLSearchParams({ ...req.query, page: String(p) });
      return `<${origin}${req.path}?${query}>`;
    };
    const links: string[] = [];
    if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
    if (page > 1) links.push(`${pageUrl(page - 1)}; rel="prev"`, `${pageUrl(1)}; rel="first"`);
    const answer = json(200, all.slice((page - 1) * perPage, page * perPage));
    if (links.length > 0) answer.headers.link = links.join(", ");
    return answer;
  }

  function answerFor(req: Parsed): Answer {
    if (req.headers.authorization === undefined) {
      return error(
        401,
        "Requires authentication",
        `${DOCS}/overview/authenticating-to-the-rest-api`,
      );
    }
    const failure = failures.find(
      (f) => f.left > 0 && f.method === req.method && f.pattern.test(req.path),
    );
    if (failure !== undefined) {
      failure.left -= 1;
      return failureAnswer(failure.kind);
    }
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(req.path);
      if (match !== null)
        return route.answer(
          [...match].map((m) => m ?? ""),
          req,
        );
    }
    return notFound();
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const req = await parse(request);
    fake.requests.push(req);
    const answer = answerFor(req);
    response.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": `FAKE:${fake.requests.length}`,
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": "core",
      ...answer.headers,
    });
    response.end(JSON.stringify(answer.body));
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

type Parsed = RecordedRequest;
type Answer = { status: number; headers: Record<string, string>; body: unknown };

async function parse(request: IncomingMessage): Promise<RecordedRequest> {
  const url = new URL(request.url ?? "/", "http://fake.invalid");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return {
    method: request.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
  };
}

function field(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null && name in body
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function userJson(login: string) {
  return {
    login,
    id: [...login].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7),
    type: login.endsWith("[bot]") ? "Bot" : "User",
    html_url: `https://github.com/${login}`,
  };
}

function json(status: number, body: unknown): Answer {
  return { status, headers: {}, body };
}

function error(status: number, message: string, documentationUrl: string): Answer {
  return json(status, { message, documentation_url: documentationUrl, status: String(status) });
}

function notFound(): Answer {
  return error(404, "Not Found", DOCS);
}

function invalid(name: string): Answer {
  return json(422, {
    message: "Invalid request.",
    errors: [{ resource: "Issue", code: "invalid", field: name }],
    documentation_url: DOCS,
    status: "422",
  });
}

/** Bodies and headers as GitHub sends them. */
function failureAnswer(kind: FakeFailure): Answer {
  if (kind === "server-error") return error(500, "Server Error", DOCS);
  if (kind === "read-only") {
    return error(
      403,
      "Resource not accessible by integration",
      "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
    );
  }
  if (kind === "primary") {
    const answer = error(
      403,
      "API rate limit exceeded for installation ID 1234.",
      "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits",
    );
    // reset is "this second": the client waits about a second
    answer.headers = {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "5000",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)),
    };
    return answer;
  }
  const answer = error(
    403,
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE:0000:1111:2222:33333333.",
    "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
  );
  answer.headers = { "retry-after": "1" };
  return answer;
}
