#!/usr/bin/env node
// The dashboard site's speed (issue 6), on the synthetic trackers of bench/generate.js:
//
//   site build   `trackdown site build` (dist/cli/main.js's run, in a fresh child): wall time
//                from spawn to exit, peak RSS; the tracker's .trackdown/ cache is removed
//                first, as in a fresh checkout on CI
//   load         baseline 1: loadTracker(dir, { cache: false }), the load alone
//   floor        baseline 2: a bare Astro 5 build of N trivial pages from an in-memory array
//                (a project written into bench/out/site-run-<pid>/astro-floor-<N>/), wall
//                time, peak RSS
//   rebuild      one task's title changed after a build, then `trackdown site build` again
//   pages        the largest board page's HTML, raw and gzipped; search-index.json's size
//   search       the built site served on 127.0.0.1 gzipped like GitHub Pages; Chromium opens
//                /search/, types two letters of a task's title; time from the first keystroke
//                to the first result, and the bytes transferred until then (and the time
//                again with Chromium's network throttling, no target)
//   --history    also a clone of bench/history.js's 10,000-task git repository, whose site
//                has status timelines, commits and activity (a column of its own)
//
//   npm run bench:site                     build, then N = 1,000 and 10,000
//   node bench/site.js --sizes 1000        chosen sizes (dist/ must be built)
//   node bench/site.js --runs 2            fresh processes per measurement (default 3 for
//                                          N < 10,000, 1 from 10,000 on: a build takes ~30 s)
//
// The table goes to stdout, progress to stderr, raw numbers to bench/out/site-<date>.json.

import { execFileSync, fork } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { BENCH_DIR, DIST_ENTRY, ensureTracker, median, OUT_DIR, progress, send } from "./common.js";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.join(BENCH_DIR, "..");
const CLI_MAIN = path.join(ROOT, "dist", "cli", "main.js");
const CHROMIUM = process.env.TRACKDOWN_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const DEFAULT_SIZES = [1000, 10000];
/** Measured search sessions per size (each in a fresh browser context), after one warm-up. */
const SEARCH_RUNS = 3;
const MB = 1048576;
const LOAD_AT_START = os.loadavg()[0];
/** This run's builds (the floor projects, the sites): two runs at once must not share them. */
const RUN_DIR = path.join(OUT_DIR, `site-run-${process.pid}`);

/** Targets from the site issue; they apply to N = 10,000. */
const TARGETS = {
  n: 10000,
  buildMaxFloorRatio: 1.5,
  buildMaxRssMB: 1024,
  rebuildMaxFloorRatio: 1.2,
  boardMaxBytes: 1 * MB,
  firstResultMaxMs: 1000,
  searchMaxBytes: 1 * MB,
};

/**
 * @typedef {object} ChildResult
 * @property {string} mode site | floor | load
 * @property {number} ms the measured work inside the child (the build, or the load)
 * @property {number} importMs importing the CLI, astro or the library
 * @property {number} maxRssKiB process.resourceUsage().maxRSS at the end
 * @property {number} [cpuMs] user + system CPU time of the process (all its threads)
 * @property {number} [exitCode] site: what `run` returned
 * @property {number} [tasks] load: tracker.tasks.length
 * @property {number} [errors] load: error diagnostics
 * @property {string} [error]
 */

/**
 * @typedef {ChildResult & { wallMs: number, treePeakKiB?: number }} Measured
 */

// ---------------------------------------------------------------------------
// Child side

/**
 * @param {string} mode
 * @param {string[]} args
 */
async function runChild(mode, args) {
  /** @type {ChildResult} */
  let result;
  if (mode === "site") {
    // a first build renders every page (--full); a rebuild reuses the build in its output
    // folder and renders only the task pages whose content changed
    const [tracker, out, kind] = args;
    const t0 = performance.now();
    const { run } = await import(pathToFileURL(CLI_MAIN).href);
    const importMs = performance.now() - t0;
    const t1 = performance.now();
    const flags = kind === "rebuild" ? [] : ["--full"];
    const exitCode = await run(["site", "build", "--tracker", tracker, "--out", out, ...flags], {
      cwd: ROOT,
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
    });
    result = { mode, ms: performance.now() - t1, importMs, maxRssKiB: 0, exitCode };
    if (exitCode !== 0) result.error = `trackdown site build exited with ${exitCode}`;
  } else if (mode === "floor") {
    const [project, out] = args;
    const t0 = performance.now();
    const { build } = await import("astro");
    const importMs = performance.now() - t0;
    process.chdir(project);
    const t1 = performance.now();
    await build(
      {
        root: project,
        outDir: out,
        cacheDir: path.join(project, ".cache"),
        logLevel: "warn",
        vite: { logLevel: "warn" },
      },
      { teardownCompiler: true },
    );
    result = { mode, ms: performance.now() - t1, importMs, maxRssKiB: 0 };
  } else if (mode === "load") {
    const [tracker] = args;
    const t0 = performance.now();
    const { loadTracker } = await import(pathToFileURL(DIST_ENTRY).href);
    const importMs = performance.now() - t0;
    const t1 = performance.now();
    const loaded = await loadTracker(tracker, { cache: false });
    const ms = performance.now() - t1;
    result = {
      mode,
      ms,
      importMs,
      maxRssKiB: 0,
      tasks: loaded.tasks.length,
      errors: loaded.diagnostics.filter(
        (/** @type {{severity: string}} */ d) => d.severity === "error",
      ).length,
    };
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const usage = process.resourceUsage();
  result.maxRssKiB = usage.maxRSS;
  result.cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  await send(result);
}

// ---------------------------------------------------------------------------
// Parent side: children, their process tree's memory

/** Parent pid of every process, from /proc (Linux); empty elsewhere. */
function parentsOf() {
  /** @type {Map<number, number>} */
  const parents = new Map();
  let names;
  try {
    names = readdirSync("/proc");
  } catch {
    return parents;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(name), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  return parents;
}

/** Resident set size of a process tree (the process and all its descendants), KiB. */
function treeRssKiB(/** @type {number} */ root) {
  const parents = parentsOf();
  if (parents.size === 0) return undefined;
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of tree) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]);
    } catch {
      // ended
    }
  }
  return total;
}

/**
 * Runs `node bench/site.js --child <mode> …args` and returns what it reports, with its wall
 * time from spawn to exit and the peak RSS of its process tree sampled every 100 ms (esbuild,
 * which Vite runs as a separate process, is only in the latter).
 * @param {string} mode
 * @param {string[]} args
 * @returns {Promise<Measured>}
 */
function spawnChild(mode, args) {
  return new Promise((resolve) => {
    /** @type {ChildResult | undefined} */
    let result;
    let output = "";
    const t0 = performance.now();
    const child = fork(SELF, ["--child", mode, ...args], {
      cwd: ROOT,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    /** @type {number | undefined} */
    let treePeakKiB;
    const sample = () => {
      if (child.pid === undefined) return;
      const rss = treeRssKiB(child.pid);
      if (rss !== undefined) treePeakKiB = Math.max(treePeakKiB ?? 0, rss);
    };
    const sampler = setInterval(sample, 100);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk) => {
        output += chunk;
        process.stderr.write(chunk);
      });
    }
    child.on("message", (message) => {
      result = /** @type {ChildResult} */ (message);
    });
    child.on("error", (err) => {
      clearInterval(sampler);
      resolve({ mode, ms: 0, importMs: 0, maxRssKiB: 0, wallMs: 0, error: String(err) });
    });
    // the wall time ends at exit; the result is taken once the IPC channel is drained too
    /** @type {{ code: number | null, signal: string | null, wallMs: number } | undefined} */
    let exited;
    let channelClosed = false;
    const finish = () => {
      if (exited === undefined || !channelClosed) return;
      const { code, signal, wallMs } = exited;
      const failure = `child exited with ${signal ?? `code ${code}`} before reporting\n${output.slice(-2000)}`;
      resolve({
        ...(result ?? { mode, ms: 0, importMs: 0, maxRssKiB: 0, error: failure }),
        ...(result && code !== 0 && !result.error ? { error: `child exited with ${code}` } : {}),
        wallMs,
        ...(treePeakKiB !== undefined ? { treePeakKiB } : {}),
      });
    };
    child.on("disconnect", () => {
      channelClosed = true;
      finish();
    });
    child.on("exit", (code, signal) => {
      exited = { code, signal, wallMs: performance.now() - t0 };
      clearInterval(sampler);
      if (!child.connected) channelClosed = true;
      finish();
    });
  });
}

// ---------------------------------------------------------------------------
// The Astro floor

/**
 * Writes a minimal Astro 5 project that builds `n` trivial pages from an in-memory array.
 * It lives inside the repository (bench/out/site-run-<pid>/) so that `astro` resolves from
 * its node_modules.
 * @param {number} n
 * @returns {string} its folder
 */
function writeFloorProject(n) {
  const dir = path.join(RUN_DIR, `astro-floor-${n}`);
  rmSync(dir, { recursive: true, force: true });
  // under p/: a page named 404 or 500 at the top would become the error page
  mkdirSync(path.join(dir, "src", "pages", "p"), { recursive: true });
  mkdirSync(path.join(dir, "src", "layouts"), { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: `astro-floor-${n}`, private: true, type: "module" }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(dir, "astro.config.mjs"),
    'import { defineConfig } from "astro/config";\n\n' +
      'export default defineConfig({ output: "static", devToolbar: { enabled: false } });\n',
  );
  writeFileSync(
    path.join(dir, "src", "layouts", "Layout.astro"),
    `---
const { title } = Astro.props;
---
<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>{title}</title></head>
  <body><main><slot /></main></body>
</html>
`,
  );
  writeFileSync(
    path.join(dir, "src", "pages", "p", "[n].astro"),
    `---
import Layout from "../../layouts/Layout.astro";

export function getStaticPaths() {
  return Array.from({ length: ${n} }, (_, i) => ({ params: { n: String(i + 1) }, props: { i } }));
}
const { i } = Astro.props;
---
<Layout title={\`Page \${i + 1}\`}>
  <h1>Page {i + 1}</h1>
  <p>A trivial page, number {i + 1} of ${n}.</p>
</Layout>
`,
  );
  return dir;
}

// ---------------------------------------------------------------------------
// The built site: files, sizes

/**
 * Every file under dir, relative, with "/" separators.
 * @param {string} dir
 * @param {string} [prefix]
 * @param {string[]} [out]
 */
function walk(dir, prefix = "", out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), rel, out);
    else out.push(rel);
  }
  return out;
}

/**
 * Sizes of the built site: HTML pages, the largest board page (projects/<key>/ and its
 * swimlane pages, not the table) and table page, search-index.json raw and gzipped.
 * @param {string} out
 */
function siteSizes(out) {
  const files = walk(out);
  const html = files.filter((f) => f.endsWith(".html"));
  /** @param {string[]} list */
  const largest = (list) => {
    let best;
    for (const f of list) {
      const bytes = statSync(path.join(out, f)).size;
      if (!best || bytes > best.bytes) best = { file: f, bytes };
    }
    if (!best) return undefined;
    return { ...best, gzipBytes: gzipSync(readFileSync(path.join(out, best.file))).length };
  };
  const projectPages = html.filter((f) => /^projects\/[^/]+\//.test(f));
  const board = largest(projectPages.filter((f) => !/^projects\/[^/]+\/table\//.test(f)));
  const table = largest(projectPages.filter((f) => /^projects\/[^/]+\/table\//.test(f)));
  const indexFile = path.join(out, "search-index.json");
  const index = existsSync(indexFile)
    ? (() => {
        const raw = readFileSync(indexFile);
        return { bytes: raw.length, gzipBytes: gzipSync(raw).length };
      })()
    : undefined;
  let bytes = 0;
  for (const f of files) bytes += statSync(path.join(out, f)).size;
  return { files: files.length, htmlPages: html.length, bytes, board, table, index };
}

// ---------------------------------------------------------------------------
// Search in Chromium

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".ics": "text/calendar",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};
/**
 * Lighthouse's mobile network ("slow 4G"): 150 ms round trips, 1.6 Mbit/s down, 675 kbit/s
 * up, applied by Chromium to each request. Shown beside the unthrottled figures, no target.
 */
const SLOW_NETWORK = {
  latency: 150,
  downloadThroughput: (1638.4 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const GZIPPED = new Set([".html", ".js", ".mjs", ".css", ".json"]);

/**
 * A static server for a built site, gzipping HTML, JavaScript, JSON and CSS as GitHub Pages
 * does. Compressed bodies are kept once made (a CDN keeps them too), so a warm-up visit
 * takes the compression out of the measured ones.
 * @param {string} root
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
function serve(root) {
  /** @type {Map<string, Buffer>} */
  const gzipped = new Map();
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      file = path.join(file, "index.html");
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const ext = path.extname(file);
    const headers = {
      "content-type": MIME[/** @type {keyof typeof MIME} */ (ext)] ?? "application/octet-stream",
      "cache-control": "max-age=600",
    };
    const accepts = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    if (GZIPPED.has(ext) && accepts) {
      let body = gzipped.get(file);
      if (!body) {
        body = gzipSync(readFileSync(file));
        gzipped.set(file, body);
      }
      res.writeHead(200, {
        ...headers,
        "content-encoding": "gzip",
        vary: "Accept-Encoding",
        "content-length": body.length,
      });
      res.end(body);
    } else {
      const body = readFileSync(file);
      res.writeHead(200, { ...headers, "content-length": body.length });
      res.end(body);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = /** @type {import("node:net").AddressInfo} */ (server.address());
      resolve({
        origin: `http://127.0.0.1:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * Two letters to type: the start of the first word of 4+ letters in a task's title (a task
 * of the largest project, half-way through its files).
 * @param {string} tracker
 */
function searchLetters(tracker) {
  const projects = path.join(tracker, "projects");
  let best = { dir: "", count: -1 };
  for (const p of readdirSync(projects).sort()) {
    const tasks = path.join(projects, p, "tasks");
    if (!existsSync(tasks)) continue;
    const count = readdirSync(tasks).length;
    if (count > best.count) best = { dir: tasks, count };
  }
  const files = readdirSync(best.dir).sort();
  const text = readFileSync(path.join(best.dir, files[Math.floor(files.length / 2)]), "utf8");
  const title = /^title: (.*)$/m.exec(text)?.[1] ?? "";
  const word = title.split(/[^A-Za-z]+/).find((w) => w.length >= 4) ?? "task";
  return { letters: word.slice(0, 2).toLowerCase(), title };
}

/**
 * @typedef {object} SearchRun
 * @property {number} firstResultMs first keystroke → first result item in the DOM
 * @property {number} focusToKeyMs focus of the box (which starts fetching the index) → first keystroke
 * @property {number | undefined} indexDoneMs first keystroke → the index's response end
 * @property {number} transferBytes the page's and every resource's transferSize, until the first result
 * @property {{ name: string, transferSize: number, encodedBodySize: number, decodedBodySize: number }[]} entries
 * @property {number} results items shown once both letters are typed
 * @property {string[]} problems console errors, page errors, failed requests
 */

/**
 * Opens /search/ in a fresh context, types the letters and measures.
 * @param {import("playwright-core").Browser} browser
 * @param {string} origin
 * @param {string} letters
 * @param {boolean} [throttle] with SLOW_NETWORK's latency and throughput
 * @returns {Promise<SearchRun>}
 */
async function searchOnce(browser, origin, letters, throttle = false) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...SLOW_NETWORK });
  }
  /** @type {string[]} */
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  try {
    await page.goto(`${origin}/search/`, { waitUntil: "load" });
    await page.evaluate(() => {
      /** @type {any} */
      const w = window;
      w.__bench = {};
      const input = /** @type {HTMLInputElement} */ (document.getElementById("q"));
      input.addEventListener("focus", () => {
        w.__bench.focus ??= performance.now();
      });
      document.addEventListener(
        "keydown",
        () => {
          w.__bench.key ??= performance.now();
        },
        true,
      );
      const list = /** @type {HTMLElement} */ (document.getElementById("results"));
      new MutationObserver(() => {
        if (w.__bench.first === undefined && list.querySelector("li") !== null) {
          w.__bench.first = performance.now();
          w.__bench.resources = performance.getEntriesByType("resource").map((e) => {
            const r = /** @type {PerformanceResourceTiming} */ (e);
            return {
              name: r.name,
              transferSize: r.transferSize,
              encodedBodySize: r.encodedBodySize,
              decodedBodySize: r.decodedBodySize,
              responseEnd: r.responseEnd,
            };
          });
          const nav = /** @type {PerformanceNavigationTiming} */ (
            performance.getEntriesByType("navigation")[0]
          );
          w.__bench.navigation = {
            name: nav.name,
            transferSize: nav.transferSize,
            encodedBodySize: nav.encodedBodySize,
            decodedBodySize: nav.decodedBodySize,
          };
        }
      }).observe(list, { childList: true, subtree: true });
    });
    // the box is focused (the page starts fetching the index then) and typed into at once,
    // as fast as a person can: the index gets no head start
    await page.focus("#q");
    await page.keyboard.type(letters, { delay: 50 });
    await page.waitForFunction(
      () => /** @type {any} */ (window).__bench.first !== undefined,
      null,
      {
        timeout: 60000,
      },
    );
    await page.waitForFunction(
      () => /\d/.test(document.getElementById("search-status")?.textContent ?? ""),
      null,
      { timeout: 60000 },
    );
    const b = await page.evaluate(() => /** @type {any} */ (window).__bench);
    const results = await page.locator("#results li").count();
    /** @type {{ name: string, transferSize: number, encodedBodySize: number, decodedBodySize: number, responseEnd: number }[]} */
    const resources = b.resources;
    const index = resources.find((r) => /search-index\.json/.test(r.name));
    const entries = [b.navigation, ...resources].map((e) => ({
      name: e.name.replace(origin, ""),
      transferSize: e.transferSize,
      encodedBodySize: e.encodedBodySize,
      decodedBodySize: e.decodedBodySize,
    }));
    return {
      firstResultMs: b.first - b.key,
      focusToKeyMs: b.key - b.focus,
      indexDoneMs: index ? index.responseEnd - b.key : undefined,
      transferBytes: entries.reduce((sum, e) => sum + e.transferSize, 0),
      entries,
      results,
      problems,
    };
  } finally {
    await context.close();
  }
}

/**
 * The search measurement on a built site: one warm-up session, then SEARCH_RUNS.
 * @param {string} out
 * @param {string} letters
 */
async function measureSearch(out, letters) {
  if (!existsSync(CHROMIUM)) {
    return {
      error: `no Chromium at ${CHROMIUM} (apt-get install chromium, or TRACKDOWN_CHROMIUM)`,
    };
  }
  const { chromium } = await import("playwright-core");
  const server = await serve(out);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    await searchOnce(browser, server.origin, letters); // warm-up: server gzip cache, Chromium
    /** @type {SearchRun[]} */
    const runs = [];
    /** @type {SearchRun[]} */
    const slow = [];
    for (let i = 0; i < 2 * SEARCH_RUNS; i++) {
      const throttle = i >= SEARCH_RUNS;
      const r = await searchOnce(browser, server.origin, letters, throttle);
      (throttle ? slow : runs).push(r);
      progress(
        `  search #${(i % SEARCH_RUNS) + 1}${throttle ? " (slow network)" : ""}: first result ${r.firstResultMs.toFixed(0)} ms after the first keystroke ` +
          `(index in at ${r.indexDoneMs?.toFixed(0) ?? "?"} ms), ${(r.transferBytes / 1024).toFixed(0)} KB transferred, ` +
          `${r.results} results` +
          (r.problems.length ? `, problems: ${r.problems.join("; ")}` : ""),
      );
    }
    return {
      runs,
      firstResultMs: median(runs.map((r) => r.firstResultMs)),
      transferBytes: Math.max(...runs.map((r) => r.transferBytes)),
      indexDoneMs: median(runs.map((r) => r.indexDoneMs ?? Number.NaN)),
      focusToKeyMs: median(runs.map((r) => r.focusToKeyMs)),
      slow: {
        runs: slow,
        firstResultMs: median(slow.map((r) => r.firstResultMs)),
        indexDoneMs: median(slow.map((r) => r.indexDoneMs ?? Number.NaN)),
      },
      results: runs[0].results,
      entries: runs[0].entries,
      problems: [...new Set(runs.flatMap((r) => r.problems))],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------
// Parent side: the run

/** @param {string[]} argv */
function parseArgs(argv) {
  const options = {
    sizes: DEFAULT_SIZES,
    /** @type {number | undefined} */
    runs: undefined,
    seed: 42,
    regen: false,
    keep: false,
    history: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--sizes") options.sizes = value().split(",").map(Number);
    else if (a === "--quick") options.sizes = [1000];
    else if (a === "--runs") options.runs = Number(value());
    else if (a === "--seed") options.seed = Number(value());
    else if (a === "--regen") options.regen = true;
    else if (a === "--keep") options.keep = true;
    else if (a === "--history") options.history = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: node bench/site.js [--sizes 1000,10000] [--quick] [--runs N] [--seed 42] [--regen] [--keep]\n" +
          "                          [--history]\n" +
          "  --history also the 10,000-task git repository of bench/history.js (a column of its own)\n" +
          "  --runs   fresh processes per measurement (default 3 below 10,000 tasks, 1 from 10,000)\n" +
          "  --keep   keep the built sites and the Astro floor projects (bench/out/site-run-<pid>/)",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("bad --sizes");
  if (options.runs !== undefined && (!Number.isInteger(options.runs) || options.runs < 1)) {
    throw new Error("bad --runs");
  }
  return options;
}

/**
 * Median wall time, highest peak RSS (the child's own and its tree's) of some runs.
 * @param {Measured[]} runs
 */
function summarize(runs) {
  const ok = runs.filter((r) => !r.error);
  if (ok.length === 0) return { runs, error: runs[0]?.error ?? "no runs" };
  const tree = ok.map((r) => r.treePeakKiB).filter((x) => x !== undefined);
  return {
    runs,
    wallS: median(ok.map((r) => r.wallMs)) / 1000,
    workS: median(ok.map((r) => r.ms)) / 1000,
    rssMB: Math.max(...ok.map((r) => r.maxRssKiB)) / 1024,
    cpuS: median(ok.map((r) => r.cpuMs ?? Number.NaN)) / 1000,
    treeRssMB: tree.length ? Math.max(...tree) / 1024 : undefined,
    error: ok.length < runs.length ? runs.find((r) => r.error)?.error : undefined,
  };
}

/**
 * Copies a tracker (without its .trackdown/ cache) to a temporary folder: builds write the
 * cache there and the rebuild edits a task, never the shared tracker under TRACKERS_DIR.
 * @param {string} dir
 */
function copyTracker(dir) {
  const temp = mkdtempSync(path.join(os.tmpdir(), "trackdown-bench-site-"));
  const copy = path.join(temp, "tracker");
  cpSync(dir, copy, {
    recursive: true,
    filter: (src) => path.basename(src) !== ".trackdown",
  });
  return { temp, copy };
}

/** The history repository of bench/history.js: 10,000 tasks, 2,000 commits. */
const HISTORY_REPO = { tasks: 10000, commits: 2000, seed: 42 };

/**
 * A clone of bench/history.js's repository (generated once and cached like the trackers):
 * a tracker with a git history, as a real one has; the site then shows timelines, commits
 * and activity.
 */
async function cloneHistoryRepo() {
  const { ensureHistoryRepo } = await import("./history.js");
  const { dir } = await ensureHistoryRepo(HISTORY_REPO);
  const temp = mkdtempSync(path.join(os.tmpdir(), "trackdown-bench-site-"));
  execFileSync("git", ["clone", "-q", dir, path.join(temp, "repo")], { stdio: "ignore" });
  progress(`history: cloned ${dir}`);
  return { source: dir, temp, copy: path.join(temp, "repo", "tracker") };
}

/**
 * A task file of a tracker to edit for the rebuild, and its id.
 * @param {string} tracker
 */
function taskToEdit(tracker) {
  const projects = path.join(tracker, "projects");
  const project = readdirSync(projects).sort()[0];
  const tasks = path.join(projects, project, "tasks");
  const name = readdirSync(tasks).sort()[0];
  const file = path.join(tasks, name);
  const id = /^id: (.*)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim();
  if (!id) throw new Error(`${file} has no id line`);
  return { file, id };
}

/** @param {number} n */
const int = (n) => Math.round(n).toLocaleString("en-US");
/** @param {number | undefined} s */
const secs = (s) => (s === undefined || Number.isNaN(s) ? "—" : s.toFixed(1));
/** @param {number | undefined} mb */
const mbs = (mb) => (mb === undefined ? "—" : int(mb));
/** @param {number | undefined} bytes */
const kb = (bytes) => (bytes === undefined ? "—" : int(bytes / 1024));
/** @param {boolean | undefined} ok */
const mark = (ok) => (ok === undefined ? "?" : ok ? "✓" : "✗");

/** @param {string[]} argv */
async function main(argv) {
  const options = parseArgs(argv);
  for (const file of [DIST_ENTRY, CLI_MAIN]) {
    if (!existsSync(file)) {
      console.error(
        `bench: ${path.relative(process.cwd(), file)} is missing. Build first with \`npm run build\` (\`npm run bench:site\` does it).`,
      );
      process.exit(1);
    }
  }
  mkdirSync(OUT_DIR, { recursive: true });
  /** @type {string[]} */
  const warnings = [];
  /** @param {string} message */
  const warn = (message) => {
    warnings.push(message);
    progress(`warning: ${message}`);
  };
  let failed = false;
  const rows = [];

  /** @type {{ n: number, history: boolean }[]} */
  const cases = options.sizes.map((n) => ({ n, history: false }));
  if (options.history) cases.push({ n: HISTORY_REPO.tasks, history: true });
  for (const { n, history } of cases) {
    const runs = options.runs ?? (n >= 10000 ? 1 : 3);
    const tag = history ? `N=${n}+history` : `N=${n}`;
    const { source, temp, copy } = history
      ? await cloneHistoryRepo()
      : await (async () => {
          const dir = await ensureTracker(n, options.seed, options.regen);
          return { source: dir, ...copyTracker(dir) };
        })();
    // the history case is compared with the floor of the same size measured in this run
    const sameFloor = history ? rows.find((r) => r.n === n && !r.history) : undefined;
    const floorProject = sameFloor ? undefined : writeFloorProject(n);
    const floorOut = floorProject && path.join(floorProject, "dist");
    const siteOut = path.join(RUN_DIR, `site-${n}${history ? "-history" : ""}`);
    const rebuildOut = path.join(RUN_DIR, `site-${n}${history ? "-history" : ""}-rebuild`);
    /** @type {Record<string, Measured[]>} */
    const raw = { load: [], floor: [], site: [], rebuild: [] };
    /**
     * @param {keyof typeof raw} what
     * @param {string} mode
     * @param {string[]} args
     */
    const measure = async (what, mode, args) => {
      const r = await spawnChild(mode, args);
      raw[what].push(r);
      progress(
        `${tag} ${what} #${raw[what].length}: ` +
          (r.error
            ? `FAILED: ${r.error}`
            : `${(r.wallMs / 1000).toFixed(2)} s wall (${(r.ms / 1000).toFixed(2)} s measured inside), ` +
              `CPU ${((r.cpuMs ?? 0) / 1000).toFixed(2)} s, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MB` +
              (r.treePeakKiB !== undefined
                ? ` (process tree ${(r.treePeakKiB / 1024).toFixed(0)} MB)`
                : "")),
      );
      return r;
    };

    try {
      for (let r = 0; r < runs; r++) {
        const load = await measure("load", "load", [copy]);
        // the history repository has archived tasks besides its n - 25 tasks
        if (!load.error && (load.errors || (!history && load.tasks !== n))) {
          warn(
            `${tag} load: ${load.tasks} tasks (expected ${n}), ${load.errors} error diagnostics`,
          );
        }
      }
      // the floor and the site build alternate, so that a noisy moment hits both alike
      for (let r = 0; r < runs; r++) {
        if (floorProject && floorOut) {
          rmSync(floorOut, { recursive: true, force: true });
          rmSync(path.join(floorProject, ".astro"), { recursive: true, force: true });
          const floor = await measure("floor", "floor", [floorProject, floorOut]);
          if (!floor.error) {
            const pages = readdirSync(path.join(floorOut, "p")).length;
            if (pages !== n) warn(`${tag} floor: built ${pages} pages, expected ${n}`);
          }
        }
        rmSync(path.join(copy, ".trackdown"), { recursive: true, force: true });
        await measure("site", "site", [copy, siteOut]);
      }

      const sizes = existsSync(path.join(siteOut, "index.html")) ? siteSizes(siteOut) : undefined;
      if (sizes) {
        progress(
          `${tag} site: ${int(sizes.htmlPages)} HTML pages, ${int(sizes.files)} files, ` +
            `${(sizes.bytes / MB).toFixed(1)} MB; largest board page ${sizes.board?.file} ` +
            `${kb(sizes.board?.bytes)} KB (${kb(sizes.board?.gzipBytes)} KB gzipped)`,
        );
      }

      // search, on the site just built
      /** @type {Awaited<ReturnType<typeof measureSearch>> | undefined} */
      let search;
      const { letters, title } = searchLetters(copy);
      if (sizes) {
        progress(`${tag} search: typing "${letters}" (from "${title}")`);
        try {
          search = await measureSearch(siteOut, letters);
        } catch (err) {
          search = { error: err instanceof Error ? err.message : String(err) };
        }
        if ("error" in search && search.error) warn(`${tag} search failed: ${search.error}`);
        else if ("problems" in search && search.problems?.length) {
          warn(`${tag} search: ${search.problems.join("; ")}`);
        }
      }

      // rebuild: the last site build left its cache in the copy and its pages in the output
      // folder (copied, as a published site would be); change one title, build again
      const edit = taskToEdit(copy);
      if (existsSync(siteOut)) cpSync(siteOut, rebuildOut, { recursive: true });
      for (let r = 0; r < runs; r++) {
        const newTitle = `Renamed for the rebuild benchmark ${r + 1} ${Date.now().toString(36)}`;
        const text = readFileSync(edit.file, "utf8");
        writeFileSync(edit.file, text.replace(/^title: .*$/m, `title: ${newTitle}`));
        const result = await measure("rebuild", "site", [copy, rebuildOut, "rebuild"]);
        if (!result.error) {
          const page = path.join(rebuildOut, "tasks", edit.id, "index.html");
          if (!existsSync(page) || !readFileSync(page, "utf8").includes(newTitle)) {
            warn(`${tag} rebuild: ${path.relative(ROOT, page)} does not show the new title`);
          }
        }
      }

      const summary = {
        load: summarize(raw.load),
        floor: sameFloor ? sameFloor.summary.floor : summarize(raw.floor),
        site: summarize(raw.site),
        rebuild: summarize(raw.rebuild),
      };
      for (const [what, s] of Object.entries(summary)) {
        if (s.error) {
          failed = true;
          warn(`${tag} ${what} failed: ${String(s.error).split("\n")[0]}`);
        }
      }
      if (search && "error" in search && search.error) failed = true;
      rows.push({
        n,
        history,
        runs,
        tracker: source,
        summary,
        sizes,
        search,
        letters,
        title,
        raw,
      });
    } finally {
      rmSync(temp, { recursive: true, force: true });
      if (!options.keep) {
        for (const dir of [floorProject, siteOut, rebuildOut]) {
          if (dir) rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  }
  if (options.keep)
    progress(`built sites and floor projects kept in ${path.relative(process.cwd(), RUN_DIR)}`);
  else rmSync(RUN_DIR, { recursive: true, force: true });

  // ---- the table: a row per measurement, a column per size
  /**
   * @typedef {typeof rows[number]} Row
   * @typedef {{ label: string, cell: (r: Row) => string, target?: string, ok?: (r: Row) => boolean | undefined }} Line
   */
  const t = TARGETS;
  /** @param {Row} r */
  const ratio = (r, /** @type {"site" | "rebuild"} */ what) => {
    const a = r.summary[what].wallS;
    const b = r.summary.floor.wallS;
    return a !== undefined && b ? a / b : undefined;
  };
  /**
   * "1.23× (CPU 1.10×)": wall time against the floor's, and CPU time against the floor's.
   * @param {Row} r
   * @param {"site" | "rebuild"} what
   */
  const ratioCell = (r, what) => {
    const x = ratio(r, what);
    if (x === undefined) return "—";
    const a = r.summary[what].cpuS;
    const b = r.summary.floor.cpuS;
    return `${x.toFixed(2)}×${a !== undefined && b ? ` (CPU ${(a / b).toFixed(2)}×)` : ""}`;
  };
  /** @param {Row} r */
  const searchOf = (r) =>
    r.search && !("error" in r.search && r.search.error) ? r.search : undefined;
  /** @type {Line[]} */
  const lines = [
    {
      label: "baseline: `loadTracker(dir, { cache: false })` (s)",
      cell: (r) => secs(r.summary.load.workS),
    },
    {
      label: "baseline: Astro floor, N trivial pages, wall (s)",
      cell: (r) => secs(r.summary.floor.wallS),
    },
    { label: "Astro floor, peak RSS (MB)", cell: (r) => mbs(r.summary.floor.rssMB) },
    { label: "Astro floor, CPU time (s)", cell: (r) => secs(r.summary.floor.cpuS) },
    {
      label: "`trackdown site build`, wall (s)",
      cell: (r) => secs(r.summary.site.wallS),
    },
    {
      label: "site build / floor",
      cell: (r) => ratioCell(r, "site"),
      target: `≤ ${t.buildMaxFloorRatio}×`,
      ok: (r) => {
        const x = ratio(r, "site");
        return x === undefined ? false : x <= t.buildMaxFloorRatio;
      },
    },
    {
      label: "site build, peak RSS (MB)",
      cell: (r) => mbs(r.summary.site.rssMB),
      target: `≤ ${int(t.buildMaxRssMB)} MB`,
      ok: (r) =>
        r.summary.site.rssMB === undefined ? false : r.summary.site.rssMB <= t.buildMaxRssMB,
    },
    {
      label: "site build, peak RSS with child processes (MB, sampled)",
      cell: (r) => mbs(r.summary.site.treeRssMB),
    },
    { label: "site build, CPU time (s)", cell: (r) => secs(r.summary.site.cpuS) },
    {
      label: "rebuild after one task changed, wall (s)",
      cell: (r) => secs(r.summary.rebuild.wallS),
    },
    {
      label: "rebuild / floor",
      cell: (r) => ratioCell(r, "rebuild"),
      target: `≤ ${t.rebuildMaxFloorRatio}×`,
      ok: (r) => {
        const x = ratio(r, "rebuild");
        return x === undefined ? false : x <= t.rebuildMaxFloorRatio;
      },
    },
    {
      label: "HTML pages built",
      cell: (r) => (r.sizes ? int(r.sizes.htmlPages) : "—"),
    },
    {
      label: "largest board page, HTML (KB / gzipped KB)",
      cell: (r) =>
        r.sizes?.board ? `${kb(r.sizes.board.bytes)} / ${kb(r.sizes.board.gzipBytes)}` : "—",
      target: `≤ ${int(t.boardMaxBytes / 1024)} KB`,
      ok: (r) => (r.sizes?.board ? r.sizes.board.bytes <= t.boardMaxBytes : false),
    },
    {
      label: "largest table page, HTML (KB / gzipped KB)",
      cell: (r) =>
        r.sizes?.table ? `${kb(r.sizes.table.bytes)} / ${kb(r.sizes.table.gzipBytes)}` : "—",
    },
    {
      label: "search-index.json (KB / gzipped KB)",
      cell: (r) =>
        r.sizes?.index ? `${kb(r.sizes.index.bytes)} / ${kb(r.sizes.index.gzipBytes)}` : "—",
    },
    {
      label: "search: first keystroke → first result (ms)",
      cell: (r) => {
        const s = searchOf(r);
        return s ? int(s.firstResultMs) : "failed";
      },
      target: `≤ ${int(t.firstResultMaxMs)} ms`,
      ok: (r) => {
        const s = searchOf(r);
        return s ? s.firstResultMs <= t.firstResultMaxMs : false;
      },
    },
    {
      label: "search on a slow network (150 ms RTT, 1.6 Mbit/s): first result (ms)",
      cell: (r) => {
        const s = searchOf(r);
        return s ? int(s.slow.firstResultMs) : "failed";
      },
    },
    {
      label: "search: transferred until the first result (KB)",
      cell: (r) => {
        const s = searchOf(r);
        return s ? kb(s.transferBytes) : "failed";
      },
      target: `≤ ${int(t.searchMaxBytes / 1024)} KB`,
      ok: (r) => {
        const s = searchOf(r);
        return s ? s.transferBytes <= t.searchMaxBytes : false;
      },
    },
  ];
  /** @param {Row} r */
  const labelOf = (r) => `${int(r.n)} tasks${r.history ? " + git history" : ""}`;
  const targetRow = rows.find((r) => r.n === t.n && !r.history);
  const table = [
    `| measurement | ${rows.map((r) => labelOf(r)).join(" | ")} | target (${int(t.n)} tasks) | met |`,
    `|---|${rows.map(() => "---:").join("|")}|---|:-:|`,
    ...lines.map(
      (line) =>
        `| ${line.label} | ${rows.map((r) => line.cell(r)).join(" | ")} | ${line.target ?? "—"} | ` +
        `${line.ok && line.target ? (targetRow ? mark(line.ok(targetRow)) : "—") : "—"} |`,
    ),
  ];
  console.log(table.join("\n"));
  console.log(
    `\nWall time from spawning a fresh Node process to its exit, median of ${rows
      .map((r) => `${r.runs} (${labelOf(r)})`)
      .join(", ")} runs; peak RSS is the highest process.resourceUsage().maxRSS of the runs ` +
      "(the sampled figure adds child processes such as esbuild). Site builds start without " +
      "the tracker's .trackdown/ cache (a fresh checkout); the rebuild keeps the cache the " +
      "previous build wrote. The synthetic trackers are not git repositories, so the site has " +
      "no history (timelines, activity)" +
      (rows.some((r) => r.history)
        ? "; the git-history column is bench/history.js's repository (2,000 commits), cloned, " +
          "compared with the floor of the same size. "
        : ". ") +
      "loadTracker is the load alone, inside its process. " +
      `Search: median of ${SEARCH_RUNS} fresh browser contexts after a warm-up, served gzipped ` +
      "from 127.0.0.1 with no network throttling (then again with Chromium's throttling; no " +
      "target); the box is focused, which starts fetching the index, and typed into at once. " +
      "Bytes are the search page's and every resource's transferSize until the first result " +
      "(the highest of the runs). MB = 2^20 bytes.",
  );
  console.log(
    `Load average (1 min) at the start and the end: ${LOAD_AT_START.toFixed(2)}, ${os.loadavg()[0].toFixed(2)} ` +
      `on ${os.cpus().length} cores; other work on the machine shows in the times.`,
  );
  for (const r of rows) {
    const s = searchOf(r);
    if (!s) continue;
    const parts = s.entries
      .filter((e) => e.transferSize > 0)
      .map((e) => `${e.name} ${kb(e.transferSize)} KB`)
      .join(", ");
    console.log(
      `Search, ${labelOf(r)}: typed "${r.letters}" (from "${r.title}"); the index arrived ` +
        `${int(s.indexDoneMs)} ms after the first keystroke, which came ${int(s.focusToKeyMs)} ms ` +
        `after the box was focused; ${s.results} results shown for both letters; on the slow network ` +
        `the index arrived at ${int(s.slow.indexDoneMs)} ms; transferred: ${parts}.`,
    );
  }
  for (const r of rows) {
    console.log(
      `Imports (inside the times above), ${labelOf(r)}: CLI ${int(median(r.raw.site.filter((x) => !x.error).map((x) => x.importMs)) || 0)} ms, ` +
        (r.raw.floor.length > 0
          ? `astro ${int(median(r.raw.floor.filter((x) => !x.error).map((x) => x.importMs)) || 0)} ms; `
          : "astro: the floor of the same size; ") +
        `build measured inside the process: site ${secs(r.summary.site.workS)} s, floor ${secs(r.summary.floor.workS)} s, ` +
        `rebuild ${secs(r.summary.rebuild.workS)} s.`,
    );
  }
  if (warnings.length > 0) console.log(`\nWarnings:\n${warnings.map((w) => `- ${w}`).join("\n")}`);

  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  const outFile = path.join(OUT_DIR, `site-${stamp}.json`);
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        options,
        targets: TARGETS,
        environment: {
          node: process.version,
          platform: `${os.platform()} ${os.release()} ${os.arch()}`,
          cpu: os.cpus()[0]?.model,
          cpus: os.cpus().length,
          totalMemMB: Math.round(os.totalmem() / MB),
        },
        results: rows,
        warnings,
      },
      null,
      2,
    )}\n`,
  );
  progress(`raw results: ${path.relative(process.cwd(), outFile)}`);
  if (failed) process.exitCode = 1;
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  runChild(argv[1], argv.slice(2)).catch(async (err) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    await send({ mode: argv[1], ms: 0, importMs: 0, maxRssKiB: 0, error: message });
    process.exitCode = 1;
  });
} else if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  main(argv).catch((err) => {
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
    process.exit(1);
  });
}
