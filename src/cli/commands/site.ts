import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { offerPreparedSite, type PreparedBody, type PrepareMessage } from "../../node/site-data.js";
import { VERSION } from "../../node/version.js";
import { CliError, type CliIO } from "../io.js";
import { resolveTrackerRoot } from "../tracker-path.js";

/**
 * `trackdown site build|dev|preview`: the Astro dashboard in site/, built from any tracker.
 * The site reads the tracker through the library (site/src/lib/data.ts); this command only
 * tells it where the tracker is, where the repository is on GitHub (for "Edit on GitHub"
 * links), and runs Astro.
 */

/** The site's Astro project, shipped beside dist/. */
export const SITE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "site");

export interface SiteOptions {
  readonly tracker?: string;
  readonly out?: string;
  readonly base?: string;
  readonly at?: string;
  readonly port?: string;
  /** Where the site will be published (https://owner.github.io), for absolute links in feeds. */
  readonly url?: string;
}

interface SiteContext {
  readonly site?: string;
  readonly root: string;
  readonly out: string;
  readonly base: string;
  readonly env: Record<string, string>;
}

/** The base path as Astro wants it: leading and trailing slash. */
export function normaliseBase(base: string | undefined): string {
  const trimmed = (base ?? "/").trim().replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "/";
  if (
    !/^[A-Za-z0-9._~\-/]+$/.test(trimmed) ||
    trimmed.split("/").some((p) => p === ".." || p === ".")
  ) {
    throw new CliError(`--base must be a URL path such as /my-repo/, not "${base}".`);
  }
  return `/${trimmed}/`;
}

/** Where a tracker's repository is on GitHub, from its origin remote (for edit links). */
function gitHubOf(root: string): { url?: string; path: string; branch: string } {
  const run = (args: string[]) => {
    try {
      return execFileSync("git", args, {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      return "";
    }
  };
  const top = run(["rev-parse", "--show-toplevel"]);
  const path = top === "" ? "" : relative(top, root).split(sep).join("/");
  const remote = run(["remote", "get-url", "origin"]);
  const match = /github\.com[:/]([^/\s]+)\/([^/\s]+?)(?:\.git)?$/.exec(remote);
  const branch = run(["rev-parse", "--abbrev-ref", "HEAD"]) || "main";
  return {
    ...(match !== null ? { url: `https://github.com/${match[1]}/${match[2]}` } : {}),
    path,
    branch: branch === "HEAD" ? "main" : branch,
  };
}

function contextOf(io: CliIO, options: SiteOptions): SiteContext {
  const root = resolveTrackerRoot(io, options.tracker);
  if (!existsSync(join(SITE_ROOT, "astro.config.mjs"))) {
    throw new CliError(`The site's sources are missing (${SITE_ROOT}); reinstall trackdown.`);
  }
  const out = resolve(io.cwd, options.out ?? "site-dist");
  const repo = gitHubOf(root);
  const env: Record<string, string> = {
    TRACKDOWN_SITE_TRACKER: root,
    TRACKDOWN_SITE_REPOSITORY_PATH: repo.path,
    TRACKDOWN_SITE_BRANCH: repo.branch,
    ASTRO_TELEMETRY_DISABLED: "1",
  };
  if (repo.url !== undefined) env.TRACKDOWN_SITE_REPOSITORY = repo.url;
  if (process.env.TRACKDOWN_SITE_REPOSITORY !== undefined)
    env.TRACKDOWN_SITE_REPOSITORY = process.env.TRACKDOWN_SITE_REPOSITORY;
  if (options.at !== undefined) env.TRACKDOWN_SITE_AT = options.at;
  // feeds need absolute links: the given URL, or GitHub Pages' for a GitHub repository
  const owner = repo.url === undefined ? undefined : /github\.com\/([^/]+)\//.exec(repo.url)?.[1];
  const site =
    options.url ?? (owner !== undefined ? `https://${owner.toLowerCase()}.github.io` : undefined);
  if (site !== undefined && !/^https?:\/\/[^\s/]+/.test(site)) {
    throw new CliError(
      `--url must be an http(s) address such as https://acme.github.io, not "${site}".`,
    );
  }
  return {
    root,
    out,
    base: normaliseBase(options.base),
    env,
    ...(site !== undefined ? { site } : {}),
  };
}

/**
 * Sets the environment the site reads. Vite fills `import.meta.env` from variables of
 * these names when they are set, so a BASE_URL or MODE in the caller's environment (a test
 * runner sets them) would silently change links: they are cleared for the build.
 */
function applyEnvironment(ctx: SiteContext): void {
  for (const name of ["BASE_URL", "MODE", "DEV", "PROD", "SSR", "SITE", "ASSETS_PREFIX"]) {
    delete process.env[name];
  }
  Object.assign(process.env, ctx.env);
}

/** Astro's settings for this run: the site folder, caches outside the package. */
function astroConfig(ctx: SiteContext) {
  return {
    root: SITE_ROOT,
    outDir: ctx.out,
    base: ctx.base,
    ...(ctx.site !== undefined ? { site: ctx.site } : {}),
    cacheDir: join(tmpdir(), "trackdown-astro-cache"),
    logLevel: "warn" as const,
    vite: {
      logLevel: "warn" as const,
      server: { fs: { allow: [SITE_ROOT, resolve(SITE_ROOT, "..")] } },
    },
  };
}

/** The port to serve on: 4321 by default, else a whole number from 1 to 65535. */
function portOf(text: string | undefined): number {
  const port = Number(text ?? "4321");
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new CliError(`--port must be a whole number from 1 to 65535, not "${text}".`);
  }
  return port;
}

/** A hash of the site's sources and Trackdown's version: pages built by other ones are stale. */
function sourcesHash(): string {
  const hash = createHash("sha256").update(VERSION);
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path.slice(SITE_ROOT.length)).update(readFileSync(path));
    }
  };
  walk(join(SITE_ROOT, "src"));
  hash.update(readFileSync(join(SITE_ROOT, "astro.config.mjs")));
  return hash.digest("base64url").slice(0, 22);
}

const MANIFEST_FILE = "trackdown-site.json";

/**
 * Reads the tracker and its history and renders the task bodies on a worker thread while
 * Astro bundles the site on this one (the pages need the data only once bundling is done);
 * the site's data module picks the result up. A worker that fails costs nothing but time:
 * the data module then does the work itself, and meets any error on its own.
 */
function prepareBeside(ctx: SiteContext, at: string | undefined): { stop(): void } {
  const worker = new Worker(new URL("./site-worker.js", import.meta.url), {
    workerData: { root: ctx.root, base: ctx.base, ...(at !== undefined ? { at } : {}) },
  });
  let bodies: ReadonlyMap<string, PreparedBody> | undefined;
  let settle: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });
  worker.on("message", (message: PrepareMessage) => {
    if (message.kind === "ready") settle();
    else bodies = message.bodies;
  });
  worker.once("error", () => settle());
  worker.once("exit", () => settle());
  offerPreparedSite({
    base: ctx.base,
    ready,
    body(id, source) {
      const prepared = bodies?.get(id);
      return prepared !== undefined && prepared.source === source ? prepared.rendered : undefined;
    },
  });
  return {
    stop() {
      offerPreparedSite(undefined);
      void worker.terminate();
    },
  };
}

export async function runSiteBuild(
  io: CliIO,
  options: SiteOptions & { full?: boolean },
): Promise<number> {
  const ctx = contextOf(io, options);
  const started = performance.now();
  if (options.at !== undefined) {
    // a revision that does not exist is said plainly, before Astro starts
    const { commitAt, repositoryOf, workingTreeTimezone } = await import("../../node/git.js");
    try {
      await commitAt(await repositoryOf(ctx.root), options.at, workingTreeTimezone(ctx.root));
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
  }
  applyEnvironment(ctx);
  const { build } = await import("astro");
  process.env.TRACKDOWN_SITE_SOURCES = sourcesHash();
  // a previous build of this site: only the task pages whose content changed are rendered
  const previous = join(ctx.out, MANIFEST_FILE);
  const incremental = options.full !== true && existsSync(previous);
  if (incremental) process.env.TRACKDOWN_SITE_PREVIOUS = previous;
  else delete process.env.TRACKDOWN_SITE_PREVIOUS;
  const staging = `${ctx.out}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  // Astro renders pages from chunks it writes under its working folder, which must see the
  // site's node_modules: it builds in a folder of its own below the site (two builds at
  // once must not share one) and copies the result to the output folder
  const cwd = process.cwd();
  const work = join(SITE_ROOT, ".builds", `${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(work, { recursive: true });
  process.chdir(work);
  const preparing = prepareBeside(ctx, options.at);
  try {
    await build({ ...astroConfig(ctx), outDir: staging }, { teardownCompiler: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    preparing.stop();
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
  // what Astro leaves of its server build beside the pages (modules, never pages)
  for (const name of readdirSync(staging)) {
    if (name.endsWith(".mjs")) rmSync(join(staging, name), { force: true });
  }
  const manifest = JSON.parse(readFileSync(join(staging, MANIFEST_FILE), "utf8")) as {
    tasks: Record<string, string>;
  };
  const ids = Object.keys(manifest.tasks);
  const rendered = existsSync(join(staging, "tasks")) ? readdirSync(join(staging, "tasks")) : [];
  let summary: string;
  if (incremental && rendered.length < ids.length) {
    // merge: the new pages over the old output, task pages of deleted tasks and assets
    // of older builds removed
    const keep = new Set(ids);
    for (const id of existsSync(join(ctx.out, "tasks"))
      ? readdirSync(join(ctx.out, "tasks"))
      : []) {
      if (!keep.has(id)) rmSync(join(ctx.out, "tasks", id), { recursive: true, force: true });
    }
    const assets = new Set(
      existsSync(join(staging, "_astro")) ? readdirSync(join(staging, "_astro")) : [],
    );
    for (const name of existsSync(join(ctx.out, "_astro"))
      ? readdirSync(join(ctx.out, "_astro"))
      : []) {
      if (!assets.has(name)) rmSync(join(ctx.out, "_astro", name), { force: true });
    }
    cpSync(staging, ctx.out, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
    summary = `${rendered.length} of ${ids.length} task pages changed`;
  } else {
    rmSync(ctx.out, { recursive: true, force: true });
    mkdirSync(dirname(ctx.out), { recursive: true });
    renameSync(staging, ctx.out);
    summary = `${ids.length} task pages`;
  }
  // attachments are served as they are, from files/
  const files = join(ctx.root, "files");
  rmSync(join(ctx.out, "files"), { recursive: true, force: true });
  if (existsSync(files)) {
    mkdirSync(join(ctx.out, "files"), { recursive: true });
    cpSync(files, join(ctx.out, "files"), {
      recursive: true,
      dereference: false,
      filter: (src) =>
        !relative(files, src)
          .split(sep)
          .some((p) => p.startsWith(".")),
    });
  }
  io.stdout.write(
    `Built the site of ${relative(io.cwd, ctx.root) || "."} into ${relative(io.cwd, ctx.out) || "."} in ${((performance.now() - started) / 1000).toFixed(1)} s (base ${ctx.base}; ${summary}).\n`,
  );
  return 0;
}

export async function runSitePreview(io: CliIO, options: SiteOptions): Promise<number> {
  const out = resolve(io.cwd, options.out ?? "site-dist");
  if (!existsSync(join(out, "index.html"))) {
    throw new CliError(
      `There is no built site in ${relative(io.cwd, out) || "."}: run \`trackdown site build\` first.`,
    );
  }
  const port = portOf(options.port);
  const { preview } = await import("astro");
  const server = await preview({
    root: SITE_ROOT,
    outDir: out,
    base: normaliseBase(options.base),
    logLevel: "warn",
    server: { host: "127.0.0.1", port },
  });
  io.stdout.write(
    `The site is at http://127.0.0.1:${server.port}${normaliseBase(options.base)} (Ctrl-C to stop).\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.stop().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

export async function runSiteDev(io: CliIO, options: SiteOptions): Promise<number> {
  const port = portOf(options.port);
  const ctx = contextOf(io, options);
  applyEnvironment(ctx);
  const { dev } = await import("astro");
  const { watch } = await import("chokidar");
  const server = await dev({
    ...astroConfig(ctx),
    server: { host: "127.0.0.1", port },
  });
  // a tracker file saved: the data module is invalidated, so pages read the tracker again
  const dataModule = join(SITE_ROOT, "src", "lib", "data.ts");
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(ctx.root, {
    ignoreInitial: true,
    ignored: (path) => path.split(sep).some((p) => p === ".trackdown" || p === ".git"),
  }).on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(() => server.watcher.emit("change", dataModule), 100);
  });
  io.stdout.write(
    `Serving the site of ${relative(io.cwd, ctx.root) || "."} at http://127.0.0.1:${server.address.port}${ctx.base}; it reloads when a tracker file changes (Ctrl-C to stop).\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void watcher.close();
      void server.stop().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
