import { createHmac, randomUUID } from "node:crypto";

/** How a webhook's body is shaped: Slack's incoming-webhook message, or Trackdown's own JSON event. */
export type WebhookFormat = "slack" | "json";

/** "slack" when the URL's host is hooks.slack.com (or ends in .slack.com), else "json". */
export function webhookFormatFor(url: string): WebhookFormat {
  const parsed = parseUrl(url);
  if (!parsed) return "json";
  const host = parsed.hostname.toLowerCase();
  return host === "hooks.slack.com" || host.endsWith(".slack.com") ? "slack" : "json";
}

/** One webhook to send, and how hard to try. */
export interface WebhookDelivery {
  /** The receiver's http(s) URL. Treated as a secret: only its scheme and host are ever printed. */
  url: string;
  /** The JSON body to send (already shaped for its format). */
  body: unknown;
  /** Event name, sent as X-Trackdown-Event (e.g. "plan.changed", "digest"). */
  event: string;
  /**
   * When given (and not empty), the body is signed: X-Trackdown-Signature-256:
   * sha256=<hex HMAC-SHA256 of the exact body bytes>, the scheme of GitHub's
   * X-Hub-Signature-256. An empty string counts as no secret, as an unset Action input reads "".
   */
  secret?: string;
  /** The fetch to use; globalThis.fetch by default. */
  fetch?: typeof globalThis.fetch;
  /** Attempts in all, default 4. */
  attempts?: number;
  /**
   * First backoff in milliseconds, doubling each time (default 1000), plus up to half again
   * of random jitter. A Retry-After header (seconds or HTTP date) wins. Every wait is capped at 30 s.
   */
  backoffMs?: number;
  /** Per-attempt timeout in milliseconds, covering the answer's headers and body; default 10 000. */
  timeoutMs?: number;
  /** Receives one line per failed attempt that will be retried. */
  log?: (message: string) => void;
}

/** A delivery the receiver accepted (a 2xx answer). */
export interface DeliveryResult {
  /** The receiver's HTTP status. */
  status: number;
  /** Attempts made, the successful one included. */
  attempts: number;
  /** The X-Trackdown-Delivery id, the same on every attempt. */
  deliveryId: string;
}

/** A delivery that failed for good. Its message never carries the secret or the URL's path or query. */
export class WebhookError extends Error {
  override readonly name = "WebhookError";
  /** The last HTTP status received, when the last attempt got an answer. */
  readonly status?: number;
  /** Attempts made; 0 when the delivery could not start (an invalid URL or body). */
  readonly attempts: number;
  /** The last network error code (e.g. "ECONNREFUSED", "ETIMEDOUT") when the last attempt got no answer. */
  readonly code?: string;
  /** The X-Trackdown-Delivery id the attempts carried, when any were made. */
  readonly deliveryId?: string;

  constructor(
    message: string,
    details: { attempts: number; status?: number; code?: string; deliveryId?: string },
  ) {
    super(message);
    this.attempts = details.attempts;
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
    if (details.deliveryId !== undefined) this.deliveryId = details.deliveryId;
  }
}

/** The URL safe to print: scheme + host only ("https://hooks.slack.com/…"): webhook URLs carry secrets in their paths and queries. */
export function redactUrl(url: string): string {
  const parsed = parseUrl(url);
  // `host` leaves out any user:password@ as well as the path, query and fragment.
  return parsed ? `${parsed.protocol}//${parsed.host}/…` : "(an invalid URL)";
}

/** Slack mrkdwn escaping of text from files: &, <, > as entities (which also defuses <!channel>, <@U123>, <http://x|y> links). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const DEFAULT_ATTEMPTS = 4;
const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_WAIT_MS = 30_000;
/** How much of a receiver's answer a message may quote. */
const MAX_QUOTED_CHARS = 200;
/** How much of a failed answer's body is read: at least 1024 characters of UTF-8, to quote 200. */
const READ_BYTES = 4096;

/** The outcome of one attempt, as far as retrying and reporting need it. */
type Attempt =
  | { kind: "answered"; status: number; retryAfter: string | null; quote: string }
  | { kind: "no-answer"; code: string; description: string };

/** POSTs JSON with Content-Type application/json, User-Agent trackdown-action, X-Trackdown-Delivery (a random UUID, the same on every retry), X-Trackdown-Event. Retries on network errors, timeouts, 408, 429 and 5xx; not on other 4xx. Throws WebhookError after the last attempt or on a non-retryable status. */
export async function deliverWebhook(d: WebhookDelivery): Promise<DeliveryResult> {
  const url = parseUrl(d.url);
  if (!url) {
    throw new WebhookError("The webhook URL is not a valid URL; check the webhook URL setting.", {
      attempts: 0,
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WebhookError(
      `The webhook URL must start with https:// (or http://), not ${url.protocol}; check the webhook URL setting.`,
      { attempts: 0 },
    );
  }
  const where = redactUrl(d.url);
  // fetch would reject a header value with control or non-ASCII characters as if the network had failed.
  if (!/^[\x21-\x7e]+$/.test(d.event)) {
    throw new WebhookError(
      `The event name for the webhook at ${where} must be printable ASCII without spaces, not ${JSON.stringify(d.event)}.`,
      { attempts: 0 },
    );
  }
  const bytes = serialise(d.body);
  if (!bytes) {
    throw new WebhookError(
      `The body for the webhook at ${where} cannot be written as JSON (event ${JSON.stringify(d.event)}).`,
      { attempts: 0 },
    );
  }

  const doFetch = d.fetch ?? globalThis.fetch;
  const maxAttempts = positiveInteger(d.attempts, DEFAULT_ATTEMPTS);
  const backoffMs = nonNegative(d.backoffMs, DEFAULT_BACKOFF_MS);
  const timeoutMs = positiveInteger(d.timeoutMs, DEFAULT_TIMEOUT_MS);
  const secret = d.secret ? d.secret : undefined;
  const deliveryId = randomUUID();
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "trackdown-action",
    "X-Trackdown-Delivery": deliveryId,
    "X-Trackdown-Event": d.event,
  };
  if (secret) {
    headers["X-Trackdown-Signature-256"] =
      `sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`;
  }
  const scrub = (text: string) => scrubSecrets(text, url, secret);

  let attempt = 0;
  for (;;) {
    attempt++;
    const outcome = await attemptDelivery(doFetch, url.href, headers, bytes, timeoutMs, scrub);
    if (outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300) {
      return { status: outcome.status, attempts: attempt, deliveryId };
    }
    const what = describe(outcome);
    const details =
      outcome.kind === "answered"
        ? { attempts: attempt, status: outcome.status, deliveryId }
        : { attempts: attempt, code: outcome.code, deliveryId };
    const tries = `${attempt} attempt${attempt === 1 ? "" : "s"}`;

    if (outcome.kind === "answered" && !isRetryableStatus(outcome.status)) {
      const why =
        outcome.status >= 300 && outcome.status < 400
          ? "redirects are not followed; use the address it redirects to"
          : "not retried, as only 408, 429 and 5xx are; check the URL and the secret";
      throw new WebhookError(
        `The webhook at ${where} failed after ${tries}: ${what} (${why}).`,
        details,
      );
    }
    if (attempt >= maxAttempts) {
      throw new WebhookError(`The webhook at ${where} failed after ${tries}: ${what}.`, details);
    }
    const waitMs = nextWaitMs(attempt, backoffMs, outcome);
    d.log?.(
      `The webhook at ${where} failed (attempt ${attempt} of ${maxAttempts}): ${what}; retrying in ${formatSeconds(waitMs)}.`,
    );
    await sleep(waitMs);
  }
}

async function attemptDelivery(
  doFetch: typeof globalThis.fetch,
  href: string,
  headers: Record<string, string>,
  bytes: Uint8Array,
  timeoutMs: number,
  scrub: (text: string) => string,
): Promise<Attempt> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // Redirects are not followed: a POST turned into a GET, or a signed body sent to
    // another host, is not a delivery. GitHub's own webhooks do not follow them either.
    const response = await doFetch(href, {
      method: "POST",
      headers,
      body: bytes,
      redirect: "manual",
      signal,
    });
    const ok = response.status >= 200 && response.status < 300;
    const quote = ok ? "" : quoteOf(await readStart(response), scrub);
    if (ok) await response.body?.cancel().catch(() => {});
    return {
      kind: "answered",
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      quote,
    };
  } catch (error) {
    // Only the error's code travels on: messages and causes of fetch errors can name the URL.
    if (signal.aborted || isAbort(error)) {
      return {
        kind: "no-answer",
        code: "ETIMEDOUT",
        description: `no answer within ${formatSeconds(timeoutMs)}`,
      };
    }
    const code = errorCode(error) ?? "ENETWORK";
    return { kind: "no-answer", code, description: `a network error (${code})` };
  }
}

function describe(outcome: Attempt): string {
  if (outcome.kind === "no-answer") return outcome.description;
  return outcome.quote
    ? `HTTP ${outcome.status}, answering ${JSON.stringify(outcome.quote)}`
    : `HTTP ${outcome.status}`;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status < 600);
}

/** The wait before the next attempt: the receiver's Retry-After if it gave a usable one, else backoff with jitter. */
function nextWaitMs(attempt: number, backoffMs: number, outcome: Attempt): number {
  const asked = outcome.kind === "answered" ? retryAfterMs(outcome.retryAfter) : undefined;
  if (asked !== undefined) return Math.min(asked, MAX_WAIT_MS);
  const base = backoffMs * 2 ** (attempt - 1);
  // Jitter only adds, so `backoffMs` is a floor callers and receivers can count on.
  return Math.min(base * (1 + Math.random() / 2), MAX_WAIT_MS);
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The start of an answer's body, as raw text; the rest is never read. */
async function readStart(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < READ_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short (by the timeout, say) still has a usable start.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * What a message may quote of an answer: secrets scrubbed first, then the first 200
 * characters, on one line. Scrubbing before cutting means a cut cannot leave half a
 * secret unrecognised; READ_BYTES is far beyond 200 characters, so neither can the read.
 */
function quoteOf(raw: string, scrub: (text: string) => string): string {
  // Control and bidi characters (terminal escapes among them) must not reach a log.
  const safe = scrub(raw).replace(/[\p{Cc}\p{Cf}\s]/gu, " ");
  const cut = safe.length > MAX_QUOTED_CHARS;
  const start = safe
    .slice(0, cut ? MAX_QUOTED_CHARS - 1 : MAX_QUOTED_CHARS)
    .replace(/[\uD800-\uDBFF]$/, "");
  const quote = start.replace(/ {2,}/g, " ").trim();
  return cut && quote ? `${quote}…` : quote;
}

/** Removes the secret and the URL's secret-bearing parts from text a receiver sent (a 404 page may echo the path). */
function scrubSecrets(text: string, url: URL, secret: string | undefined): string {
  const hidden = [url.href, `${url.pathname}${url.search}`, url.search.slice(1), url.pathname];
  // A Slack-style token is one path segment; short ones ("services", "v1") are kept for context.
  for (const segment of url.pathname.split("/")) if (segment.length >= 12) hidden.push(segment);
  if (url.password) hidden.push(url.password);
  if (secret) hidden.push(secret);
  let scrubbed = text;
  for (const part of hidden.filter((p) => p.length > 1).sort((a, b) => b.length - a.length)) {
    scrubbed = scrubbed.split(part).join("…");
  }
  return scrubbed;
}

function serialise(body: unknown): Uint8Array | undefined {
  try {
    const json = JSON.stringify(body);
    // JSON.stringify writes lone surrogates as escapes, so these bytes are exactly what is signed and sent.
    return json === undefined ? undefined : new TextEncoder().encode(json);
  } catch {
    return undefined; // cycles, BigInt
  }
}

function errorCode(error: unknown): string | undefined {
  // Node's fetch throws TypeError("fetch failed") with the system error as its cause.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
