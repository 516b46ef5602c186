#!/usr/bin/env node
// The editing commands' speed (issue 7): `trackdown move` end to end on the synthetic
// trackers, as a user runs it (a fresh `node bin/trackdown.js move ID STATUS` process, from
// spawn to exit: start-up, reading the tracker with its parse cache, the checks of the
// planned change, the write), beside baselines measured in the same run:
//
//   node         `node -e ""`: what any Node command costs to start
//   check        `trackdown check` with the cache warm: reading and checking the tracker
//   move         `trackdown move ID doing`, then `move ID todo` back (alternating)
//   move --dry-run   the same, printing the patch instead of writing
//
//   npm run bench:edit                    build, then N = 1,000 and 10,000
//   node bench/edit.js --sizes 10000      chosen sizes (dist/ must be built)
//   node bench/edit.js --runs 9           measured runs per command (default 7)
//
// The trackers are copied to a temporary folder (the moves write to it) and the cache is
// built once before measuring, as on a developer's machine. The table goes to stdout,
// progress to stderr, raw numbers to bench/out/edit-<date>.json.

import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

import { BENCH_DIR, ensureTracker, median, OUT_DIR, progress } from "./common.js";

const CLI = path.join(BENCH_DIR, "..", "bin", "trackdown.js");
const TARGET_MS = 1000;

function parseArgs(argv) {
  const options = { sizes: [1000, 10000], runs: 7, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--sizes") options.sizes = value().split(",").map(Number);
    else if (arg === "--runs") options.runs = Number(value());
    else if (arg === "--seed") options.seed = Number(value());
    else throw new Error(`unknown option ${arg}`);
  }
  const whole = (n) => Number.isInteger(n) && n >= 1;
  if (!options.sizes.every(whole)) throw new Error("--sizes takes whole numbers, like 1000,10000");
  if (!whole(options.runs)) throw new Error("--runs takes a whole number, 1 or more");
  return options;
}

/** Wall time of one process, from spawn to exit, in ms; fails loudly on a non-zero exit. */
function timed(args, cwd, expectCode = 0) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = performance.now() - t0;
  if (r.status !== expectCode) {
    throw new Error(`${args.join(" ")} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return { ms, stdout: r.stdout };
}

/** Dates every file and folder below `dir` back to `when`. */
function ageFiles(dir, when) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) ageFiles(full, when);
    utimesSync(full, when, when);
  }
}

/** A task in todo with assignees: it may move to doing (which requires them) and back. */
function movableTask(dir) {
  const projects = path.join(dir, "projects");
  for (const project of readdirSync(projects).sort()) {
    const tasks = path.join(projects, project, "tasks");
    for (const name of readdirSync(tasks).sort()) {
      const text = readFileSync(path.join(tasks, name), "utf8");
      if (/^status: todo$/m.test(text) && /^assignees: \[[a-z]/m.test(text)) {
        return /^id: (\S+)$/m.exec(text)?.[1];
      }
    }
  }
  throw new Error(`no task in todo with assignees in ${dir}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const rows = [];
  const temp = mkdtempSync(path.join(os.tmpdir(), "trackdown-bench-edit-"));
  try {
    for (const n of options.sizes) {
      const source = await ensureTracker(n, options.seed, false);
      const dir = path.join(temp, `n${n}`);
      progress(`N=${n}: copying ${source}`);
      cpSync(source, dir, { recursive: true, filter: (src) => !src.includes(".trackdown") });
      // a checkout is older than a second: the parse cache does not trust files written in
      // the last moments (their next change could keep the same time stamp)
      ageFiles(dir, new Date(Date.now() - 3_600_000));
      // a git repository, as trackers are (new and fix-ids read its history; move does not)
      execFileSync("git", ["init", "-q"], { cwd: dir });
      const id = movableTask(dir);
      progress(`N=${n}: moving ${id}; building the cache`);
      timed([CLI, "check", "--max-warnings", "1000000"], dir);
      const raw = { node: [], check: [], move: [], dryRun: [] };
      for (let r = 0; r < options.runs; r++) {
        raw.node.push(timed(["-e", ""], dir).ms);
        raw.check.push(timed([CLI, "check", "--max-warnings", "1000000"], dir).ms);
        const to = r % 2 === 0 ? "doing" : "todo";
        const move = timed([CLI, "move", id, to], dir);
        if (!move.stdout.startsWith(`Moved ${id}`))
          throw new Error(`unexpected output: ${move.stdout}`);
        raw.move.push(move.ms);
        const back = r % 2 === 0 ? "todo" : "doing";
        raw.dryRun.push(timed([CLI, "move", id, back, "--dry-run"], dir).ms);
      }
      const row = {
        n,
        node: median(raw.node),
        check: median(raw.check),
        move: median(raw.move),
        moveMax: Math.max(...raw.move),
        dryRun: median(raw.dryRun),
        raw,
      };
      progress(
        `N=${n}: node ${row.node.toFixed(0)} ms, check ${row.check.toFixed(0)} ms, move ${row.move.toFixed(0)} ms (max ${row.moveMax.toFixed(0)}), dry run ${row.dryRun.toFixed(0)} ms`,
      );
      rows.push(row);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  const head = [
    "measurement",
    ...rows.map((r) => `${r.n.toLocaleString("en")} tasks`),
    "target (10,000)",
    "met",
  ];
  const big = rows.find((r) => r.n === 10000);
  const line = (label, pick, target = "—", met = "—") =>
    `| ${label} | ${rows.map((r) => pick(r)).join(" | ")} | ${target} | ${met} |`;
  const ms = (v) => `${Math.round(v)} ms`;
  const out = [
    `| ${head.join(" | ")} |`,
    `|---|${rows.map(() => "---:").join("|")}|---|:-:|`,
    line('baseline: `node -e ""` (start-up alone)', (r) => ms(r.node)),
    line("baseline: `trackdown check` (cache warm)", (r) => ms(r.check)),
    line(
      "`trackdown move ID STATUS`, end to end",
      (r) => `${ms(r.move)} (max ${ms(r.moveMax)})`,
      `≤ ${TARGET_MS} ms`,
      big === undefined ? "—" : big.move <= TARGET_MS ? "✓" : "✗",
    ),
    line("`trackdown move ID STATUS --dry-run`", (r) => ms(r.dryRun)),
  ];
  process.stdout.write(`${out.join("\n")}\n\n`);
  process.stdout.write(
    `Median of ${options.runs} fresh processes each, wall time from spawn to exit; the tracker's parse cache is warm (built once before measuring). Load average at the end: ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores.\n`,
  );
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(
    path.join(OUT_DIR, `edit-${new Date().toISOString().slice(0, 10)}.json`),
    JSON.stringify(rows, null, 2),
  );
}

await main();
