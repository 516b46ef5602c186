#!/usr/bin/env node
// `trackdown watch` on the synthetic 10,000-task tracker: how long after one file's save
// the watch prints its report, beside a full re-check in the same run. See bench/README.md.
//
//   npm run bench:watch                     build, then N = 10,000, 20 saves per kind
//   node bench/watch.js --saves 50          more saves (dist/ must be built)
//   node bench/watch.js --tasks 1000        another size
//
// The tracker (bench/generate.js, cached by bench/common.js) is copied to a temporary
// folder, the watch runs in this process, and one task file is saved again and again:
// its title changed, a reference broken and fixed, an atomic save (temp file renamed over
// it), a dependency added and removed (the cycle search runs). Each save is timed from the
// watcher's event to the report written (to /dev/null, as a terminal would get it), split
// into the debounce the watch waits for and its own work after it.

import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, DIST_ENTRY, ensureTracker, median, OUT_DIR, progress } from "./common.js";

const WATCH_CLI = path.join(BENCH_DIR, "..", "dist", "cli", "commands", "watch.js");
/** The issue's target: a report after one save within 50 ms of the watch's own work. */
const TARGET_MS = 50;

function parseArgs(argv) {
  const options = { tasks: 10000, seed: 42, saves: 20, debounce: 75, fullRuns: 3, regen: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => Number(argv[++i]);
    if (arg === "--tasks") options.tasks = value();
    else if (arg === "--seed") options.seed = value();
    else if (arg === "--saves") options.saves = value();
    else if (arg === "--debounce") options.debounce = value();
    else if (arg === "--full-runs") options.fullRuns = value();
    else if (arg === "--regen") options.regen = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** The value at a fraction of the sorted values (nearest rank). */
function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

const ms = (x) => (x === undefined ? "—" : x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { loadTracker, watchTracker } = await import(pathToFileURL(DIST_ENTRY).href);
  const { watchOutput } = await import(pathToFileURL(WATCH_CLI).href);
  const source = await ensureTracker(options.tasks, options.seed, options.regen);
  const dir = mkdtempSync(path.join(os.tmpdir(), "trackdown-bench-watch-"));
  cpSync(source, dir, { recursive: true, filter: (src) => !src.includes(".trackdown") });
  progress(`copied the tracker to ${dir}`);

  // the baseline, in this same process: a full check without the parse cache, and with it
  // after one save (one file changed since the cache was written: what `trackdown check`
  // costs after each save)
  const full = { cold: [], cached: [] };
  const firstTasks = path.join(
    dir,
    "projects",
    readdirSync(path.join(dir, "projects")).sort()[0],
    "tasks",
  );
  const touched = path.join(firstTasks, readdirSync(firstTasks).sort()[1]);
  const touchedText = readFileSync(touched, "utf8");
  for (let i = 0; i < options.fullRuns; i++) {
    let t0 = performance.now();
    await loadTracker(dir, { cache: false });
    full.cold.push(performance.now() - t0);
    if (i === 0) await loadTracker(dir, { cache: true }); // writes the cache
    writeFileSync(touched, touchedText.replace(/^title: (.*)$/m, `title: $1 (${i})`));
    t0 = performance.now();
    await loadTracker(dir, { cache: true });
    full.cached.push(performance.now() - t0);
  }
  writeFileSync(touched, touchedText);
  progress(
    `full check: ${ms(median(full.cold))} without the cache, ${ms(median(full.cached))} with it`,
  );

  const sink = openSync(os.devNull, "w");
  const io = {
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: { write: (s) => writeSync(sink, s) },
    stderr: { write: (s) => writeSync(sink, s) },
  };
  const output = watchOutput(io, (f) => f, "text");
  /** @type {((sample: object) => void) | undefined} */
  let waiting;
  const t0 = performance.now();
  const watch = await watchTracker(dir, {
    debounceMs: options.debounce,
    onBatch: (batch) => {
      io.stdout.write(output.batch(batch, watch.check));
      const printed = performance.now();
      waiting?.({
        ...batch.timing,
        printed,
        paths: batch.paths,
        work: watch.check.lastWork,
        added: batch.delta.added.length,
        removed: batch.delta.removed.length,
      });
    },
  });
  io.stdout.write(output.start(watch.check));
  const startMs = performance.now() - t0;
  progress(`watching: first check and watcher ready in ${ms(startMs)}`);

  const tasksDir = path.join(
    dir,
    "projects",
    readdirSync(path.join(dir, "projects")).sort()[0],
    "tasks",
  );
  const name = readdirSync(tasksDir).sort()[5];
  const file = path.join(tasksDir, name);
  const original = readFileSync(file, "utf8");
  const otherId = /^id: (.+)$/m.exec(
    readFileSync(path.join(tasksDir, readdirSync(tasksDir).sort()[0]), "utf8"),
  )[1];
  // a reference that does not resolve, in place of the task's milestone (or added)
  const brokenMilestone = /^milestone: /m.test(original)
    ? original.replace(/^milestone: .*$/m, "milestone: no-such-milestone")
    : original.replace(/^title:/m, "milestone: no-such-milestone\ntitle:");
  const config = path.join(dir, "trackdown.yml");
  const configText = readFileSync(config, "utf8");
  const kinds = [
    {
      kind: "title changed",
      save: (i) => writeFileSync(file, original.replace(/^title: (.*)$/m, `title: $1 (${i})`)),
    },
    {
      kind: "reference broken, then fixed",
      save: (i) => writeFileSync(file, i % 2 === 0 ? brokenMilestone : original),
    },
    {
      kind: "atomic save (temp file renamed over)",
      save: (i) => {
        const temp = path.join(tasksDir, `.${name}.${i}.tmp`);
        writeFileSync(temp, original.replace(/^title: (.*)$/m, `title: $1 [${i}]`));
        renameSync(temp, file);
      },
    },
    {
      kind: "dependency added, then removed (cycle search)",
      save: (i) =>
        writeFileSync(
          file,
          i % 2 === 0 ? original.replace(/^title:/m, `depends_on: [${otherId}]\ntitle:`) : original,
        ),
    },
    {
      // not a target: settings change what every record means, so everything is checked
      kind: "trackdown.yml saved (everything re-checked)",
      saves: 3,
      save: (i) => writeFileSync(config, `${configText}# saved ${i}\n`),
      restore: () => writeFileSync(config, configText),
    },
  ];

  const results = [];
  for (const { kind, saves, save, restore } of kinds) {
    const samples = [];
    for (let i = 0; i < (saves ?? options.saves); i++) {
      const got = new Promise((resolve) => {
        waiting = resolve;
      });
      const wrote = performance.now();
      save(i);
      const sample = await got;
      samples.push({ wrote, ...sample });
      // chokidar drops a second change of one file within 50 ms: leave it room
      await new Promise((r) => setTimeout(r, 60));
    }
    if (restore !== undefined) restore();
    else writeFileSync(file, original);
    await new Promise((resolve) => {
      waiting = resolve;
    });
    const eventToPrinted = samples.map((s) => s.printed - s.firstEvent);
    const debounce = samples.map((s) => s.settled - s.lastEvent);
    const own = samples.map((s) => s.printed - s.settled);
    const latency = samples.map((s) => s.firstEvent - s.wrote);
    results.push({ kind, samples, eventToPrinted, debounce, own, latency });
    progress(`${kind}: own work median ${ms(median(own))}, p95 ${ms(percentile(own, 0.95))}`);
  }
  await watch.close();
  closeSync(sink);
  rmSync(dir, { recursive: true, force: true });

  const n = options.tasks.toLocaleString("en-US");
  const lines = [
    `| one save, N = ${n} (saves) | event → printed | debounce | own work, median | own work, p95 | records re-checked | target |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of results) {
    const p95 = percentile(r.own, 0.95);
    const everything = r.samples[0].work.everything;
    const records = everything ? "all" : median(r.samples.map((s) => s.work.records));
    const target = everything ? "—" : `≤ ${TARGET_MS} ms ${p95 <= TARGET_MS ? "✓" : "✗"}`;
    lines.push(
      `| ${r.kind} (${r.samples.length}) | ${ms(median(r.eventToPrinted))} | ${ms(median(r.debounce))} | ${ms(median(r.own))} | ${ms(p95)} | ${records} | ${target} |`,
    );
  }
  lines.push(
    `| full check, \`loadTracker(dir, { cache: false })\` | ${ms(median(full.cold))} | | | | all | |`,
  );
  lines.push(
    `| full check, \`loadTracker(dir)\` (parse cache, one file changed) | ${ms(median(full.cached))} | | | | all | |`,
  );
  console.log(lines.join("\n"));
  const latency = results.flatMap((r) => r.latency);
  console.log(
    `\nOwn work: from the debounce firing to the report written (reading the files, the incremental ` +
      `check, formatting). Debounce ${options.debounce} ms after the last event. The watcher's own ` +
      `latency, from the write to its event, median ${ms(median(latency))} (not included). ` +
      `Start: the first full check and the watcher ready in ${ms(startMs)}.`,
  );

  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  const outFile = path.join(OUT_DIR, `watch-${stamp}.json`);
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        options,
        targetMs: TARGET_MS,
        environment: {
          node: process.version,
          platform: `${os.platform()} ${os.release()}`,
          cpus: os.cpus().length,
          load: os.loadavg(),
        },
        startMs,
        full,
        results: results.map(({ kind, samples }) => ({ kind, samples })),
      },
      null,
      2,
    )}\n`,
  );
  progress(`raw numbers: ${path.relative(process.cwd(), outFile)}`);
}

await main();
