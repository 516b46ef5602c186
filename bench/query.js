#!/usr/bin/env node
// Trackdown query and search benchmark. See bench/README.md.
//
//   npm run bench:query                    build, then N = 10,000
//   node bench/query.js --sizes 1000,10000 other sizes (dist/ must be built)
//   node bench/query.js --runs 5           fresh processes per measurement (default 5)
//
// On the synthetic trackers of bench/generate.js (cached like bench/run.js does), each
// measurement runs in a fresh child process (`node bench/query.js --child <mode> <dir>`):
//
//   cold        loadTracker(dir, { cache: false }), the foundation's figure
//   structured  the first indexTracker call, then ~20 structured queries, 50 rounds each
//   fulltext    the first searchIndexFor call, then 100 fixed searches; the index's size
//   list        `trackdown list 'assignee:X is:open'` end to end, cache warm and cold

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import {
  BENCH_DIR,
  DIST_ENTRY,
  ensureTracker,
  forkChild,
  median,
  OUT_DIR,
  progress,
  send,
} from "./common.js";

const SELF = fileURLToPath(import.meta.url);
const CLI_BIN = path.join(BENCH_DIR, "..", "bin", "trackdown.js");

/** "Today" of the synthetic trackers (day 911 of bench/generate.js's timeline). */
const SYNTHETIC_TODAY = "2026-06-30";
/** Timed rounds of the structured query set (after one warm-up round). */
const QUERY_ROUNDS = 50;
/** How many fixed full-text queries, and timed passes over them (after one warm-up pass). */
const SEARCH_QUERIES = 100;
const SEARCH_PASSES = 5;
/** Seed of the full-text query picker; fixed so every run searches for the same words. */
const SEARCH_SEED = 20261127;

/** Targets from the query issue; they apply to N = 10,000. */
const TARGETS = {
  n: 10000,
  indexMaxMs: 150,
  queryMedianMaxMs: 2,
  searchIndexMaxMs: 2000,
  searchMedianMaxMs: 10,
  listMaxMs: 1200,
};

/**
 * @typedef {object} ChildResult
 * @property {string} mode
 * @property {number} importMs time to import dist/node/index.js
 * @property {number} loadMs time of loadTracker
 * @property {number} maxRssKiB peak resident set size of the child, KiB
 * @property {number} [tasks] tracker.tasks.length
 * @property {number} [errors] error diagnostics of the load
 * @property {number} [indexMs] structured: the first indexTracker call
 * @property {number[]} [samples] structured, fulltext: every timed call, ms
 * @property {{ query: string, results: number, matches?: number, medianMs: number, p95Ms: number, maxMs: number, problems: string[] }[]} [perQuery]
 * @property {number} [textLoadMs] fulltext: first access to a body (lazy texts of a warm cache)
 * @property {number} [searchIndexMs] fulltext: the first searchIndexFor call after that
 * @property {number} [documents] fulltext: documents in the index
 * @property {number} [serialiseMs] fulltext: toJSON()
 * @property {number} [rawBytes] fulltext: UTF-8 bytes of toJSON()
 * @property {number} [gzipBytes] fulltext: gzipSync of those bytes
 * @property {string} [error] set when the child failed
 */

// ---------------------------------------------------------------------------
// Child side

/**
 * Nearest-rank percentile.
 * @param {number[]} values
 * @param {number} p from 0 to 100
 * @returns {number}
 */
function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * Runs one measurement and sends the result to the parent.
 * @param {string} mode
 * @param {string} dir
 * @param {string | undefined} specJson the queries, for structured and fulltext
 */
async function runChild(mode, dir, specJson) {
  const spec = specJson ? JSON.parse(specJson) : {};
  const t0 = performance.now();
  const lib = await import(pathToFileURL(DIST_ENTRY).href);
  const importMs = performance.now() - t0;
  const t1 = performance.now();
  // Only the cold measurement skips the parse cache; the others load as the CLI would.
  const tracker = await lib.loadTracker(dir, { cache: mode !== "cold" });
  const loadMs = performance.now() - t1;
  /** @type {ChildResult} */
  const result = {
    mode,
    importMs,
    loadMs,
    maxRssKiB: 0,
    tasks: tracker.tasks.length,
    errors: tracker.diagnostics.filter((/** @type {{ severity: string }} */ d) => {
      return d.severity === "error";
    }).length,
  };
  if (mode === "structured") Object.assign(result, structured(lib, tracker, spec));
  else if (mode === "fulltext") Object.assign(result, fulltext(lib, tracker, spec));
  else if (mode !== "cold" && mode !== "prime") throw new Error(`unknown mode ${mode}`);
  result.maxRssKiB = process.resourceUsage().maxRSS;
  await send(result);
}

/**
 * The first indexTracker call, then every query once (warm-up) and QUERY_ROUNDS timed
 * rounds over the whole set, interleaved so no single query gets the JIT to itself.
 * @param {any} lib
 * @param {any} tracker
 * @param {{ today: string, me: string, queries: string[] }} spec
 */
function structured(lib, tracker, spec) {
  const options = { today: spec.today, me: spec.me };
  const t0 = performance.now();
  lib.indexTracker(tracker, { today: spec.today });
  const indexMs = performance.now() - t0;
  /** @type {number[][]} */
  const times = spec.queries.map(() => []);
  const results = spec.queries.map((/** @type {string} */ q) => {
    const r = lib.query(tracker, q, options);
    if (!r.ok) {
      const problems = r.problems.map((/** @type {{ message: string }} */ p) => p.message);
      throw new Error(`query "${q}" failed: ${problems.join("; ")}`);
    }
    return r;
  });
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    for (const [i, q] of spec.queries.entries()) {
      const start = performance.now();
      lib.query(tracker, q, options);
      times[i].push(performance.now() - start);
    }
  }
  return {
    indexMs,
    samples: times.flat(),
    perQuery: spec.queries.map((/** @type {string} */ q, /** @type {number} */ i) => ({
      query: q,
      results: results[i].tasks.length,
      medianMs: median(times[i]),
      p95Ms: percentile(times[i], 95),
      maxMs: Math.max(...times[i]),
      problems: results[i].problems.map((/** @type {{ message: string }} */ p) => p.message),
    })),
  };
}

/**
 * The first searchIndexFor call (after the bodies are read: with a warm parse cache they
 * load lazily on first access, which is timed apart), then every search once (warm-up)
 * and SEARCH_PASSES timed passes; then the serialised index's size.
 * @param {any} lib
 * @param {any} tracker
 * @param {{ queries: string[] }} spec
 */
function fulltext(lib, tracker, spec) {
  const t0 = performance.now();
  let bodyChars = 0;
  for (const t of tracker.tasks) bodyChars += t.body.length;
  const textLoadMs = performance.now() - t0;
  const t1 = performance.now();
  const index = lib.searchIndexFor(tracker);
  const searchIndexMs = performance.now() - t1;
  /** @type {number[][]} */
  const times = spec.queries.map(() => []);
  const hits = spec.queries.map((/** @type {string} */ q) => lib.search(tracker, q).length);
  // How many tasks each query matches in all (the timed calls return the best 50).
  const matches = spec.queries.map((/** @type {string} */ q) => {
    return lib.search(tracker, q, { limit: Number.MAX_SAFE_INTEGER }).length;
  });
  for (let pass = 0; pass < SEARCH_PASSES; pass++) {
    for (const [i, q] of spec.queries.entries()) {
      const start = performance.now();
      lib.search(tracker, q);
      times[i].push(performance.now() - start);
    }
  }
  const t2 = performance.now();
  const json = index.toJSON();
  const serialiseMs = performance.now() - t2;
  const raw = Buffer.from(json, "utf8");
  return {
    textLoadMs,
    searchIndexMs,
    bodyChars,
    documents: index.documentCount,
    samples: times.flat(),
    perQuery: spec.queries.map((/** @type {string} */ q, /** @type {number} */ i) => ({
      query: q,
      results: hits[i],
      matches: matches[i],
      medianMs: median(times[i]),
      p95Ms: percentile(times[i], 95),
      maxMs: Math.max(...times[i]),
      problems: [],
    })),
    serialiseMs,
    rawBytes: raw.length,
    gzipBytes: gzipSync(raw).length,
  };
}

// ---------------------------------------------------------------------------
// Parent side

/**
 * Runs `node bench/query.js --child <mode> <dir> [spec]` and returns what it reports.
 * @param {string} mode
 * @param {string} dir
 * @param {unknown} [spec]
 * @returns {Promise<ChildResult>}
 */
function spawnChild(mode, dir, spec) {
  const args = [mode, dir, ...(spec === undefined ? [] : [JSON.stringify(spec)])];
  return forkChild(
    SELF,
    args,
    (reason) =>
      /** @type {ChildResult} */ ({ mode, importMs: 0, loadMs: 0, maxRssKiB: 0, error: reason }),
  );
}

/**
 * Real ids of the generated tracker, read from its folders (no library needed), in a
 * fixed order so the query set is the same on every run.
 * @param {string} dir
 */
function pickIds(dir) {
  const stems = (/** @type {string} */ sub, /** @type {string} */ ext) =>
    readdirSync(path.join(dir, sub))
      .filter((f) => f.endsWith(ext))
      .map((f) => f.slice(0, -ext.length))
      .sort();
  const teams = stems("teams", ".yml");
  // Members of the first team: they are assigned most of their project's work.
  const team = teams[0];
  const members = readFileSync(path.join(dir, "teams", `${team}.yml`), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("  - "))
    .map((line) => line.slice(4).trim());
  const folders = readdirSync(path.join(dir, "projects")).sort();
  const keys = folders.map((f) => f.split("-")[0].toUpperCase());
  /** Active milestones of the first project, else any of its milestones. */
  const milestoneDir = path.join(dir, "projects", folders[0], "milestones");
  const milestones = readdirSync(milestoneDir)
    .filter((f) => f.endsWith(".md"))
    .map((f) => ({
      id: f.slice(0, -3),
      active: readFileSync(path.join(milestoneDir, f), "utf8").includes("\nstatus: active\n"),
    }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.id.localeCompare(b.id));
  const people = stems("people", ".yml");
  return {
    person: members[1] ?? people[0],
    me: members[2] ?? people[1] ?? people[0],
    team,
    keys,
    milestones: milestones.map((m) => m.id),
  };
}

/**
 * The fixed structured query set, with real ids.
 * @param {ReturnType<typeof pickIds>} ids
 * @returns {string[]}
 */
function structuredQueries(ids) {
  const [k1, k2 = k1] = ids.keys;
  const [m1, m2 = m1] = ids.milestones;
  const p = ids.person;
  return [
    "status:doing",
    `is:open assignee:${p}`,
    "label:bug,security -status:done",
    "priority:>=high is:open sort:-priority,due",
    "due:<2026-12-01 is:open",
    "is:blocked",
    `milestone:${m1} group:assignee`,
    `estimate:>3 project:${k1}`,
    "is:overdue sort:due",
    `team:${ids.team} is:open`,
    "assignee:@me is:open sort:-priority",
    "is:unassigned status:todo,backlog",
    "label:frontend priority:urgent,high is:open",
    "created:>=2026-01-01 -status:cancelled",
    "has:dependencies is:open",
    `project:${k2} group:status`,
    "status:doing,review sort:assignee",
    "due:this-week is:open",
    `start:<=${SYNTHETIC_TODAY} due:>=${SYNTHETIC_TODAY} is:open`,
    "is:open sort:-priority,due",
    `milestone:${m1},${m2} is:open group:label`,
    `-label:bug is:open assignee:${p},${ids.me} sort:-estimate`,
  ];
}

/**
 * SEARCH_QUERIES fixed queries of one to three words from the generator's vocabulary
 * (words of three letters or more), drawn with a seeded PRNG.
 * @returns {Promise<string[]>}
 */
async function searchQueries() {
  const { VOCABULARY, mulberry32 } = await import("./generate.js");
  const words = VOCABULARY.filter((w) => w.length >= 3);
  const random = mulberry32(SEARCH_SEED);
  /** @type {string[]} */
  const queries = [];
  while (queries.length < SEARCH_QUERIES) {
    const count = 1 + Math.floor(random() * 3);
    /** @type {string[]} */
    const picked = [];
    while (picked.length < count) {
      const w = words[Math.floor(random() * words.length)];
      if (!picked.includes(w)) picked.push(w);
    }
    queries.push(picked.join(" "));
  }
  return queries;
}

/**
 * Whether the CLI has a `list` command (it prints its own usage for `list --help`).
 * @returns {{ available: boolean, help: string }}
 */
function listCommand() {
  const r = spawnSync(process.execPath, [CLI_BIN, "list", "--help"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const help = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  return { available: r.status === 0 && /Usage: trackdown list\b/.test(help), help };
}

/**
 * Runs `trackdown list <query>` in the tracker's folder; times process start to exit.
 * @param {string} dir
 * @param {string} text
 * @returns {Promise<{ ms: number, code: number | null, lines: number, stderr: string }>}
 */
function runList(dir, text) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_BIN, "list", text], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      const ms = performance.now() - started;
      resolve({
        ms,
        code,
        lines: stdout.split("\n").filter((l) => l.trim() !== "").length,
        stderr,
      });
    });
  });
}

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
  const options = { sizes: [TARGETS.n], runs: 5, seed: 42, regen: false, list: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--quick") options.sizes = [1000];
    else if (a === "--sizes") options.sizes = value().split(",").map(Number);
    else if (a === "--runs") options.runs = Number(value());
    else if (a === "--seed") options.seed = Number(value());
    else if (a === "--regen") options.regen = true;
    else if (a === "--no-list") options.list = false;
    else if (a === "--modes") {
      // `npm run bench -- --modes …` hands bench/run.js's options to this script too.
      progress(`query bench: ignoring --modes ${value()} (an option of bench/run.js)`);
    } else if (a === "--help" || a === "-h") {
      console.log(
        "usage: node bench/query.js [--sizes 10000] [--quick] [--runs 5] [--seed 42] [--regen]\n" +
          "                           [--no-list]",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("bad --sizes");
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error("bad --runs");
  if (!Number.isInteger(options.seed)) throw new Error("bad --seed");
  return options;
}

/**
 * A duration for people: ms below a second, else seconds.
 * @param {number | undefined} ms
 */
function time(ms) {
  if (ms === undefined) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** @param {number} bytes */
function size(bytes) {
  return bytes >= 1048576
    ? `${(bytes / 1048576).toFixed(2)} MB`
    : `${(bytes / 1024).toFixed(0)} KB`;
}

/** @param {number[]} values */
function range(values) {
  return values.length === 0 ? "—" : `${time(Math.min(...values))} – ${time(Math.max(...values))}`;
}

/**
 * @param {string[]} argv
 */
async function main(argv) {
  const options = parseArgs(argv);
  if (!existsSync(DIST_ENTRY)) {
    console.error(
      `query bench: ${path.relative(process.cwd(), DIST_ENTRY)} is missing. Build first with ` +
        "`npm run build` (`npm run bench:query` does it).",
    );
    process.exit(1);
  }
  /** @type {string[]} */
  const warnings = [];
  /** @param {string} message */
  const warn = (message) => {
    warnings.push(message);
    progress(`warning: ${message}`);
  };
  let failed = false;
  const cli = options.list ? listCommand() : { available: false, help: "" };
  const searchSet = await searchQueries();
  const sections = [];

  for (const n of options.sizes) {
    const dir = await ensureTracker(n, options.seed, options.regen);
    const cacheDir = path.join(dir, ".trackdown");
    const ids = pickIds(dir);
    const spec = { today: SYNTHETIC_TODAY, me: ids.me, queries: structuredQueries(ids) };

    /**
     * @param {string} mode
     * @param {unknown} [childSpec]
     * @param {() => void} [before]
     * @returns {Promise<ChildResult[]>}
     */
    const measure = async (mode, childSpec, before) => {
      /** @type {ChildResult[]} */
      const runs = [];
      for (let r = 0; r < options.runs; r++) {
        before?.();
        const result = await spawnChild(mode, dir, childSpec);
        runs.push(result);
        if (result.error) {
          failed = true;
          warn(`N=${n} ${mode} #${r + 1} failed: ${result.error.split("\n")[0]}`);
        } else {
          const detail =
            mode === "cold"
              ? `load ${time(result.loadMs)}`
              : mode === "structured"
                ? `index ${time(result.indexMs)}, query median ${time(median(result.samples ?? []))}`
                : `text load ${time(result.textLoadMs)}, index ${time(result.searchIndexMs)}, ` +
                  `search median ${time(median(result.samples ?? []))}`;
          progress(`N=${n} ${mode} #${r + 1}: ${detail}`);
        }
        if (result.errors) warn(`N=${n} ${mode}: the tracker reported ${result.errors} errors`);
      }
      return runs.filter((r) => !r.error);
    };

    const cold = await measure("cold", undefined, () =>
      rmSync(cacheDir, { recursive: true, force: true }),
    );
    const prime = await spawnChild("prime", dir);
    if (prime.error) warn(`N=${n} prime failed: ${prime.error.split("\n")[0]}`);
    const structuredRuns = await measure("structured", spec);
    const fulltextRuns = await measure("fulltext", { queries: searchSet });

    for (const q of structuredRuns[0]?.perQuery ?? []) {
      if (q.results === 0) warn(`N=${n}: query "${q.query}" matched no task`);
    }

    /** @type {{ warm: number[], cold: number[], skipped?: string, query: string, lines?: number }} */
    const list = { warm: [], cold: [], query: `assignee:${ids.person} is:open` };
    if (!options.list) list.skipped = "skipped: --no-list";
    else if (!cli.available) list.skipped = "skipped: trackdown list not available";
    else {
      for (const kind of /** @type {const} */ (["cold", "warm"])) {
        if (kind === "warm") await runList(dir, list.query); // make sure the cache is written
        for (let r = 0; r < options.runs; r++) {
          if (kind === "cold") rmSync(cacheDir, { recursive: true, force: true });
          const run = await runList(dir, list.query);
          if (run.code !== 0) {
            failed = true;
            warn(`N=${n} list (${kind}) exited with ${run.code}: ${run.stderr.split("\n")[0]}`);
            continue;
          }
          list.lines = run.lines;
          list[kind].push(run.ms);
          progress(`N=${n} list ${kind} #${r + 1}: ${time(run.ms)}, ${run.lines} lines`);
        }
      }
    }
    if (list.skipped) progress(`N=${n} list: ${list.skipped}`);

    sections.push({
      n,
      dir,
      ids,
      structuredQueries: spec.queries,
      cold,
      prime,
      structured: structuredRuns,
      fulltext: fulltextRuns,
      list,
    });
  }

  // Markdown table on stdout.
  /** @param {boolean | undefined} ok */
  const mark = (ok) => (ok === undefined ? "—" : ok ? "✓" : "✗");
  const lines = [
    "| N tasks | measurement | median | p95 | runs (min – max) | target | met |",
    "|---:|---|---:|---:|---|---|:-:|",
  ];
  const summary = [];
  for (const s of sections) {
    const targeted = s.n === TARGETS.n;
    /**
     * @param {string} what
     * @param {number | undefined} med
     * @param {number | undefined} p95
     * @param {number[]} perRun
     * @param {string} target
     * @param {((ms: number) => boolean) | undefined} test
     */
    const row = (what, med, p95, perRun, target, test) => {
      const ok = !targeted || test === undefined ? undefined : med !== undefined && test(med);
      summary.push({ n: s.n, what, medianMs: med, p95Ms: p95, perRunMs: perRun, target, ok });
      lines.push(
        `| ${s.n.toLocaleString("en-US")} | ${what} | ${time(med)} | ${time(p95)} | ` +
          `${range(perRun)} | ${targeted ? target : "—"} | ${mark(ok)} |`,
      );
    };
    const coldMs = s.cold.map((r) => r.loadMs);
    row(
      "cold `openTracker` (the foundation, for reference)",
      median(coldMs),
      undefined,
      coldMs,
      "—",
    );
    const indexMs = s.structured.map((r) => r.indexMs ?? 0);
    row(
      "`indexTracker`, first call",
      median(indexMs),
      undefined,
      indexMs,
      `≤ ${TARGETS.indexMaxMs} ms`,
      (ms) => ms <= TARGETS.indexMaxMs,
    );
    const qSamples = s.structured.flatMap((r) => r.samples ?? []);
    row(
      `structured query (${s.structuredQueries.length} queries × ${QUERY_ROUNDS})`,
      qSamples.length ? median(qSamples) : undefined,
      qSamples.length ? percentile(qSamples, 95) : undefined,
      s.structured.map((r) => median(r.samples ?? [])),
      `median ≤ ${TARGETS.queryMedianMaxMs} ms`,
      (ms) => ms <= TARGETS.queryMedianMaxMs,
    );
    const buildMs = s.fulltext.map((r) => (r.textLoadMs ?? 0) + (r.searchIndexMs ?? 0));
    row(
      "full-text index, first `searchIndexFor` (with lazy body load)",
      median(buildMs),
      undefined,
      buildMs,
      `≤ ${TARGETS.searchIndexMaxMs / 1000} s`,
      (ms) => ms <= TARGETS.searchIndexMaxMs,
    );
    const sSamples = s.fulltext.flatMap((r) => r.samples ?? []);
    row(
      `search (${searchSet.length} queries × ${SEARCH_PASSES})`,
      sSamples.length ? median(sSamples) : undefined,
      sSamples.length ? percentile(sSamples, 95) : undefined,
      s.fulltext.map((r) => median(r.samples ?? [])),
      `median ≤ ${TARGETS.searchMedianMaxMs} ms`,
      (ms) => ms <= TARGETS.searchMedianMaxMs,
    );
    const f = s.fulltext[0];
    const sizeText = f?.rawBytes
      ? `${size(f.rawBytes)} raw, ${size(f.gzipBytes ?? 0)} gzipped`
      : "—";
    summary.push({
      n: s.n,
      what: "search index size",
      rawBytes: f?.rawBytes,
      gzipBytes: f?.gzipBytes,
    });
    lines.push(
      `| ${s.n.toLocaleString("en-US")} | serialised search index (\`toJSON()\`) | ${sizeText} | | | — | — |`,
    );
    for (const kind of /** @type {const} */ (["warm", "cold"])) {
      const what = `\`trackdown list '${s.list.query}'\`, cache ${kind}`;
      if (s.list.skipped) {
        lines.push(`| ${s.n.toLocaleString("en-US")} | ${what} | ${s.list.skipped} | | | — | — |`);
        continue;
      }
      const runs = s.list[kind];
      row(
        what,
        runs.length ? median(runs) : undefined,
        undefined,
        runs,
        `≤ ${TARGETS.listMaxMs / 1000} s`,
        (ms) => ms <= TARGETS.listMaxMs,
      );
    }
  }
  console.log(lines.join("\n"));
  const imports = sections
    .map((s) => {
      const all = [...s.cold, ...s.structured, ...s.fulltext];
      const rss = Math.max(0, ...all.map((r) => r.maxRssKiB)) / 1024;
      const t = s.fulltext.map((r) => r.textLoadMs ?? 0);
      const warmLoad = [...s.structured, ...s.fulltext].map((r) => r.loadMs);
      return (
        `N=${s.n.toLocaleString("en-US")}: warm-cache load ${time(median(warmLoad))}, ` +
        `lazy body load ${time(median(t))} of the full-text build, ` +
        `import ${time(median(all.map((r) => r.importMs)))}, peak RSS ${rss.toFixed(0)} MB`
      );
    })
    .join("; ");
  console.log(
    `\n${options.runs} fresh processes per measurement. Query and search medians and p95 pool ` +
      "every timed call of every run; other medians are over the runs. List runs time the whole " +
      "process, from spawn to exit. Not included above: " +
      `${imports}.`,
  );
  for (const s of sections) {
    // Common words match most tasks of a synthetic tracker (its bodies use ~200 words).
    const perQuery = s.fulltext.flatMap((r) => r.perQuery ?? []);
    const tasks = s.fulltext[0]?.tasks ?? s.n;
    const rare = perQuery.filter((q) => (q.matches ?? 0) <= tasks / 10).map((q) => q.medianMs);
    const common = perQuery.filter((q) => (q.matches ?? 0) > tasks / 10).map((q) => q.medianMs);
    if (rare.length > 0 && common.length > 0) {
      console.log(
        `Search by how much a query matches, N=${s.n.toLocaleString("en-US")}: median ` +
          `${time(median(rare))} for the ${rare.length / s.fulltext.length} queries matching ` +
          `≤ 10% of the tasks, ${time(median(common))} for the ` +
          `${common.length / s.fulltext.length} matching more.`,
      );
    }
  }
  if (cli.available === false && options.list) console.log("skipped: trackdown list not available");
  if (warnings.length > 0) console.log(`\nWarnings:\n${warnings.map((w) => `- ${w}`).join("\n")}`);

  // Raw results.
  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  const outFile = path.join(OUT_DIR, `query-${stamp}.json`);
  const report = {
    date: new Date().toISOString(),
    options,
    targets: TARGETS,
    today: SYNTHETIC_TODAY,
    searchQueries: searchSet,
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpu: os.cpus()[0]?.model,
      cpus: os.cpus().length,
      totalMemMB: Math.round(os.totalmem() / 1048576),
    },
    summary,
    // The pooled samples are summarised above; keep per-query figures, not every sample.
    results: sections.map((s) => ({
      ...s,
      structured: s.structured.map(({ samples: _, ...r }) => r),
      fulltext: s.fulltext.map(({ samples: _, ...r }) => r),
    })),
    warnings,
  };
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  progress(`raw results: ${path.relative(process.cwd(), outFile)}`);
  if (failed) process.exitCode = 1;
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  runChild(argv[1], argv[2], argv[3]).catch(async (err) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    await send({ mode: argv[1], importMs: 0, loadMs: 0, maxRssKiB: 0, error: message });
    process.exitCode = 1;
  });
} else {
  main(argv).catch((err) => {
    console.error(`query bench: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
