#!/usr/bin/env node
// Benchmarks for the history issue, on the synthetic repository of bench/history.js:
// the full first-parent history, a diff across 200 commits, beside the git floor
// (git log --first-parent --raw + git cat-file --batch) measured in the same run.
// Each measurement runs in a fresh process; the table is printed to stdout.
//
//   node bench/history-run.js [--runs 3]          (npm run bench:history builds first)
import { execFileSync, fork } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULTS, ensureHistoryRepo, historyFloor } from "./history.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(HERE, "..", "dist", "node", "index.js");

/** One measurement, in this (child) process. */
async function child(mode, dir) {
  if (mode === "floor") return historyFloor(dir);
  const lib = await import(pathToFileURL(DIST).href);
  const tracker = path.join(dir, "tracker");
  const t0 = performance.now();
  if (mode === "rerun") {
    // dir is a clone whose history cache was written before its newest commit
    const h = await lib.loadTrackerHistory(path.join(dir, "tracker"));
    return { ms: performance.now() - t0, commits: h.commits.length };
  }
  if (mode === "history") {
    // cold: no history cache (the file cache would make this a re-run)
    const h = await lib.loadTrackerHistory(tracker, { cache: false });
    const ms = performance.now() - t0;
    const changes = h.commits.reduce((n, c) => n + c.changes.length, 0);
    // every report once history is loaded (the first one also replays the history)
    const dist = (file) => pathToFileURL(path.join(HERE, "..", "dist", ...file.split("/"))).href;
    const reports = await import(dist("core/reports/flow.js"));
    const { workingTreeSettings } = await import(dist("node/git.js"));
    const settings = workingTreeSettings(tracker);
    const milestones = h.commits.flatMap((c) => c.changes.map((ch) => ch.state?.milestone));
    const milestone = milestones.find((m) => typeof m === "string");
    const time = (f) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    const reportMs = {
      "cycle-time": time(() => reports.flowTimes(h, settings)),
      throughput: time(() => reports.throughput(h, settings)),
      cfd: time(() => reports.cumulativeFlow(h, settings)),
      burndown: time(() => reports.burnChart(h, settings, milestone)),
    };
    return {
      ms,
      commits: h.commits.length,
      changes,
      reportMs,
      rssMB: process.resourceUsage().maxRSS / 1024,
    };
  }
  const changes = await lib.diffRevisions(tracker, "HEAD~200", "HEAD");
  return {
    ms: performance.now() - t0,
    changes: changes.length,
    rssMB: process.resourceUsage().maxRSS / 1024,
  };
}

function inChild(mode, dir) {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ["--child", mode, dir], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    proc.once("message", resolve);
    proc.once("exit", (code) =>
      code === 0 ? undefined : reject(new Error(`${mode} exited with ${code}`)),
    );
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function main(argv) {
  if (argv[0] === "--child") {
    const result = await child(argv[1], argv[2]);
    process.send(result, () => process.disconnect());
    return;
  }
  const runs = Number(argv[argv.indexOf("--runs") + 1]) || 3;
  const { dir } = await ensureHistoryRepo(DEFAULTS);
  const measure = async (mode) => {
    const results = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`${mode} ${i + 1}/${runs}\n`);
      results.push(await inChild(mode, dir));
    }
    return results;
  };
  const floor = await measure("floor");
  const history = await measure("history");
  const diff = await measure("diff");
  // re-run after one new commit: a clone, its history cached, then one more commit
  const clone = mkdtempSync(path.join(tmpdir(), "trackdown-rerun-"));
  const gitIn = (args) =>
    execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], {
      cwd: clone,
      stdio: "ignore",
    });
  execFileSync("git", ["clone", "-q", dir, clone], { stdio: "ignore" });
  const rerun = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`rerun ${i + 1}/${runs}\n`);
    await inChild("rerun", clone); // writes (or updates) the cache
    const tasks = path.join(clone, "tracker", "projects");
    const project = readdirSync(tasks)[0];
    const file = path.join(
      tasks,
      project,
      "tasks",
      readdirSync(path.join(tasks, project, "tasks"))[i],
    );
    writeFileSync(file, readFileSync(file, "utf8").replace(/^priority: .*$/m, "priority: urgent"));
    gitIn(["commit", "-q", "-am", `bench edit ${i}`]);
    rerun.push(await inChild("rerun", clone));
  }
  rmSync(clone, { recursive: true, force: true });
  const rerunMs = median(rerun.map((r) => r.ms));
  const floorMs = median(floor.map((r) => r.totalMs ?? r.ms ?? r.wallMs));
  const historyMs = median(history.map((r) => r.ms));
  const diffMs = median(diff.map((r) => r.ms));
  const rows = [
    ["floor: git log --first-parent --raw + git cat-file --batch", secs(floorMs), "—", "—"],
    [
      `full first-parent history, cold (${history[0].commits} commits, ${history[0].changes} changes)`,
      secs(historyMs),
      `≤ 20 s, ≤ 5× floor (${(historyMs / floorMs).toFixed(1)}×)`,
      historyMs <= 20_000 && historyMs <= 5 * floorMs ? "✓" : "✗",
    ],
    [
      `diff HEAD~200..HEAD (${diff[0].changes} changes)`,
      secs(diffMs),
      "≤ 0.5 s",
      diffMs <= 500 ? "✓" : "✗",
    ],
    [
      "history again after one new commit (cached)",
      secs(rerunMs),
      "≤ 1 s",
      rerunMs <= 1000 ? "✓" : "✗",
    ],
    ...Object.keys(history[0].reportMs).map((name) => {
      const ms = median(history.map((r) => r.reportMs[name]));
      return [
        `report ${name}, history loaded`,
        `${ms.toFixed(0)} ms`,
        "≤ 200 ms",
        ms <= 200 ? "✓" : "✗",
      ];
    }),
  ];
  console.log(
    `History on ${DEFAULTS.tasks.toLocaleString("en")} tasks and ${DEFAULTS.commits.toLocaleString("en")} commits (median of ${runs} fresh processes)\n`,
  );
  console.log("| measurement | median | target | met |");
  console.log("|---|---:|---|:-:|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
