#!/usr/bin/env node
// Trackdown load benchmark. See bench/README.md.
//
//   npm run bench                          build, then N = 1,000, 10,000 and 50,000
//   node bench/run.js --sizes 1000,10000   other sizes (dist/ must be built)
//   node bench/run.js --quick              N = 1,000 only
//   node bench/run.js --modes floor        only the YAML floor (no dist/ needed)
//
// Every measurement runs in a fresh child process (`node bench/run.js --child <mode> <dir>`)
// so that timings are cold (nothing cached in the V8 heap) and peak RSS belongs to that
// measurement alone.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { DIST_ENTRY, ensureTracker, forkChild, median, OUT_DIR, progress, send } from "./common.js";

const SELF = fileURLToPath(import.meta.url);

const DEFAULT_SIZES = [1000, 10000, 50000];
const ALL_MODES = ["floor", "cold", "warm"];

/** Targets from the performance issue. */
const TARGETS = {
  /** N the time targets apply to. */
  timeN: 10000,
  coldMaxS: 1.0,
  coldMaxFloorRatio: 2,
  warmMaxS: 0.4,
  /** N the memory target applies to. */
  rssN: 50000,
  rssMaxMB: 400,
};

/**
 * @typedef {object} ChildResult
 * @property {string} mode floor | cold | prime | warm
 * @property {number} importMs time to import js-yaml (floor) or dist/node/index.js
 * @property {number} loadMs time of the measured load only
 * @property {number} maxRssKiB peak resident set size of the child, KiB
 * @property {number} bootMs time from process start to the start of the child's code
 * @property {number} [files] floor: files read
 * @property {number} [chars] floor: characters read (= bytes for ASCII trackers)
 * @property {number} [tasks] tracker.tasks.length
 * @property {number} [diagnostics] tracker.diagnostics.length
 * @property {number} [errors] diagnostics with severity error
 * @property {number} [warnings] diagnostics with severity warning
 * @property {{ code: string, file: string, line?: number, message: string }[]} [firstErrors]
 * @property {string} [error] set when the child failed
 */

// ---------------------------------------------------------------------------
// Child side

/**
 * Every .md and .yml file under dir, skipping dot folders (.trackdown, .git).
 * @param {string} dir
 * @param {string[]} out
 * @returns {string[]}
 */
function listFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".")) listFiles(p, out);
    } else if (entry.isFile() && (entry.name.endsWith(".md") || entry.name.endsWith(".yml"))) {
      out.push(p);
    }
  }
  return out;
}

/**
 * The floor: read and YAML-parse every file, no validation, no model.
 * @param {{ load: (text: string, options: object) => unknown, CORE_SCHEMA: unknown }} yaml
 * @param {string} dir
 */
function floorLoad(yaml, dir) {
  const files = listFiles(dir);
  let chars = 0;
  /** @type {{ file: string, data: unknown, body: string }[]} */
  const docs = [];
  const options = { schema: yaml.CORE_SCHEMA };
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    chars += text.length;
    if (file.endsWith(".md")) {
      if (!text.startsWith("---\n")) {
        docs.push({ file, data: null, body: text });
        continue;
      }
      const end = text.indexOf("\n---", 3);
      if (end < 0) throw new Error(`${file}: unterminated front matter`);
      const afterClose = text.indexOf("\n", end + 4);
      docs.push({
        file,
        data: yaml.load(text.slice(4, end + 1), options),
        body: afterClose < 0 ? "" : text.slice(afterClose + 1),
      });
    } else {
      docs.push({ file, data: yaml.load(text, options), body: "" });
    }
  }
  return { files: files.length, chars, docs };
}

/**
 * Runs one measurement and sends the result to the parent.
 * @param {string} mode
 * @param {string} dir
 */
async function runChild(mode, dir) {
  const bootMs = performance.now();
  /** @type {ChildResult} */
  let result;
  if (mode === "floor") {
    const t0 = performance.now();
    const { default: yaml } = await import("js-yaml");
    const importMs = performance.now() - t0;
    const t1 = performance.now();
    const { files, chars, docs } = floorLoad(yaml, dir);
    const loadMs = performance.now() - t1;
    result = { mode, importMs, loadMs, bootMs, files, chars, maxRssKiB: 0 };
    if (docs.length !== files) throw new Error("floor lost documents");
  } else if (mode === "cold" || mode === "prime" || mode === "warm") {
    const t0 = performance.now();
    const { loadTracker } = await import(pathToFileURL(DIST_ENTRY).href);
    const importMs = performance.now() - t0;
    const t1 = performance.now();
    const tracker = await loadTracker(dir, { cache: mode !== "cold" });
    const loadMs = performance.now() - t1;
    /** @type {{ code: string, severity: string, message: string, file: string, line?: number }[]} */
    const diagnostics = tracker.diagnostics;
    const errors = diagnostics.filter((d) => d.severity === "error");
    result = {
      mode,
      importMs,
      loadMs,
      bootMs,
      maxRssKiB: 0,
      tasks: tracker.tasks.length,
      diagnostics: diagnostics.length,
      errors: errors.length,
      warnings: diagnostics.filter((d) => d.severity === "warning").length,
      firstErrors: errors
        .slice(0, 3)
        .map((d) => ({ code: d.code, file: d.file, line: d.line, message: d.message })),
    };
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  result.maxRssKiB = process.resourceUsage().maxRSS;
  await send(result);
}

// ---------------------------------------------------------------------------
// Parent side

/**
 * Runs `node bench/run.js --child <mode> <dir>` and returns what it reports.
 * @param {string} mode
 * @param {string} dir
 * @returns {Promise<ChildResult>}
 */
function spawnChild(mode, dir) {
  return forkChild(
    SELF,
    [mode, dir],
    (reason) =>
      /** @type {ChildResult} */ ({
        mode,
        importMs: 0,
        loadMs: 0,
        bootMs: 0,
        maxRssKiB: 0,
        error: reason,
      }),
  );
}

/**
 * Median time (s), max RSS (MB) and the raw runs of one mode.
 * @param {ChildResult[]} runs
 */
function summarize(runs) {
  const ok = runs.filter((r) => !r.error);
  if (ok.length === 0) return { runs, error: runs[0]?.error ?? "no runs" };
  return {
    runs,
    medianS: median(ok.map((r) => r.loadMs)) / 1000,
    medianImportMs: median(ok.map((r) => r.importMs)),
    maxRssMB: Math.max(...ok.map((r) => r.maxRssKiB)) / 1024,
    error: ok.length < runs.length ? runs.find((r) => r.error)?.error : undefined,
  };
}

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
  const options = {
    sizes: DEFAULT_SIZES,
    runs: 3,
    seed: 42,
    modes: ALL_MODES,
    regen: false,
  };
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
    else if (a === "--modes") options.modes = value().split(",");
    else if (a === "--regen") options.regen = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: node bench/run.js [--sizes 1000,10000,50000] [--quick] [--runs 3] [--seed 42]\n" +
          "                         [--modes floor,cold,warm] [--regen]",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("bad --sizes");
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error("bad --runs");
  if (!Number.isInteger(options.seed)) throw new Error("bad --seed");
  for (const m of options.modes) if (!ALL_MODES.includes(m)) throw new Error(`unknown mode ${m}`);
  return options;
}

/** @param {number} n */
const int = (n) => Math.round(n).toLocaleString("en-US");
/** @param {number | undefined} s */
const secs = (s) => (s === undefined ? "—" : s.toFixed(3));
/** @param {boolean} ok */
const mark = (ok) => (ok ? "✓" : "✗");

/**
 * @param {string[]} argv
 */
async function main(argv) {
  const options = parseArgs(argv);
  const needsDist = options.modes.some((m) => m !== "floor");
  if (needsDist && !existsSync(DIST_ENTRY)) {
    console.error(
      `bench: ${path.relative(process.cwd(), DIST_ENTRY)} is missing. Build first with ` +
        "`npm run build` (`npm run bench` does it), or run only the floor with `--modes floor`.",
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
  const rows = [];
  let failed = false;

  for (const n of options.sizes) {
    const dir = await ensureTracker(n, options.seed, options.regen);
    const cacheDir = path.join(dir, ".trackdown");
    /** @type {Record<string, ReturnType<typeof summarize>>} */
    const modes = {};
    /** @type {ChildResult | undefined} */
    let prime;

    /**
     * @param {string} mode child mode
     * @param {() => void} [before] runs in the parent before each child
     */
    const measure = async (mode, before) => {
      /** @type {ChildResult[]} */
      const runs = [];
      for (let r = 0; r < options.runs; r++) {
        before?.();
        const result = await spawnChild(mode, dir);
        runs.push(result);
        progress(
          `N=${n} ${mode} #${r + 1}: ` +
            (result.error
              ? `FAILED: ${result.error}`
              : `${(result.loadMs / 1000).toFixed(3)} s, ${(result.maxRssKiB / 1024).toFixed(0)} MB`),
        );
      }
      return summarize(runs);
    };

    /**
     * Warns when a load reported error diagnostics or a wrong task count.
     * @param {string} mode
     * @param {ChildResult[]} runs
     */
    const checkDiagnostics = (mode, runs) => {
      const r = runs.find((x) => !x.error);
      if (!r) return;
      if (r.errors) {
        const first = (r.firstErrors ?? [])
          .map((d) => `${d.code} ${d.file}${d.line ? `:${d.line}` : ""}: ${d.message}`)
          .join("; ");
        warn(`N=${n} ${mode}: tracker reported ${r.errors} error diagnostics, first: ${first}`);
      }
      if (r.tasks !== n) warn(`N=${n} ${mode}: tracker.tasks.length is ${r.tasks}, expected ${n}`);
    };

    if (options.modes.includes("floor")) modes.floor = await measure("floor");
    if (options.modes.includes("cold")) {
      modes.cold = await measure("cold", () => rmSync(cacheDir, { recursive: true, force: true }));
      checkDiagnostics("cold", modes.cold.runs);
    }
    if (options.modes.includes("warm")) {
      rmSync(cacheDir, { recursive: true, force: true });
      prime = await spawnChild("prime", dir);
      if (prime.error) progress(`N=${n} prime: FAILED: ${prime.error}`);
      else progress(`N=${n} prime (cache build): ${(prime.loadMs / 1000).toFixed(3)} s`);
      if (!prime.error && !existsSync(path.join(cacheDir, "cache"))) {
        warn(`N=${n} warm: ${path.join(cacheDir, "cache")} does not exist after the priming load`);
      }
      modes.warm = await measure("warm");
      checkDiagnostics("warm", modes.warm.runs);
    }

    for (const [mode, s] of Object.entries(modes)) {
      if (s.error) {
        failed = true;
        warn(`N=${n} ${mode} failed: ${s.error.split("\n")[0]}`);
      }
    }

    const files = modes.floor?.runs.find((r) => !r.error)?.files ?? listFiles(dir).length;
    const chars = modes.floor?.runs.find((r) => !r.error)?.chars;
    const floorS = modes.floor?.medianS;
    const coldS = modes.cold?.medianS;
    const warmS = modes.warm?.medianS;
    const coldRss = modes.cold?.maxRssMB;

    /**
     * undefined when the mode was not run, false when it failed.
     * @param {ReturnType<typeof summarize> | undefined} s
     * @param {(s: number) => boolean} test
     */
    const check = (s, test) => {
      if (!s) return undefined;
      if (s.medianS === undefined) return false;
      return test(s.medianS);
    };
    /** @type {{ name: string, ok: boolean | undefined }[]} */
    const targets = [];
    if (n === TARGETS.timeN) {
      targets.push({
        name: `cold ≤ ${TARGETS.coldMaxS} s`,
        ok: check(modes.cold, (s) => s <= TARGETS.coldMaxS),
      });
      targets.push({
        name: `cold ≤ ${TARGETS.coldMaxFloorRatio}× floor`,
        ok:
          floorS === undefined
            ? undefined
            : check(modes.cold, (s) => s <= TARGETS.coldMaxFloorRatio * floorS),
      });
      targets.push({
        name: `warm ≤ ${TARGETS.warmMaxS} s`,
        ok: check(modes.warm, (s) => s <= TARGETS.warmMaxS),
      });
    }
    if (n === TARGETS.rssN) {
      targets.push({
        name: `RSS ≤ ${TARGETS.rssMaxMB} MB`,
        ok: modes.cold ? coldRss !== undefined && coldRss <= TARGETS.rssMaxMB : undefined,
      });
    }

    rows.push({
      n,
      dir,
      files,
      chars,
      floorS,
      coldS,
      warmS,
      coldOverFloor: coldS !== undefined && floorS ? coldS / floorS : undefined,
      tasksPerS: coldS ? n / coldS : undefined,
      coldRssMB: coldRss,
      targets,
      prime,
      modes,
    });
  }

  // Markdown table on stdout.
  const lines = [
    "| N tasks | files | floor (s) | cold openTracker (s) | cold/floor | tasks/s (cold) | warm (s) | peak RSS cold (MB) | targets met |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const targets =
      r.targets.length === 0
        ? "—"
        : r.targets.map((t) => `${t.name} ${t.ok === undefined ? "?" : mark(t.ok)}`).join(", ");
    lines.push(
      `| ${int(r.n)} | ${int(r.files)} | ${secs(r.floorS)} | ${secs(r.coldS)} | ` +
        `${r.coldOverFloor === undefined ? "—" : `${r.coldOverFloor.toFixed(2)}×`} | ` +
        `${r.tasksPerS === undefined ? "—" : int(r.tasksPerS)} | ${secs(r.warmS)} | ` +
        `${r.coldRssMB === undefined ? "—" : r.coldRssMB.toFixed(0)} | ${targets} |`,
    );
  }
  console.log(lines.join("\n"));
  console.log(
    `\nMedian of ${options.runs} fresh processes per cell; peak RSS is the max over the cold runs. ` +
      `Targets: 10,000 tasks cold ≤ ${TARGETS.coldMaxS} s and ≤ ${TARGETS.coldMaxFloorRatio}× floor, ` +
      `warm ≤ ${TARGETS.warmMaxS} s; 50,000 tasks peak RSS ≤ ${TARGETS.rssMaxMB} MB.`,
  );
  const importLine = rows
    .map((r) => {
      const parts = Object.entries(r.modes)
        .filter(([, s]) => s.medianImportMs !== undefined)
        .map(([mode, s]) => `${mode} ${s.medianImportMs?.toFixed(0)} ms`);
      const primeS =
        r.prime && !r.prime.error ? `, cache build ${secs(r.prime.loadMs / 1000)} s` : "";
      return parts.length > 0 ? `N=${int(r.n)}: ${parts.join(", ")}${primeS}` : "";
    })
    .filter(Boolean)
    .join("; ");
  if (importLine) console.log(`Import times (not included above): ${importLine}.`);
  const rssLine = rows
    .map((r) => {
      const parts = Object.entries(r.modes)
        .filter(([, s]) => s.maxRssMB !== undefined)
        .map(([mode, s]) => `${mode} ${s.maxRssMB?.toFixed(0)} MB`);
      return parts.length > 0 ? `N=${int(r.n)}: ${parts.join(", ")}` : "";
    })
    .filter(Boolean)
    .join("; ");
  if (rssLine) console.log(`Peak RSS by mode: ${rssLine}.`);
  if (warnings.length > 0) {
    console.log(`\nWarnings:\n${warnings.map((w) => `- ${w}`).join("\n")}`);
  }

  // Raw results.
  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  const outFile = path.join(OUT_DIR, `results-${stamp}.json`);
  const report = {
    date: new Date().toISOString(),
    options,
    targets: TARGETS,
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpu: os.cpus()[0]?.model,
      cpus: os.cpus().length,
      totalMemMB: Math.round(os.totalmem() / 1048576),
    },
    results: rows,
    warnings,
  };
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  progress(`raw results: ${path.relative(process.cwd(), outFile)}`);
  if (failed) process.exitCode = 1;
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  runChild(argv[1], argv[2]).catch(async (err) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    await send({ mode: argv[1], importMs: 0, loadMs: 0, bootMs: 0, maxRssKiB: 0, error: message });
    process.exitCode = 1;
  });
} else {
  main(argv).catch((err) => {
    console.error(`bench: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
