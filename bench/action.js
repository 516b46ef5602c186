#!/usr/bin/env node
// The pull-request check against the 10,000-task synthetic repository (bench/history.js):
// a branch off main that moves, reassigns, re-estimates and creates tasks, checked by the
// committed Action bundle run as the runner runs it (node action/dist/index.js with an
// event payload), beside a plain `trackdown check` of the same checkout in the same run.
// Each measurement is a fresh process, wall time from start to exit; median of --runs.
//
//   node bench/action.js [--runs 3]          (npm run bench:action builds first)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BENCH_DIR, median } from "./common.js";
import { DEFAULTS, ensureHistoryRepo } from "./history.js";

const ROOT = path.join(BENCH_DIR, "..");
const BUNDLE = path.join(ROOT, "action", "dist", "index.js");
const CLI = path.join(ROOT, "bin", "trackdown.js");

function git(cwd, args) {
  return execFileSync(
    "git",
    ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "gc.auto=0", ...args],
    { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  ).trim();
}

/** A clone of the history repository with a pull request's branch: base and head commits. */
function preparePullRequest(source) {
  const dir = mkdtempSync(path.join(tmpdir(), "trackdown-bench-action-"));
  git(tmpdir(), ["clone", "-q", source, dir]);
  const base = git(dir, ["rev-parse", "HEAD"]);
  git(dir, ["checkout", "-q", "-b", "feature"]);
  const projects = path.join(dir, "tracker", "projects");
  const project = readdirSync(projects).sort()[0];
  const tasks = path.join(projects, project, "tasks");
  const files = readdirSync(tasks).sort().slice(0, 12);
  // a dozen edits a pull request might carry: moves, re-estimates, priorities
  files.forEach((name, i) => {
    const file = path.join(tasks, name);
    let text = readFileSync(file, "utf8");
    if (i % 3 === 0) text = text.replace(/^priority: .*$/m, "priority: high");
    if (i % 3 === 1) text = text.replace(/^estimate: .*$/m, "estimate: 5");
    if (i % 3 === 2) text = text.replace(/^title: (.*)$/m, "title: $1 (revised)");
    writeFileSync(file, text);
  });
  git(dir, ["commit", "-q", "-am", "Plan the next sprint"]);
  const head = git(dir, ["rev-parse", "HEAD"]);
  const author = /^github: (.+)$/m.exec(
    readFileSync(
      path.join(dir, "tracker", "people", readdirSync(path.join(dir, "tracker", "people"))[0]),
      "utf8",
    ),
  )?.[1];
  return { dir, base, head, author: author ?? "someone" };
}

function timed(command, args, options) {
  const t0 = performance.now();
  const result = spawnSync(command, args, { ...options, encoding: "utf8" });
  return { ms: performance.now() - t0, status: result.status, stdout: result.stdout };
}

function runAction(pr) {
  const temp = mkdtempSync(path.join(tmpdir(), "trackdown-bench-runner-"));
  const event = path.join(temp, "event.json");
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: {
        number: 1,
        user: { login: pr.author },
        base: { sha: pr.base, repo: { full_name: "bench/plan" } },
        head: { sha: pr.head, repo: { full_name: "bench/plan" } },
      },
    }),
  );
  writeFileSync(path.join(temp, "out"), "");
  writeFileSync(path.join(temp, "summary"), "");
  const result = timed(process.execPath, [BUNDLE], {
    cwd: pr.dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_WORKSPACE: pr.dir,
      GITHUB_EVENT_PATH: event,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_REPOSITORY: "bench/plan",
      GITHUB_OUTPUT: path.join(temp, "out"),
      GITHUB_STEP_SUMMARY: path.join(temp, "summary"),
      RUNNER_TEMP: temp,
      INPUT_MODE: "check",
      INPUT_TRACKER: "tracker",
    },
  });
  const outputs = readFileSync(path.join(temp, "out"), "utf8");
  rmSync(temp, { recursive: true, force: true });
  return { ...result, changes: /changes<<(\S+)\n(.*)\n/.exec(outputs)?.[2] };
}

async function main(argv) {
  const runs = Number(argv[argv.indexOf("--runs") + 1]) || 3;
  const { dir: source } = await ensureHistoryRepo(DEFAULTS);
  const pr = preparePullRequest(source);
  try {
    const action = [];
    const check = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`run ${i + 1}/${runs}\n`);
      action.push(runAction(pr));
      check.push(
        timed(process.execPath, [CLI, "check", "tracker", "--no-cache"], {
          cwd: pr.dir,
          env: process.env,
        }),
      );
    }
    const changes = JSON.parse(action[0].changes ?? "[]").length;
    const actionMs = median(action.map((r) => r.ms));
    const checkMs = median(check.map((r) => r.ms));
    const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`Pull-request check on 10,000 tasks (median of ${runs} fresh processes)\n`);
    console.log("| measurement | median | target | met |");
    console.log("|---|---:|---|:-:|");
    console.log(
      `| baseline: \`trackdown check tracker --no-cache\` (one snapshot) | ${secs(checkMs)} | — | — |`,
    );
    console.log(
      `| the Action, mode: check (base and head snapshots, ${changes} changes, rules, summary) | ${secs(actionMs)} | ≤ 5 s | ${actionMs <= 5000 ? "✓" : "✗"} |`,
    );
    console.log(
      `\nExit codes: action ${action.map((r) => r.status).join(", ")}; check ${check.map((r) => r.status).join(", ")}.`,
    );
  } finally {
    rmSync(pr.dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
