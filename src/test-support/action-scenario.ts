import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, onTestFinished } from "vitest";
import type { ActionRun } from "./action.js";
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "./fake-github.js";
import { commitAll, git } from "./git.js";
import { ACME } from "./temp.js";

/**
 * What the Action's end-to-end tests build: a git repository holding the example tracker
 * the way a team's repository would (tracker/ inside the checkout), the event payloads
 * GitHub sends, a webhook receiver that checks signatures, and the check that a secret
 * went nowhere but where it belongs.
 */

/** The repository the tests pretend to be (GITHUB_REPOSITORY). */
export const REPOSITORY = "acme/plan";

/** A token that is easy to spot wherever it leaks: `ghs_` like an installation token. */
export function recognisableToken(): string {
  return `ghs_TrackdownTestToken${randomBytes(9).toString("hex")}`;
}

/** A checkout with examples/acme in tracker/, one commit on main; lives until `remove()`. */
export interface TrackerRepository {
  /** The checkout (GITHUB_WORKSPACE). */
  readonly dir: string;
  /** dir/tracker. */
  readonly tracker: string;
  /** The first commit on main. */
  readonly base: string;
  /**
   * A branch from `from` (default: the base commit) with one commit made by `change`,
   * which edits the tracker folder; returns the commit. The checkout is back on main after.
   */
  branch(name: string, change: (tracker: string) => void, options?: CommitOptions): string;
  remove(): void;
}

export interface CommitOptions {
  /** Where the branch starts (a commit or a branch); default the base commit. */
  readonly from?: string;
  /** Commit date, ISO 8601 with an offset. */
  readonly date?: string;
  readonly message?: string;
}

/**
 * Makes the repository in a folder of its own, which `remove()` deletes (the folders of
 * temp.ts are removed after every test; this one is shared by a describe's tests).
 */
export function acmeRepository(
  options: { date?: string; change?: (tracker: string) => void } = {},
): TrackerRepository {
  const dir = mkdtempSync(join(tmpdir(), "trackdown-action-repo-"));
  const tracker = join(dir, "tracker");
  git(dir, ["init", "-q", "-b", "main"]);
  cpSync(ACME, tracker, { recursive: true, filter: (src) => !src.includes(".trackdown") });
  options.change?.(tracker);
  const base = commitAll(dir, "The plan", options.date ?? "2026-11-16T09:00:00+01:00");
  return {
    dir,
    tracker,
    base,
    branch(name, change, commit = {}) {
      git(dir, ["checkout", "-q", "-B", name, commit.from ?? base]);
      change(tracker);
      const sha = commitAll(
        dir,
        commit.message ?? name,
        commit.date ?? "2026-11-20T10:00:00+01:00",
      );
      git(dir, ["checkout", "-q", "main"]);
      return sha;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The pull_request event's payload, with the fields the Action reads and a few around them. */
export function pullRequestEvent(pr: {
  number: number;
  author: string;
  base: string;
  head: string;
  /** The repository the head branch lives in; another one makes it a fork's pull request. */
  headRepository?: string;
}): unknown {
  const headRepository = pr.headRepository ?? REPOSITORY;
  return {
    action: "synchronize",
    number: pr.number,
    pull_request: {
      number: pr.number,
      title: "Plan changes",
      state: "open",
      user: { login: pr.author, type: "User" },
      base: { ref: "main", sha: pr.base, repo: { full_name: REPOSITORY, fork: false } },
      head: {
        ref: "plan-changes",
        sha: pr.head,
        repo: { full_name: headRepository, fork: headRepository !== REPOSITORY },
      },
    },
    repository: { full_name: REPOSITORY },
    sender: { login: pr.author },
  };
}

/** A push to main's payload. */
export function pushEvent(before: string, after: string): unknown {
  return {
    ref: "refs/heads/main",
    before,
    after,
    forced: false,
    repository: { full_name: REPOSITORY, default_branch: "main" },
    head_commit: { id: after },
  };
}

/**
 * Checks that `secret` appears nowhere a person or another service could see it: not in
 * stdout (except the runner's `::add-mask::` command, which is how it learns to mask it),
 * stderr, the outputs, the job summary, the annotations, the check's report, and not in any
 * request to the fake GitHub except, for a token, the Authorization header.
 */
export function expectSecretKept(
  secret: string,
  run: ActionRun,
  fake?: FakeGitHub,
  options: { isToken?: boolean } = {},
): void {
  const printed = run.stdout
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  expect(printed).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
  expect(JSON.stringify(run.outputs)).not.toContain(secret);
  expect(run.summary).not.toContain(secret);
  expect(JSON.stringify(run.annotations)).not.toContain(secret);
  // the check's report is uploaded as an artifact, which anyone who can read the repository can download
  const report = run.outputs.report;
  if (report !== undefined && existsSync(report)) {
    expect(readFileSync(report, "utf8")).not.toContain(secret);
  }
  for (const request of fake?.requests ?? []) {
    const { authorization, ...headers } = request.headers;
    if (options.isToken === true) expect(authorization).toBe(`token ${secret}`);
    expect(JSON.stringify({ ...request, headers })).not.toContain(secret);
  }
}

/** "METHOD /path?query" of the requests the fake received, in order. */
export function requestsTo(fake: FakeGitHub): string[] {
  return fake.requests.map((r) => {
    const query = new URLSearchParams(r.query).toString();
    return `${r.method} ${r.path}${query === "" ? "" : `?${query}`}`;
  });
}

/** One delivery as the receiver saw it. */
export interface Delivery {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  readonly body: Buffer;
  /** Whether X-Trackdown-Signature-256 is the HMAC-SHA256 of the body with the secret. */
  readonly verified: boolean;
}

/** How the receiver answers its n-th delivery (0-based). */
export type ReceiverAnswer = (index: number) => {
  status: number;
  headers?: Record<string, string>;
  body?: string;
};

export interface WebhookReceiver {
  /** The receiver's URL, with a secret-looking path and query as Slack's and others' have. */
  readonly url: string;
  /** The secret-bearing part of the URL (path and query), which must never be printed. */
  readonly secretPath: string;
  /** That path, its random segment and its query's key: none may be printed. */
  readonly secrets: readonly string[];
  readonly deliveries: Delivery[];
  close(): Promise<void>;
}

/** Verifies a signature as a receiver should: HMAC of the raw bytes, compared in constant time. */
export function signatureMatches(
  header: string | string[] | undefined,
  body: Buffer,
  secret: string,
): boolean {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A webhook receiver on 127.0.0.1 that records every delivery and checks its signature. */
export async function startWebhookReceiver(
  secret: string,
  answer: ReceiverAnswer = () => ({ status: 200 }),
): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      deliveries.push({
        path: request.url ?? "",
        headers: request.headers,
        body,
        verified: signatureMatches(request.headers["x-trackdown-signature-256"], body, secret),
      });
      const reply = answer(deliveries.length - 1);
      response.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
      response.end(reply.body ?? "");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const segment = randomBytes(12).toString("hex");
  const key = `k${randomBytes(6).toString("hex")}`;
  const secretPath = `/hooks/T0ACME/B0PLAN/${segment}?key=${key}`;
  return {
    url: `http://127.0.0.1:${port}${secretPath}`,
    secretPath,
    secrets: [secretPath, segment, key],
    deliveries,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** The live @-mentions in Markdown: an "@" followed by a login, not by the word joiner that defuses it. */
export function liveMentions(markdown: string): string[] {
  return [...markdown.matchAll(/(?<![\w`])@([A-Za-z0-9][A-Za-z0-9-]*)/g)].map((m) => m[1]!);
}

/** A fake GitHub for the current test, closed when the test ends. */
export async function fakeGitHubForTest(options?: FakeGitHubOptions): Promise<FakeGitHub> {
  const fake = await startFakeGitHub(options);
  onTestFinished(() => fake.close());
  return fake;
}
