import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  deliverWebhook,
  redactUrl,
  slackEscape,
  WebhookError,
  webhookFormatFor,
} from "./webhook.js";

/** One request as the receiver saw it. */
interface Received {
  headers: IncomingHttpHeaders;
  /** The raw body bytes, as signed. */
  body: Buffer;
  /** performance.now() when the body had arrived, in milliseconds. */
  at: number;
  /** Whether the signature matched the receiver's secret; undefined when it has none. */
  verified: boolean | undefined;
}

/** How the receiver answers its `index`-th request (0-based); "hang" never answers. */
type Answer = (
  index: number,
  request: Received,
) => { status: number; headers?: Record<string, string>; body?: string } | "hang";

interface Receiver {
  /** Origin of the receiver, e.g. http://127.0.0.1:54321. */
  origin: string;
  requests: Received[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Verifies X-Trackdown-Signature-256 the way a receiver should: HMAC of the raw bytes, constant-time compare. */
function signatureMatches(header: string | string[] | undefined, body: Buffer, secret: string) {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A webhook receiver on 127.0.0.1; with a secret, it answers 401 to a delivery whose signature does not verify. */
async function startReceiver(answer: Answer, secret?: string): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const verified =
        secret === undefined
          ? undefined
          : signatureMatches(req.headers["x-trackdown-signature-256"], body, secret);
      const received: Received = { headers: req.headers, body, at: performance.now(), verified };
      requests.push(received);
      if (verified === false) {
        res.writeHead(401).end("signature mismatch");
        return;
      }
      const reply = answer(requests.length - 1, received);
      if (reply === "hang") return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? "");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, requests };
}

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The rejection of a delivery, which must be a WebhookError. */
async function failure(delivery: Promise<unknown>): Promise<WebhookError> {
  const error = await delivery.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookError);
  return error as WebhookError;
}

const ok: Answer = () => ({ status: 200, body: "ok" });
const SECRET = "s3cret-Value-42";
const PATH = "/services/T0001/B0002/XyZsecretTokenPart";
const body = { text: "WEB-1 moved to *done* — naïve café ✓", changes: [{ id: "WEB-1" }] };

describe("deliverWebhook", () => {
  it("sends a signed JSON delivery the receiver verifies", async () => {
    const receiver = await startReceiver(ok, SECRET);
    const result = await deliverWebhook({
      url: `${receiver.origin}${PATH}`,
      body,
      event: "plan.changed",
      secret: SECRET,
    });

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.verified).toBe(true);
    expect(request?.body.toString("utf8")).toBe(JSON.stringify(body));
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("trackdown-action");
    expect(request?.headers["x-trackdown-event"]).toBe("plan.changed");
    expect(request?.headers["x-trackdown-delivery"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(result).toEqual({
      status: 200,
      attempts: 1,
      deliveryId: request?.headers["x-trackdown-delivery"],
    });
  });

  it("signs with the wrong secret and the receiver refuses it, without a retry", async () => {
    const receiver = await startReceiver(ok, SECRET);
    const error = await failure(
      deliverWebhook({ url: receiver.origin, body, event: "digest", secret: "not-the-secret" }),
    );

    expect(receiver.requests.map((r) => r.verified)).toEqual([false]);
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(1);
    expect(error.message).not.toContain("not-the-secret");
  });

  it("sends no signature header without a secret, or with an empty one", async () => {
    const receiver = await startReceiver(ok);
    await deliverWebhook({ url: receiver.origin, body, event: "digest" });
    await deliverWebhook({ url: receiver.origin, body, event: "digest", secret: "" });

    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) {
      expect(request.headers).not.toHaveProperty("x-trackdown-signature-256");
    }
  });

  it("retries after 503 with doubling backoff and the same delivery id, then succeeds", async () => {
    const receiver = await startReceiver((i) => (i < 2 ? { status: 503 } : { status: 200 }));
    const logged: string[] = [];
    const started = performance.now();
    const result = await deliverWebhook({
      url: `${receiver.origin}${PATH}`,
      body,
      event: "plan.changed",
      secret: SECRET,
      backoffMs: 10,
      log: (line) => logged.push(line),
    });

    expect(result.attempts).toBe(3);
    expect(result.status).toBe(200);
    const ids = receiver.requests.map((r) => r.headers["x-trackdown-delivery"]);
    expect(ids).toEqual([result.deliveryId, result.deliveryId, result.deliveryId]);
    const [first, second, third] = receiver.requests.map((r) => r.at) as [number, number, number];
    // 10 ms then 20 ms at least (jitter only adds); timers may fire a hair early.
    expect(second - first).toBeGreaterThanOrEqual(9);
    expect(third - second).toBeGreaterThanOrEqual(19);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/failed \(attempt 1 of 4\): HTTP 503; retrying in \d+ ms\.$/);
  });

  it("gives up after the last attempt and says how often it tried and what it got", async () => {
    const receiver = await startReceiver(() => ({ status: 503 }));
    const error = await failure(
      deliverWebhook({ url: `${receiver.origin}${PATH}`, body, event: "digest", backoffMs: 1 }),
    );

    expect(receiver.requests).toHaveLength(4);
    expect(error.message).toBe(
      `The webhook at ${receiver.origin}/… failed after 4 attempts: HTTP 503.`,
    );
    expect(error).toMatchObject({ status: 503, attempts: 4 });
  });

  it("honours Retry-After over its own backoff, in seconds or as an HTTP date", async () => {
    const past = new Date(Date.now() - 5000).toUTCString();
    const receiver = await startReceiver((i) => {
      if (i === 0) return { status: 429, headers: { "Retry-After": "0" } };
      if (i === 1) return { status: 503, headers: { "Retry-After": past } };
      return { status: 200 };
    });
    const started = performance.now();
    const result = await deliverWebhook({
      url: receiver.origin,
      body,
      event: "digest",
      backoffMs: 5000,
    });

    expect(result.attempts).toBe(3);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("waits no longer than 30 s whatever Retry-After asks", async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const fetch = vi.fn<typeof globalThis.fetch>(async () =>
        ++calls === 1
          ? new Response(null, { status: 429, headers: { "Retry-After": "3600" } })
          : new Response(null, { status: 204 }),
      );
      const delivery = deliverWebhook({ url: "https://example.com/hook", body, event: "e", fetch });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(fetch).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(delivery).resolves.toMatchObject({ status: 204, attempts: 2 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not retry a 400, and quotes the receiver's answer", async () => {
    const receiver = await startReceiver(() => ({ status: 400, body: "invalid_payload" }));
    const error = await failure(
      deliverWebhook({ url: receiver.origin, body, event: "digest", backoffMs: 1 }),
    );

    expect(receiver.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(error.message).toContain(
      'failed after 1 attempt: HTTP 400, answering "invalid_payload"',
    );
    expect(error.message).toContain("not retried");
  });

  it("quotes at most 200 characters of an answer, with the URL's path and the secret scrubbed", async () => {
    const receiver = await startReceiver(() => ({
      status: 404,
      body: `Cannot POST ${PATH}?token=abc123 (${SECRET})\n\u001b[31m${"x".repeat(1000)}`,
    }));
    const error = await failure(
      deliverWebhook({
        url: `${receiver.origin}${PATH}?token=abc123`,
        body,
        event: "digest",
        secret: SECRET,
      }),
    );

    const quoted = /answering "(.*)" \(not retried/.exec(error.message)?.[1];
    // The escape character became a space; what follows it is inert text.
    expect(quoted).toMatch(/^Cannot POST … \(…\) \[31mx+…$/);
    expect(quoted?.length).toBeLessThanOrEqual(200);
    for (const leak of ["XyZsecretTokenPart", "token=abc123", SECRET, "\u001b"]) {
      expect(error.message).not.toContain(leak);
    }
  });

  it("does not follow redirects", async () => {
    const receiver = await startReceiver(() => ({
      status: 302,
      headers: { Location: "http://127.0.0.1:1/elsewhere" },
    }));
    const error = await failure(deliverWebhook({ url: receiver.origin, body, event: "digest" }));

    expect(receiver.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 302, attempts: 1 });
    expect(error.message).toContain("redirects are not followed");
  });

  it("retries a refused connection, then fails without printing the secret or the URL's path", async () => {
    const port = await closedPort();
    const logged: string[] = [];
    const error = await failure(
      deliverWebhook({
        url: `http://127.0.0.1:${port}${PATH}?token=abc123`,
        body,
        event: "plan.changed",
        secret: SECRET,
        attempts: 3,
        backoffMs: 10,
        log: (line) => logged.push(line),
      }),
    );

    expect(error).toMatchObject({ attempts: 3, code: "ECONNREFUSED", status: undefined });
    expect(error.message).toBe(
      `The webhook at http://127.0.0.1:${port}/… failed after 3 attempts: a network error (ECONNREFUSED).`,
    );
    expect(logged).toHaveLength(2);
    for (const text of [error.message, ...logged]) {
      for (const leak of [SECRET, "/services", "XyZsecretTokenPart", "token", "abc123"]) {
        expect(text).not.toContain(leak);
      }
    }
  });

  it("abandons an attempt the receiver does not answer in time, and retries", async () => {
    const receiver = await startReceiver((i) => (i === 0 ? "hang" : { status: 200 }));
    const logged: string[] = [];
    const result = await deliverWebhook({
      url: receiver.origin,
      body,
      event: "digest",
      timeoutMs: 100,
      backoffMs: 10,
      log: (line) => logged.push(line),
    });

    expect(result.attempts).toBe(2);
    expect(receiver.requests).toHaveLength(2);
    expect(logged[0]).toContain("no answer within 100 ms");
  });

  it("reports a receiver that never answers as timed out", async () => {
    const receiver = await startReceiver(() => "hang");
    const error = await failure(
      deliverWebhook({
        url: receiver.origin,
        body,
        event: "digest",
        attempts: 2,
        timeoutMs: 50,
        backoffMs: 1,
      }),
    );

    expect(error).toMatchObject({ attempts: 2, code: "ETIMEDOUT" });
    expect(error.message).toContain("failed after 2 attempts: no answer within 50 ms.");
  });

  it("refuses, before sending anything, an invalid URL, a non-http URL, a body that is not JSON or a bad event name", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases = [
      { url: "not a url/secret-path", body },
      { url: "ftp://example.com/secret-path", body },
      { url: "https://example.com/secret-path", body: cyclic },
      { url: "https://example.com/secret-path", body: 10n },
      { url: "https://example.com/secret-path", body: undefined },
      { url: "https://example.com/secret-path", body, event: "plan changed\r\nX-Evil: 1" },
    ];
    for (const { url, body: payload, event = "e" } of cases) {
      const error = await failure(deliverWebhook({ url, body: payload, event, fetch }));
      expect(error.attempts).toBe(0);
      expect(error.message).not.toContain("secret-path");
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("redactUrl", () => {
  it.each([
    ["https://hooks.slack.com/services/T0/B0/XXXX", "https://hooks.slack.com/…"],
    ["https://example.com:8443/hook?token=abc#frag", "https://example.com:8443/…"],
    ["https://user:pass@example.com/hook", "https://example.com/…"],
    ["http://127.0.0.1:3000", "http://127.0.0.1:3000/…"],
    ["not a url with secret", "(an invalid URL)"],
  ])("%s → %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe("slackEscape", () => {
  it.each([
    ["<!channel> ship it", "&lt;!channel&gt; ship it"],
    ["ping <@U1>", "ping &lt;@U1&gt;"],
    ["already &amp; escaped", "already &amp;amp; escaped"],
    ["<https://evil|click>", "&lt;https://evil|click&gt;"],
    ["plain *bold* text", "plain *bold* text"],
  ])("%s", (text, expected) => {
    expect(slackEscape(text)).toBe(expected);
  });
});

describe("webhookFormatFor", () => {
  it.each([
    ["https://hooks.slack.com/services/T0/B0/XXXX", "slack"],
    ["https://HOOKS.SLACK.COM/services/x", "slack"],
    ["https://acme.enterprise.slack.com/hook", "slack"],
    ["https://slack.com.evil.example/hook", "json"],
    ["https://notslack.com/hook", "json"],
    ["https://example.com/slack.com", "json"],
    ["not a url", "json"],
  ])("%s → %s", (url, expected) => {
    expect(webhookFormatFor(url)).toBe(expected);
  });
});
