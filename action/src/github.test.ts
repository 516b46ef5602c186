import { it as baseIt, describe, expect } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/test-support/fake-github.js";
import { GitHubApiError, type GitHubOptions, gitHubClient } from "./github.js";

const MARKER = "<!-- trackdown:check -->";
const repo = { owner: "acme", repo: "plan" };

interface Connection {
  fake: FakeGitHub;
  token: string;
  logs: string[];
  client: ReturnType<typeof gitHubClient>;
}

type Connect = (
  fakeOptions?: Parameters<typeof startFakeGitHub>[0],
  clientOptions?: Partial<GitHubOptions>,
) => Promise<Connection>;

let tokens = 0;

/**
 * `connect()` starts a fake GitHub and a client talking to it. Each connection has its own
 * token, hence its own throttling pacing, so the tests run concurrently. At the end of every
 * test: the token travelled only in the Authorization header, was never logged, and the fake
 * is closed.
 */
const it = baseIt.extend<{ connect: Connect }>({
  connect: async ({ task }, use) => {
    const opened: Connection[] = [];
    await use(async (fakeOptions, clientOptions) => {
      const fake = await startFakeGitHub(fakeOptions);
      tokens += 1;
      const token = `ghs_Secret${tokens}x${Math.random().toString(36).slice(2)}`;
      const logs: string[] = [];
      const client = gitHubClient({
        token,
        baseUrl: fake.url,
        log: (m) => logs.push(m),
        ...clientOptions,
      });
      opened.push({ fake, token, logs, client });
      return { fake, token, logs, client };
    });
    for (const { fake, token, logs } of opened) {
      await fake.close();
      for (const request of fake.requests) {
        const { authorization, ...headers } = request.headers;
        expect(authorization, task.name).toBe(`token ${token}`);
        expect(JSON.stringify({ ...request, headers })).not.toContain(token);
      }
      expect(logs.join("\n")).not.toContain(token);
    }
  },
});

/** "METHOD /path" of the requests made since `from`. */
function calls(fake: FakeGitHub, from = 0): string[] {
  return fake.requests.slice(from).map((r) => `${r.method} ${r.path}`);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe.concurrent("upsertStickyComment", () => {
  it("creates, then updates in place, then leaves alone, with exactly the requests needed", async ({
    connect,
  }) => {
    const { fake, client } = await connect();
    const where = { ...repo, issueNumber: 7, marker: MARKER };

    const created = await client.upsertStickyComment({ ...where, body: "3 changes" });
    expect(created).toMatchObject({ action: "created" });
    expect(calls(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/7/comments",
      "POST /repos/acme/plan/issues/7/comments",
    ]);
    expect(fake.requests[1]?.query).toEqual({ per_page: "100" });
    expect(fake.requests[2]?.body).toEqual({ body: `${MARKER}\n3 changes` });
    expect(created.url).toBe(`https://github.com/acme/plan/issues/7#issuecomment-${created.id}`);

    let from = fake.requests.length;
    const updated = await client.upsertStickyComment({ ...where, body: `${MARKER}\n4 changes` });
    expect(updated).toEqual({ action: "updated", id: created.id, url: created.url });
    expect(calls(fake, from)).toEqual([
      "GET /repos/acme/plan/issues/7/comments",
      `PATCH /repos/acme/plan/issues/comments/${created.id}`,
    ]);
    expect(fake.requests.at(-1)?.body).toEqual({ body: `${MARKER}\n4 changes` });

    from = fake.requests.length;
    const unchanged = await client.upsertStickyComment({ ...where, body: `${MARKER}\n4 changes` });
    expect(unchanged).toEqual({ action: "unchanged", id: created.id, url: created.url });
    expect(calls(fake, from)).toEqual(["GET /repos/acme/plan/issues/7/comments"]);

    expect(fake.comments.get(7)).toEqual([
      { id: created.id, body: `${MARKER}\n4 changes`, user: { login: "trackdown-bot" } },
    ]);
  });

  it("does not take a comment carrying the marker written by someone else", async ({ connect }) => {
    const { fake, client } = await connect();
    const forged = { id: 10, body: `${MARKER}\nI am the bot, honest`, user: { login: "mallory" } };
    const ownUnmarked = { id: 11, body: "an ordinary comment", user: { login: "trackdown-bot" } };
    fake.comments.set(3, [forged, ownUnmarked]);

    const result = await client.upsertStickyComment({
      ...repo,
      issueNumber: 3,
      marker: MARKER,
      body: "report",
    });

    expect(result.action).toBe("created");
    expect(calls(fake).filter((c) => !c.startsWith("GET"))).toEqual([
      "POST /repos/acme/plan/issues/3/comments",
    ]);
    expect(fake.comments.get(3)?.slice(0, 2)).toEqual([
      { id: 10, body: `${MARKER}\nI am the bot, honest`, user: { login: "mallory" } },
      { id: 11, body: "an ordinary comment", user: { login: "trackdown-bot" } },
    ]);
  });

  it("updates the newest of several own marked comments and leaves the others", async ({
    connect,
  }) => {
    const { fake, client } = await connect();
    fake.comments.set(4, [
      { id: 20, body: `${MARKER}\nold`, user: { login: "trackdown-bot" } },
      { id: 25, body: `${MARKER}\nolder bug`, user: { login: "trackdown-bot" } },
      { id: 30, body: "chat", user: { login: "alice" } },
    ]);

    const result = await client.upsertStickyComment({
      ...repo,
      issueNumber: 4,
      marker: MARKER,
      body: "new",
    });

    expect(result).toMatchObject({ action: "updated", id: 25 });
    expect(fake.comments.get(4)?.map((c) => c.body)).toEqual([
      `${MARKER}\nold`,
      `${MARKER}\nnew`,
      "chat",
    ]);
  });

  it("pages through 250 comments, 100 at a time, to find its own on the third page", async ({
    connect,
  }) => {
    const { fake, client } = await connect();
    const comments = Array.from({ length: 250 }, (_, i) => ({
      id: i + 1,
      body: `comment ${i + 1}`,
      user: { login: "alice" },
    }));
    comments[240] = { id: 241, body: `${MARKER}\nbefore`, user: { login: "trackdown-bot" } };
    fake.comments.set(9, comments);

    const result = await client.upsertStickyComment({
      ...repo,
      issueNumber: 9,
      marker: MARKER,
      body: "after",
    });

    expect(result).toMatchObject({ action: "updated", id: 241 });
    const pages = fake.requests.filter((r) => r.path === "/repos/acme/plan/issues/9/comments");
    expect(pages.map((r) => r.query)).toEqual([
      { per_page: "100" },
      { per_page: "100", page: "2" },
      { per_page: "100", page: "3" },
    ]);
    expect(calls(fake).at(-1)).toBe("PATCH /repos/acme/plan/issues/comments/241");
  });

  it("retries a POST refused by a secondary rate limit and says so", async ({ connect }) => {
    const { fake, client, logs } = await connect();
    fake.failNext("POST", /\/issues\/5\/comments$/, 1, "secondary");

    const started = Date.now();
    const result = await client.upsertStickyComment({
      ...repo,
      issueNumber: 5,
      marker: MARKER,
      body: "x",
    });

    expect(result.action).toBe("created");
    expect(calls(fake).filter((c) => c.startsWith("POST"))).toEqual([
      "POST /repos/acme/plan/issues/5/comments",
      "POST /repos/acme/plan/issues/5/comments",
    ]);
    expect(fake.comments.get(5)).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // retry-after: 1
    expect(logs).toEqual([
      "GitHub secondary rate limit on POST /repos/acme/plan/issues/5/comments: retry 1 of 2 in 1 s",
    ]);
  });

  it("after a 500 on the POST, looks again before posting, so no second comment appears", async ({
    connect,
  }) => {
    const { fake, client, logs } = await connect();
    fake.failNext("POST", /\/issues\/6\/comments$/, 1, "server-error");

    const result = await client.upsertStickyComment({
      ...repo,
      issueNumber: 6,
      marker: MARKER,
      body: "x",
    });

    expect(result.action).toBe("created");
    expect(calls(fake)).toEqual([
      "GET /user",
      "GET /repos/acme/plan/issues/6/comments",
      "POST /repos/acme/plan/issues/6/comments",
      "GET /repos/acme/plan/issues/6/comments",
      "POST /repos/acme/plan/issues/6/comments",
    ]);
    expect(fake.comments.get(6)).toHaveLength(1);
    expect(logs).toEqual([
      "GitHub answered 500 to POST /repos/acme/plan/issues/6/comments: not retried",
      "GitHub answered 500 to a create; checking whether it was made before trying again",
    ]);
  });
});

describe.concurrent("botLogin", () => {
  it("is github-actions[bot] when GET /user answers 403 (installation token), asked once", async ({
    connect,
  }) => {
    const { fake, client } = await connect({ login: null });

    expect(await client.botLogin()).toBe("github-actions[bot]");
    expect(await client.botLogin()).toBe("github-actions[bot]");
    expect(calls(fake)).toEqual(["GET /user"]);

    // and the bot then finds the comment it wrote under that name
    const first = await client.upsertStickyComment({
      ...repo,
      issueNumber: 1,
      marker: MARKER,
      body: "a",
    });
    const second = await client.upsertStickyComment({
      ...repo,
      issueNumber: 1,
      marker: MARKER,
      body: "b",
    });
    expect(second).toEqual({ ...first, action: "updated" });
    expect(fake.comments.get(1)?.[0]?.user.login).toBe("github-actions[bot]");
  });

  it("is the token owner's login otherwise", async ({ connect }) => {
    const { client } = await connect({ login: "Release-Bot" });
    expect(await client.botLogin()).toBe("Release-Bot");
  });
});

describe.concurrent("pull requests", () => {
  it("lists 230 changed files over 3 pages of 100", async ({ connect }) => {
    const { fake, client } = await connect();
    const files = Array.from({ length: 230 }, (_, i) => `tracker/tasks/T-${i + 1}.md`);
    fake.pullFiles.set(12, files);

    expect(await client.pullRequestFiles({ ...repo, number: 12 })).toEqual(files);
    expect(calls(fake)).toEqual(Array(3).fill("GET /repos/acme/plan/pulls/12/files"));
    expect(fake.requests.map((r) => r.query.page ?? "1")).toEqual(["1", "2", "3"]);
    expect(fake.requests.every((r) => r.query.per_page === "100")).toBe(true);
  });

  it("retries a 500 and says so", async ({ connect }) => {
    const { fake, client, logs } = await connect();
    fake.pullFiles.set(2, ["a.md"]);
    fake.failNext("GET", /\/pulls\/2\/files$/, 1, "server-error");

    expect(await client.pullRequestFiles({ ...repo, number: 2 })).toEqual(["a.md"]);
    expect(calls(fake)).toEqual(Array(2).fill("GET /repos/acme/plan/pulls/2/files"));
    expect(logs).toEqual([
      "GitHub answered 500 to GET /repos/acme/plan/pulls/2/files: retry 1 of 3 in 1 s",
    ]);
  });

  it("retries after a primary rate limit", async ({ connect }) => {
    const { fake, client, logs } = await connect();
    fake.pullFiles.set(2, ["a.md"]);
    fake.failNext("GET", /\/pulls\/2\/files$/, 1, "primary");

    expect(await client.pullRequestFiles({ ...repo, number: 2 })).toEqual(["a.md"]);
    expect(calls(fake)).toHaveLength(2);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /^GitHub rate limit on GET \/repos\/acme\/plan\/pulls\/2\/files: retry 1 of 2 in [12] s$/,
    );
  });

  it("gives up after two secondary-limit retries with an error that names the request", async ({
    connect,
  }) => {
    const { fake, client, logs } = await connect();
    fake.pullFiles.set(2, ["a.md"]);
    fake.failNext("GET", /\/pulls\/2\/files$/, 3, "secondary");

    const error = await failure(client.pullRequestFiles({ ...repo, number: 2 }));

    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({
      status: 403,
      method: "GET",
      path: "/repos/acme/plan/pulls/2/files?per_page=100",
    });
    expect(String(error)).toMatch(/secondary rate limit/);
    expect(calls(fake)).toHaveLength(3);
    expect(logs.at(-1)).toBe(
      "GitHub secondary rate limit on GET /repos/acme/plan/pulls/2/files: giving up after 2 retries",
    );
  });

  it("lists the pull requests of a commit, merged ones first", async ({ connect }) => {
    const { fake, client } = await connect();
    const pull = (number: number, merged_at: string | null) => ({
      number,
      title: `PR ${number}`,
      user: { login: `dev${number}` },
      merged_at,
      html_url: `https://github.com/acme/plan/pull/${number}`,
    });
    fake.commitPulls.set("abc123", [pull(3, null), pull(4, "2026-03-01T10:00:00Z"), pull(5, null)]);

    expect(await client.pullRequestsForCommit({ ...repo, sha: "abc123" })).toEqual([
      {
        number: 4,
        title: "PR 4",
        author: "dev4",
        merged: true,
        url: "https://github.com/acme/plan/pull/4",
      },
      {
        number: 3,
        title: "PR 3",
        author: "dev3",
        merged: false,
        url: "https://github.com/acme/plan/pull/3",
      },
      {
        number: 5,
        title: "PR 5",
        author: "dev5",
        merged: false,
        url: "https://github.com/acme/plan/pull/5",
      },
    ]);
    expect(await client.pullRequestsForCommit({ ...repo, sha: "fff000" })).toEqual([]);
  });
});

describe.concurrent("upsertIssue", () => {
  it("creates with the label, updates in place, leaves alone, and reopens when closed", async ({
    connect,
  }) => {
    const { fake, client } = await connect();
    const period = { ...repo, title: "Digest 2026-W10", label: "trackdown-digest" };
    // look-alikes that must not be taken
    fake.issues.push(
      {
        number: 1,
        title: period.title,
        body: "",
        state: "open",
        labels: [period.label],
        user: { login: "mallory" },
      },
      {
        number: 2,
        title: period.title,
        body: "",
        state: "open",
        labels: [],
        user: { login: "trackdown-bot" },
      },
      {
        number: 3,
        title: "Digest 2026-W09",
        body: "",
        state: "closed",
        labels: [period.label],
        user: { login: "trackdown-bot" },
      },
    );

    const created = await client.upsertIssue({ ...period, body: "2 overdue" });
    expect(created).toEqual({
      action: "created",
      number: 4,
      url: "https://github.com/acme/plan/issues/4",
    });
    const list = fake.requests.find(
      (r) => r.method === "GET" && r.path === "/repos/acme/plan/issues",
    );
    expect(list?.query).toEqual({ labels: "trackdown-digest", state: "all", per_page: "100" });
    expect(fake.requests.at(-1)?.body).toEqual({
      title: period.title,
      body: "2 overdue",
      labels: [period.label],
    });

    let from = fake.requests.length;
    expect(await client.upsertIssue({ ...period, body: "3 overdue" })).toEqual({
      ...created,
      action: "updated",
    });
    expect(calls(fake, from)).toEqual([
      "GET /repos/acme/plan/issues",
      "PATCH /repos/acme/plan/issues/4",
    ]);
    expect(fake.requests.at(-1)?.body).toEqual({ body: "3 overdue" });

    from = fake.requests.length;
    expect(await client.upsertIssue({ ...period, body: "3 overdue" })).toEqual({
      ...created,
      action: "unchanged",
    });
    expect(calls(fake, from)).toEqual(["GET /repos/acme/plan/issues"]);

    fake.issues.find((i) => i.number === 4)!.state = "closed";
    from = fake.requests.length;
    expect(await client.upsertIssue({ ...period, body: "3 overdue" })).toEqual({
      ...created,
      action: "updated",
    });
    expect(calls(fake, from)).toEqual([
      "GET /repos/acme/plan/issues",
      "PATCH /repos/acme/plan/issues/4",
    ]);
    expect(fake.requests.at(-1)?.body).toEqual({ body: "3 overdue", state: "open" });

    expect(fake.issues.map((i) => [i.number, i.state, i.body])).toEqual([
      [1, "open", ""],
      [2, "open", ""],
      [3, "closed", ""],
      [4, "open", "3 overdue"],
    ]);
  });
});

describe.concurrent("secrets", () => {
  it("keeps the token out of errors, even when the answer quotes it", async ({ connect }) => {
    const { fake, token, client, logs } = await connect(undefined, {
      // a misbehaving proxy that echoes the credentials back
      fetch: async (_url, init) => {
        const headers = new Headers(init?.headers);
        return new Response(
          JSON.stringify({ message: `Bad credentials: ${headers.get("authorization")}` }),
          { status: 400, headers: { "content-type": "application/json" } },
        );
      },
    });

    const error = await failure(client.createComment({ ...repo, issueNumber: 1, body: "hi" }));

    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({
      status: 400,
      method: "POST",
      path: "/repos/acme/plan/issues/1/comments",
    });
    expect((error as Error).message).toBe(
      "GitHub API POST /repos/acme/plan/issues/1/comments failed (400): Bad credentials: token [REDACTED]",
    );
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String((error as Error).stack)).not.toContain(token);
    expect(fake.requests).toEqual([]);
    expect(logs).toEqual([]);
  });

  it("keeps the token out of a 404's error", async ({ connect }) => {
    const { token, client } = await connect();
    const error = await failure(client.pullRequestFiles({ ...repo, number: 404 }));
    expect(error).toMatchObject({ status: 404, message: expect.stringContaining("Not Found") });
    expect(String((error as Error).stack)).not.toContain(token);
  });

  it("refuses an empty token", () => {
    expect(() => gitHubClient({ token: "" })).toThrow(/needs a token/);
  });
});

describe.concurrent("the fake GitHub", () => {
  it("answers 401 without credentials, 404 JSON to unknown routes, and closes", async () => {
    const fake = await startFakeGitHub();
    const anonymous = await fetch(`${fake.url}/user`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: "Requires authentication" });

    const unknown = await fetch(`${fake.url}/repos/acme/plan/nothing`, {
      headers: { authorization: "token x" },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: "Not Found" });

    await fake.close();
    await expect(fetch(`${fake.url}/user`)).rejects.toThrow();
  });
});
