#!/usr/bin/env node
// History benchmark repository and its floor. See bench/README.md.
//
//   node bench/history.js generate [--tasks 10000] [--commits 2000] [--seed 42] [--out DIR]
//   node bench/history.js floor [DIR] [--runs 5]   (no DIR: the cached repository)
//   node bench/generate.js --history ...            same as `generate`
//
// `generate` writes a real git repository whose tracker lives in tracker/: a first commit
// with a tracker of 20% of the tasks from bench/generate.js, then `commits` commits of a
// team's everyday edits over 26 weeks (new tasks until there are `tasks`, moves through the
// workflow, assignments, estimates, due dates, labels, checklists, time entries, hires, new
// projects and milestones, a few archived tasks, one deleted and restored task, one renamed
// task file) with about 10% merge commits of short-lived branches. Everything is derived
// from the seed, so the same arguments always give the same commit ids. The commits are
// written with one `git fast-import` stream, which takes seconds where `git commit` per
// commit would take minutes.
//
// `floor` measures what reading that history costs git itself: `git log --first-parent
// --raw` limited to tracker/, then every blob those commits changed through one
// `git cat-file --batch`. Each measurement runs in a fresh child process.

import { fork, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GENERATOR_VERSION, generateTracker, internals } from "./generate.js";

const {
  makeRandom,
  sentence,
  markdownBody,
  taskTitle,
  slugify,
  projectKey,
  dateOf,
  EPOCH_MS,
  TODAY,
  FIRST_NAMES,
  LAST_NAMES,
  TIMEZONES,
  TEAM_NAMES,
  PROJECT_NAMES,
  LABEL_IDS,
  BODY_WORDS,
  NOTES,
  DURATIONS,
  PRIORITIES,
  PRIORITY_WEIGHTS,
  ESTIMATES,
  ESTIMATE_WEIGHTS,
} = internals;

const SELF = fileURLToPath(import.meta.url);
const BENCH_DIR = path.dirname(SELF);
const OUT_DIR = path.join(BENCH_DIR, "out");
const TRACKERS_DIR = path.join(os.tmpdir(), "trackdown-bench");

/** Bumped whenever the history's output changes; cached repositories are then rebuilt. */
export const HISTORY_VERSION = 1;
/** The `g<version>` of cached repositories: the tracker generator's and the history's. */
export const HISTORY_GENERATOR_VERSION = `${GENERATOR_VERSION}.${HISTORY_VERSION}`;

export const DEFAULTS = Object.freeze({ tasks: 10000, commits: 2000, seed: 42 });

/** Share of the tasks in the first commit. */
const INITIAL_SHARE = 0.2;
/** The history starts the day after the generator's "today" (2026-06-30)... */
const HISTORY_START_DAY = TODAY + 1;
/** ...and runs for this many weeks of weekdays. */
const HISTORY_WEEKS = 26;
/** Commits happen on weekdays between these UTC hours. */
const WORK_START_HOUR = 7;
const WORK_HOURS = 12;
/** Chance that a main-line step opens a branch: gives about 10% merge commits. */
const BRANCH_CHANCE = 0.125;
/** Files a commit touches at most (the first commit and a final catch-up excepted). */
const MAX_FILES = 30;
/** Files a branch commit touches at most, so that a merge stays within MAX_FILES. */
const MAX_BRANCH_FILES = 10;
/** Share of commits whose author date is deliberately out of order (clock skew). */
const SKEW_SHARE = 0.004;

/** The workflow of bench/generate.js's trackdown.yml, as moves a team makes. */
const MOVES = {
  backlog: { statuses: ["todo", "cancelled"], weights: [90, 10] },
  todo: { statuses: ["doing", "backlog", "cancelled"], weights: [85, 10, 5] },
  doing: { statuses: ["review", "todo", "cancelled"], weights: [80, 15, 5] },
  review: { statuses: ["done", "doing"], weights: [80, 20] },
  done: { statuses: ["doing"], weights: [1] },
};
/** Statuses that need assignees (required: [assignees]). */
const NEEDS_ASSIGNEE = new Set(["doing", "review"]);
const OPEN = new Set(["backlog", "todo", "doing", "review"]);
/** Front matter keys of a task, in the order bench/generate.js writes them. */
const TASK_KEYS = [
  "id",
  "title",
  "status",
  "assignees",
  "priority",
  "estimate",
  "labels",
  "milestone",
  "parent",
  "depends_on",
  "start",
  "due",
  "created",
];
const INLINE_LISTS = new Set(["assignees", "labels"]);
const MILESTONE_PHASES = ["alpha", "beta", "release", "polish"];
// biome-ignore format: compact word list
const CODE_MODULES = [
  "api", "auth", "billing", "checkout", "config", "db", "email", "export", "i18n", "invoice",
  "jobs", "logger", "orders", "payments", "reports", "routes", "search", "server", "session",
  "settings", "ui", "upload", "users", "webhooks",
];

/** Where git must not pick up the caller's configuration or repository. */
function gitEnv() {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0" };
  env.GIT_CONFIG_GLOBAL = os.devNull;
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"]) {
    delete env[name];
  }
  return env;
}

/**
 * Runs git and returns its stdout; throws with its stderr when it fails.
 * @param {string} cwd
 * @param {string[]} args
 * @param {string} [input]
 */
function git(cwd, args, input) {
  const r = spawnSync("git", args, {
    cwd,
    env: gitEnv(),
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------
// The tracker as the history sees it

/**
 * @typedef {object} Person
 * @property {string} id
 * @property {string} name
 * @property {string} email
 * @property {string} tz
 * @property {Set<Task>} tasks tasks assigned to the person
 */

/**
 * @typedef {object} Team
 * @property {string} id
 * @property {string} path
 * @property {string} text
 * @property {string[]} members
 */

/**
 * @typedef {object} Milestone
 * @property {string} id
 * @property {string} path
 * @property {string} text
 * @property {string} status
 * @property {number} start day
 * @property {number} due day
 */

/**
 * @typedef {object} Project
 * @property {string} key
 * @property {string} name
 * @property {string} folder
 * @property {string} team
 * @property {string} lead
 * @property {number} next next task number
 * @property {Task[]} tasks every task of the project, in id order
 * @property {Milestone[]} milestones in time order
 * @property {number} weight how often new tasks land here
 */

/**
 * @typedef {object} Task
 * @property {string} id
 * @property {number} num
 * @property {Project} project
 * @property {"tasks" | "archive"} where
 * @property {string} file file name
 * @property {Record<string, string | string[] | undefined>} f front matter fields
 * @property {string} body
 * @property {number} created day
 * @property {boolean} gone deleted
 * @property {boolean} timed some time entry names it
 */

/** @param {Task} t */
const taskPath = (t) => `tracker/projects/${t.project.folder}/${t.where}/${t.file}`;
/** @param {Task} t */
const status = (t) => /** @type {string} */ (t.f.status);
/** @param {Task} t */
const assigneesOf = (t) => /** @type {string[]} */ (t.f.assignees ?? []);
/** @param {Task} t */
const labelsOf = (t) => /** @type {string[]} */ (t.f.labels ?? []);

/** @param {string} date YYYY-MM-DD */
const dayOf = (date) => Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH_MS) / 86400000);

/**
 * Reads a task file as bench/generate.js writes it.
 * @param {string} text
 * @returns {{ f: Record<string, string | string[] | undefined>, body: string }}
 */
function parseTask(text) {
  const end = text.indexOf("\n---\n\n");
  if (!text.startsWith("---\n") || end < 0) throw new Error("not a generated task file");
  /** @type {Record<string, string | string[] | undefined>} */
  const f = {};
  /** @type {string[] | undefined} */
  let list;
  for (const line of text.slice(4, end).split("\n")) {
    if (line.startsWith("  - ")) {
      list?.push(line.slice(4));
      continue;
    }
    const colon = line.indexOf(": ");
    const key = colon < 0 ? line.slice(0, -1) : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 2);
    if (!TASK_KEYS.includes(key)) throw new Error(`unexpected task field ${key}`);
    if (value === "") {
      list = [];
      f[key] = list;
    } else if (INLINE_LISTS.has(key)) {
      f[key] = value === "[]" ? [] : value.slice(1, -1).split(", ");
    } else {
      f[key] = value;
    }
  }
  return { f, body: text.slice(end + 6) };
}

/**
 * Writes a task file in bench/generate.js's layout.
 * @param {Task} t
 * @returns {string}
 */
function renderTask(t) {
  let s = "---\n";
  for (const key of TASK_KEYS) {
    const v = t.f[key];
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      s += INLINE_LISTS.has(key)
        ? `${key}: [${v.join(", ")}]\n`
        : `${key}:\n${v.map((x) => `  - ${x}\n`).join("")}`;
    } else {
      s += `${key}: ${v}\n`;
    }
  }
  return `${s}---\n\n${t.body}`;
}

/**
 * Value of a `key: value` line of a generated YAML file or front matter.
 * @param {string} text
 * @param {string} key
 */
function field(text, key) {
  const m = new RegExp(`^${key}: (.*)$`, "m").exec(text);
  return m?.[1];
}

/**
 * The text with the first `key: value` line's value replaced.
 * @param {string} text
 * @param {string} key
 * @param {string} value
 */
function setField(text, key, value) {
  return text.replace(new RegExp(`^${key}: .*$`, "m"), `${key}: ${value}`);
}

/**
 * Files of a folder, recursively, as paths relative to it with forward slashes, sorted.
 * @param {string} root
 * @param {string} [rel]
 * @param {string[]} [out]
 */
function listAll(root, rel = "", out = []) {
  const entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const r = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) listAll(root, r, out);
    else out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Commit times

/**
 * Committer times (Unix seconds) of `count` commits: random moments of the working hours of
 * HISTORY_WEEKS weeks of weekdays, sorted and strictly increasing.
 * @param {ReturnType<typeof makeRandom>} rnd
 * @param {number} count
 * @returns {number[]}
 */
function commitTimes(rnd, count) {
  const daySeconds = WORK_HOURS * 3600;
  /** @type {number[]} */
  const weekdays = [];
  for (let d = HISTORY_START_DAY; weekdays.length < HISTORY_WEEKS * 5; d++) {
    const weekday = new Date(EPOCH_MS + d * 86400000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) weekdays.push(d);
  }
  const span = weekdays.length * daySeconds;
  const offsets = Array.from({ length: count }, () => Math.floor(rnd.next() * span)).sort(
    (a, b) => a - b,
  );
  offsets[0] = 0;
  for (let i = 1; i < count; i++) offsets[i] = Math.max(offsets[i], offsets[i - 1] + 45);
  return offsets.map((off) => {
    const i = Math.floor(off / daySeconds);
    const day = weekdays[i] ?? weekdays[weekdays.length - 1] + 1 + (i - weekdays.length);
    return EPOCH_MS / 1000 + day * 86400 + WORK_START_HOUR * 3600 + (off % daySeconds);
  });
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const offsetFormats = new Map();
/**
 * Git's `+hhmm` offset of a time zone at a moment.
 * @param {string} tz
 * @param {number} seconds
 */
function tzOffset(tz, seconds) {
  let fmt = offsetFormats.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
    offsetFormats.set(tz, fmt);
  }
  const name = fmt.formatToParts(new Date(seconds * 1000)).find((p) => p.type === "timeZoneName");
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name?.value ?? "");
  return m ? `${m[1]}${m[2]}${m[3]}` : "+0000";
}

// ---------------------------------------------------------------------------
// The fast-import stream

class FastImport {
  /** @param {import("node:stream").Writable} stdin */
  constructor(stdin) {
    this.stdin = stdin;
    /** @type {Buffer[]} */
    this.pending = [];
    this.pendingBytes = 0;
    this.totalBytes = 0;
    this.marks = 0;
  }

  /** @param {string} s */
  text(s) {
    const b = Buffer.from(s, "utf8");
    this.pending.push(b);
    this.pendingBytes += b.length;
  }

  /** @param {string} s */
  data(s) {
    const b = Buffer.from(s, "utf8");
    this.text(`data ${b.length}\n`);
    this.pending.push(b);
    this.pendingBytes += b.length;
    this.text("\n");
  }

  /**
   * @param {{ ref: string, author: string, committer: string, message: string,
   *   from?: number, merge?: number, changes: Map<string, string | null> }} c
   * @returns {number} the commit's mark
   */
  commit(c) {
    const mark = ++this.marks;
    this.text(`commit ${c.ref}\nmark :${mark}\nauthor ${c.author}\ncommitter ${c.committer}\n`);
    this.data(c.message);
    if (c.from !== undefined) this.text(`from :${c.from}\n`);
    if (c.merge !== undefined) this.text(`merge :${c.merge}\n`);
    for (const [p, content] of c.changes) {
      if (content === null) this.text(`D ${p}\n`);
      else {
        this.text(`M 100644 inline ${p}\n`);
        this.data(content);
      }
    }
    this.text("\n");
    return mark;
  }

  /** Hands what is pending to git, waiting when its pipe is full. */
  async flush() {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.totalBytes += this.pendingBytes;
    this.pendingBytes = 0;
    if (!this.stdin.write(chunk)) {
      await new Promise((resolve) => this.stdin.once("drain", resolve));
    }
  }
}

// ---------------------------------------------------------------------------
// The history

/**
 * @typedef {object} HistoryStats
 * @property {string} dir
 * @property {number} tasks
 * @property {number} commits commits after the first one
 * @property {number} seed
 * @property {number} initialTasks
 * @property {number} merges
 * @property {number} firstParent commits on the first-parent chain of main
 * @property {number} skewed commits whose author date is out of order
 * @property {string} head
 * @property {number} streamBytes size of the fast-import stream
 * @property {Record<string, number>} headFiles files at HEAD by kind
 * @property {number} gitBytes size of .git
 * @property {Record<string, number>} phasesMs
 * @property {number} ms
 */

/**
 * Writes a git repository with a tracker in tracker/ and a history of `commits` commits after
 * the first. `dir` must not exist or be empty. Deterministic for the same arguments.
 * @param {string} dir
 * @param {{ tasks?: number, commits?: number, seed?: number }} [options]
 * @returns {Promise<HistoryStats>}
 */
export async function generateHistoryRepo(dir, options = {}) {
  const started = performance.now();
  const tasks = options.tasks ?? DEFAULTS.tasks;
  const commits = options.commits ?? DEFAULTS.commits;
  const seed = options.seed ?? DEFAULTS.seed;
  if (!Number.isInteger(tasks) || tasks < 10) throw new Error("tasks must be an integer ≥ 10");
  if (!Number.isInteger(commits) || commits < 10) {
    throw new Error("commits must be an integer ≥ 10");
  }
  if (!Number.isInteger(seed)) throw new Error("seed must be an integer");
  const root = path.resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw new Error(`${root} exists and is not empty`);
  }
  mkdirSync(root, { recursive: true });
  /** @type {Record<string, number>} */
  const phasesMs = {};
  let phaseStart = performance.now();
  /** @param {string} name */
  const phase = (name) => {
    const now = performance.now();
    phasesMs[name] = now - phaseStart;
    phaseStart = now;
  };

  // The first commit's tracker, straight from the generator.
  const initialTasks = Math.max(1, Math.round(tasks * INITIAL_SHARE));
  const seedDir = mkdtempSync(path.join(os.tmpdir(), "trackdown-history-seed-"));
  /** @type {Map<string, string>} path in the repository → content */
  const initialFiles = new Map();
  try {
    await generateTracker(path.join(seedDir, "t"), { tasks: initialTasks, seed });
    for (const rel of listAll(path.join(seedDir, "t"))) {
      initialFiles.set(`tracker/${rel}`, readFileSync(path.join(seedDir, "t", rel), "utf8"));
    }
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
  }
  phase("seed tracker");

  const history = new History({ tasks, commits, seed, initialFiles });
  phase("model");

  git(root, [
    "-c",
    "user.name=Trackdown Bench",
    "-c",
    "user.email=bench@example.com",
    "init",
    "-q",
    "-b",
    "main",
  ]);
  git(root, ["config", "user.name", "Trackdown Bench"]);
  git(root, ["config", "user.email", "bench@example.com"]);
  const child = spawn("git", ["fast-import", "--quiet", "--date-format=raw", "--done"], {
    cwd: root,
    env: gitEnv(),
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s) => {
    stderr += s;
  });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const stream = new FastImport(child.stdin);
  /** @type {Error | undefined} */
  let pipeError;
  child.stdin.on("error", (err) => {
    pipeError = err;
  });
  await history.write(stream);
  stream.text("done\n");
  await stream.flush();
  child.stdin.end();
  const code = await exited;
  if (code !== 0 || pipeError) {
    throw new Error(`git fast-import failed (${code}): ${stderr.trim() || pipeError?.message}`);
  }
  phase("fast-import");

  git(root, ["update-ref", "-d", BRANCH_REF]);
  // Parallel checkout: writing ~20,000 files one by one is several times slower.
  git(root, ["-c", "checkout.workers=0", "reset", "-q", "--hard", "main"]);
  phase("checkout");
  git(root, ["gc", "-q"]);
  phase("gc");

  const head = git(root, ["rev-parse", "HEAD"]).trim();
  const merges = Number(git(root, ["rev-list", "--merges", "--count", "HEAD"]).trim());
  const firstParent = Number(git(root, ["rev-list", "--first-parent", "--count", "HEAD"]).trim());
  /** @type {Record<string, number>} */
  const headFiles = {};
  for (const file of git(root, ["ls-files"]).split("\n")) {
    if (file === "") continue;
    const kind = fileKind(file);
    headFiles[kind] = (headFiles[kind] ?? 0) + 1;
  }
  return {
    dir: root,
    tasks,
    commits,
    seed,
    initialTasks,
    merges,
    firstParent,
    skewed: history.skewed,
    head,
    streamBytes: stream.totalBytes,
    headFiles,
    gitBytes: folderBytes(path.join(root, ".git")),
    phasesMs,
    ms: performance.now() - started,
  };
}

/** The ref short-lived branches are built on; deleted once the history is written. */
const BRANCH_REF = "refs/heads/bench-topic";

/**
 * What a file of the repository is, for the shape report.
 * @param {string} file
 */
function fileKind(file) {
  if (!file.startsWith("tracker/")) return "outside tracker/";
  const parts = file.split("/");
  if (parts[1] === "projects") {
    if (parts[3] === "tasks") return "tasks";
    if (parts[3] === "archive") return "archived tasks";
    if (parts[3] === "milestones") return "milestones";
    return "projects";
  }
  if (parts[1] === "time") return "time entries";
  if (parts[1] === "people") return "people";
  if (parts[1] === "teams") return "teams";
  return "other tracker files";
}

/**
 * Bytes of the files under a folder.
 * @param {string} dir
 */
function folderBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else total += lstatSync(p).size;
  }
  return total;
}

/**
 * One commit being put together.
 * @typedef {object} Draft
 * @property {Map<string, string | null>} changes path → new content, null when deleted
 * @property {Person | undefined} author
 * @property {string} message
 * @property {number} cap files it may touch
 */

class History {
  /**
   * @param {{ tasks: number, commits: number, seed: number, initialFiles: Map<string, string> }} o
   */
  constructor({ tasks, commits, seed, initialFiles }) {
    this.targetTasks = tasks;
    this.commits = commits;
    this.rnd = makeRandom((Math.imul(seed, 0x9e3779b1) ^ 0x68697374) >>> 0);
    this.initialFiles = initialFiles;
    /** @type {Map<string, Person>} */
    this.people = new Map();
    /** @type {Person[]} */
    this.peopleList = [];
    /** @type {Map<string, Team>} */
    this.teams = new Map();
    /** @type {Project[]} */
    this.projects = [];
    /** @type {Task[]} live tasks (not archived, not deleted) */
    this.live = [];
    /** @type {Map<string, Milestone>} */
    this.milestones = new Map();
    this.milestoneCount = 0;
    /** @type {Set<string>} */
    this.timeNames = new Set();
    /** @type {{ path: string, text: string }[]} time entries written by the history */
    this.newTimeEntries = [];
    /** @type {Map<string, string[]>} code files → lines */
    this.code = new Map();
    this.taskCount = 0;
    this.timeCount = 0;
    /** Time entries at the end: as many per task as the generator writes. */
    this.targetTime = 0;
    this.skewed = 0;
    /** The commit being made: 1 to `commits`. */
    this.stepIndex = 0;
    /** Today, as a day of the synthetic timeline (the current commit's UTC date). */
    this.day = HISTORY_START_DAY;
    this.load();
    this.initialTasks = this.taskCount;
    this.initialTime = this.timeCount;
    this.targetTime = Math.round((this.timeCount * tasks) / Math.max(1, this.taskCount));
    this.addCode();
  }

  /** Reads the generated tracker into the model. */
  load() {
    for (const [p, text] of this.initialFiles) {
      const parts = p.split("/");
      if (parts[1] === "people") {
        const id = parts[2].slice(0, -4);
        const person = {
          id,
          name: field(text, "name") ?? id,
          email: field(text, "email") ?? `${id}@example.com`,
          tz: field(text, "timezone") ?? "UTC",
          tasks: new Set(),
        };
        this.people.set(id, person);
        this.peopleList.push(person);
      } else if (parts[1] === "teams") {
        const members = [...text.matchAll(/^ {2}- (.+)$/gm)].map((m) => m[1]);
        this.teams.set(parts[2].slice(0, -4), {
          id: parts[2].slice(0, -4),
          path: p,
          text,
          members,
        });
      } else if (parts[1] === "time") {
        this.timeNames.add(parts[3]);
        this.timeCount++;
      }
    }
    // people/ is read in file name order; the admin (the generator's first person) is the
    // one with roles: [admin].
    const admin = [...this.initialFiles].find(
      ([p, text]) => p.startsWith("tracker/people/") && /roles: \[admin/.test(text),
    );
    this.admin = this.people.get(admin ? admin[0].slice(15, -4) : "") ?? this.peopleList[0];

    /** @type {Map<string, Project>} */
    const byFolder = new Map();
    for (const [p, text] of this.initialFiles) {
      const parts = p.split("/");
      if (parts[1] !== "projects" || parts[3] !== "project.md") continue;
      const project = {
        key: field(text, "key") ?? "",
        name: field(text, "name") ?? "",
        folder: parts[2],
        team: field(text, "team") ?? "",
        lead: field(text, "lead") ?? "",
        next: 1,
        tasks: [],
        milestones: [],
        weight: 1,
      };
      byFolder.set(parts[2], project);
      this.projects.push(project);
    }
    for (const [p, text] of this.initialFiles) {
      const parts = p.split("/");
      if (parts[1] !== "projects") continue;
      const project = byFolder.get(parts[2]);
      if (!project) continue;
      if (parts[3] === "milestones") {
        const m = {
          id: parts[4].slice(0, -3),
          path: p,
          text,
          status: field(text, "status") ?? "planned",
          start: dayOf(field(text, "start") ?? "2024-01-01"),
          due: dayOf(field(text, "due") ?? "2024-01-01"),
        };
        project.milestones.push(m);
        this.milestones.set(m.id, m);
        this.milestoneCount = Math.max(this.milestoneCount, Number(m.id.slice(2)));
      } else if (parts[3] === "tasks") {
        const { f, body } = parseTask(text);
        /** @type {Task} */
        const t = {
          id: /** @type {string} */ (f.id),
          num: Number(String(f.id).split("-").pop()),
          project,
          where: "tasks",
          file: parts[4],
          f,
          body,
          created: dayOf(/** @type {string} */ (f.created)),
          gone: false,
          timed: false,
        };
        if (renderTask(t) !== text) throw new Error(`${p}: the task model does not round-trip`);
        project.tasks.push(t);
        project.next = Math.max(project.next, t.num + 1);
        this.live.push(t);
        this.taskCount++;
        for (const a of assigneesOf(t)) this.people.get(a)?.tasks.add(t);
      }
    }
    for (const project of this.projects) {
      project.tasks.sort((a, b) => a.num - b.num);
      project.milestones.sort((a, b) => a.start - b.start);
    }
    this.live.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    /** @type {Map<string, Task>} */
    this.byId = new Map(this.live.map((t) => [t.id, t]));
    for (const name of this.timeNames) {
      const m = /^\d{4}-\d\d-\d\d-.+?-([A-Z]+-\d+)-[a-z0-9]{4}\.yml$/.exec(name);
      const t = m ? this.byId.get(m[1]) : undefined;
      if (t) t.timed = true;
    }
  }

  /** A small code base next to the tracker, so that path-limited walks skip something. */
  addCode() {
    const r = this.rnd;
    for (const name of CODE_MODULES) {
      /** @type {string[]} */
      const lines = [`// ${sentence(r, 6 + r.int(8))}`, ""];
      const count = 4 + r.int(10);
      for (let i = 0; i < count; i++) lines.push(...this.codeFunction(name, i));
      this.code.set(`src/${name}.js`, lines);
    }
    this.readme =
      "# Acme product\n\nThe product's code lives in `src/`, its project tracker in `tracker/` " +
      "(Trackdown).\n";
  }

  /**
   * @param {string} module
   * @param {number} i
   * @returns {string[]}
   */
  codeFunction(module, i) {
    const r = this.rnd;
    return [
      `/** ${sentence(r, 5 + r.int(10))} */`,
      `export function ${module}${i}(input) {`,
      `  return input ?? "${sentence(r, 3 + r.int(5))
        .slice(0, -1)
        .toLowerCase()}";`,
      "}",
      "",
    ];
  }

  // --- picking -------------------------------------------------------------

  /**
   * May this commit touch or refer to the file? Not while a branch and the main line both
   * have touched it since the branch started.
   * @param {string} p
   */
  free(p) {
    return !this.branch?.touched.has(p);
  }

  /** @param {Task} t */
  usable(t) {
    return !t.gone && t.where === "tasks" && this.free(taskPath(t));
  }

  /**
   * A random live task that passes the test, recent tasks more often; undefined after
   * enough misses.
   * @param {(t: Task) => boolean} test
   * @param {Draft} [draft] skip the tasks this draft already changed
   */
  pickTask(test, draft) {
    const r = this.rnd;
    const n = this.live.length;
    for (let tries = 0; tries < 80; tries++) {
      const i = r.chance(0.5) ? n - 1 - r.int(Math.min(n, 1500)) : r.int(n);
      const t = this.live[i];
      if (!t || !this.usable(t) || (draft?.changes.has(taskPath(t)) ?? false)) continue;
      if (test(t)) return t;
    }
    return undefined;
  }

  /** @param {Project} project */
  teamOf(project) {
    const team = this.teams.get(project.team);
    return team && team.members.length > 0 ? team.members : this.peopleList.map((p) => p.id);
  }

  /** @param {Project} project */
  pickProject(project = undefined) {
    if (project) return project;
    return this.rnd.weighted(
      this.projects,
      this.projects.map((p) => p.weight),
    );
  }

  /**
   * Someone who works on the task: an assignee, or a member of its project's team.
   * @param {Task} t
   */
  workerOf(t) {
    const a = assigneesOf(t);
    const id = a.length > 0 ? this.rnd.pick(a) : this.rnd.pick(this.teamOf(t.project));
    return this.people.get(id) ?? this.admin;
  }

  /**
   * @param {Task} t
   * @param {string[]} list
   */
  setAssignees(t, list) {
    for (const a of assigneesOf(t)) this.people.get(a)?.tasks.delete(t);
    t.f.assignees = list.length > 0 ? list : undefined;
    for (const a of list) this.people.get(a)?.tasks.add(t);
  }

  /**
   * @param {Draft} d
   * @param {Task} t
   */
  saveTask(d, t) {
    d.changes.set(taskPath(t), renderTask(t));
  }

  /**
   * @param {Draft} d
   * @param {number} [extra] files the caller still wants to add
   */
  room(d, extra = 1) {
    return d.changes.size + extra <= d.cap;
  }

  // --- edits ---------------------------------------------------------------

  /**
   * New tasks in one project (or, for a large catch-up, several).
   * @param {Draft} d
   * @param {number} count
   * @param {Project} [only]
   */
  createTasks(d, count, only) {
    const r = this.rnd;
    let project = this.pickProject(only);
    const lead = this.people.get(project.lead);
    d.author = r.chance(0.6) && lead ? lead : this.people.get(r.pick(this.teamOf(project)));
    /** @type {Task[]} */
    const made = [];
    for (let i = 0; i < count; i++) {
      if (i > 0 && i % MAX_FILES === 0 && !only) project = this.pickProject();
      made.push(this.newTask(d, project));
    }
    d.message =
      made.length === 1
        ? `Add ${made[0].id}: ${made[0].f.title}`
        : r.pick([
            `Add ${made.length} tasks to ${project.name}`,
            `${project.name}: ${made.length} new tasks from the planning meeting`,
            `Triage: add ${made.length} tasks to ${project.key}`,
            `Backlog for ${project.name} (${made.map((t) => t.id).join(", ")})`,
          ]);
    if (made.length > 8) d.message = `Add ${made.length} tasks to ${project.name}`;
    return made.length > 0;
  }

  /**
   * @param {Draft} d
   * @param {Project} project
   * @returns {Task}
   */
  newTask(d, project) {
    const r = this.rnd;
    const num = project.next++;
    const id = `${project.key}-${num}`;
    const title = taskTitle(r);
    const st = r.chance(0.65) ? "backlog" : "todo";
    /** @type {Record<string, string | string[] | undefined>} */
    const f = { id, title, status: st };
    /** @type {Task} */
    const t = {
      id,
      num,
      project,
      where: "tasks",
      file: `${id}-${slugify(title)}.md`,
      f,
      body: "",
      created: this.day,
      gone: false,
      timed: false,
    };
    if (st === "todo" && r.chance(0.35)) {
      const team = this.teamOf(project);
      this.setAssignees(t, r.sample(team, Math.min(team.length, r.weighted([1, 2], [80, 20]))));
    }
    if (r.chance(0.9)) f.priority = r.weighted(PRIORITIES, PRIORITY_WEIGHTS);
    if (r.chance(0.6)) f.estimate = String(r.weighted(ESTIMATES, ESTIMATE_WEIGHTS));
    f.labels = r.sample(LABEL_IDS, 1 + r.int(3));
    const open = project.milestones.filter((m) => m.status !== "done");
    if (open.length > 0 && r.chance(0.7)) {
      f.milestone = (r.chance(0.6) ? open[0] : r.pick(open)).id;
    }
    /** @type {Task[]} the project's latest 200 tasks this commit may refer to */
    const earlier = [];
    for (let k = project.tasks.length - 1; k >= 0 && earlier.length < 200; k--) {
      if (this.usable(project.tasks[k])) earlier.push(project.tasks[k]);
    }
    if (earlier.length > 0 && r.chance(0.1)) f.parent = r.pick(earlier).id;
    if (earlier.length > 0 && r.chance(0.15)) {
      const deps = r.sample(earlier, Math.min(earlier.length, r.weighted([1, 2], [75, 25])));
      f.depends_on = deps.sort((a, b) => a.num - b.num).map((x) => x.id);
    }
    if (r.chance(0.5)) {
      const start = this.day + r.int(20);
      f.start = dateOf(start);
      f.due = dateOf(start + 2 + r.int(30));
    }
    f.created = dateOf(this.day);
    t.body = markdownBody(r, 50 + Math.floor(450 * r.next() ** 1.7), 0);
    project.tasks.push(t);
    this.live.push(t);
    this.byId.set(id, t);
    this.taskCount++;
    this.saveTask(d, t);
    return t;
  }

  /**
   * Moves a task one step through the workflow (a transition trackdown.yml allows), assigning
   * the author when the new status needs someone, ticking checklist items as work gets done.
   * @param {Draft} d
   * @param {Task} t
   * @returns {{ t: Task, from: string, to: string }}
   */
  step(d, t) {
    const r = this.rnd;
    const from = status(t);
    const rule = MOVES[/** @type {keyof typeof MOVES} */ (from)];
    const to = r.weighted(rule.statuses, rule.weights);
    if (!d.author) d.author = this.workerOf(t);
    if (NEEDS_ASSIGNEE.has(to) && assigneesOf(t).length === 0) {
      const me = d.author && this.teamOf(t.project).includes(d.author.id);
      this.setAssignees(t, [me && d.author ? d.author.id : r.pick(this.teamOf(t.project))]);
    }
    t.f.status = to;
    if (to === "done") t.body = tickAll(t.body);
    else if (to === "doing" || to === "review") t.body = tick(t.body, r.chance(0.5) ? 1 : 0);
    this.saveTask(d, t);
    return { t, from, to };
  }

  /**
   * Moves 1–8 tasks one step through the workflow, with the time entries and code changes
   * that come with it.
   * @param {Draft} d
   */
  move(d) {
    const r = this.rnd;
    const count = r.weighted([1, 2, 3, 4, 5, 6, 8], [35, 20, 13, 10, 9, 7, 6]);
    /** @type {{ t: Task, from: string, to: string }[]} */
    const moved = [];
    for (let i = 0; i < count && this.room(d, 4); i++) {
      const reopen = r.chance(0.03);
      const t = this.pickTask(
        (x) => (reopen ? status(x) === "done" : OPEN.has(status(x))) && status(x) !== "cancelled",
        d,
      );
      if (!t) continue;
      const m = this.step(d, t);
      if ((m.to === "doing" || m.to === "review" || m.to === "done") && r.chance(0.35)) {
        this.logTime(d, t);
      }
      if (m.to === "review" && r.chance(0.4)) this.touchCode(d, 1 + r.int(2));
      moved.push(m);
    }
    if (moved.length === 0) return false;
    const first = moved[0];
    const words = {
      todo: first.from === "backlog" ? "Triage" : "Move back to todo:",
      doing: first.from === "done" ? "Reopen" : first.from === "review" ? "Rework" : "Start",
      review: "Ready for review:",
      done: "Close",
      backlog: "Back to backlog:",
      cancelled: "Cancel",
    };
    if (moved.length === 1) {
      const verb = words[/** @type {keyof typeof words} */ (first.to)];
      d.message =
        first.to === "review" && d.changes.size > 1 && [...d.changes.keys()].some(isCode)
          ? `Fix ${String(first.t.f.title).toLowerCase()} (${first.t.id})`
          : `${verb} ${first.t.id}`;
    } else {
      d.message = `Board update: ${moved.map((m) => `${m.t.id} → ${m.to}`).join(", ")}`;
    }
    return true;
  }

  /**
   * A time entry on the task by one of its assignees.
   * @param {Draft} d
   * @param {Task} t
   * @param {Person} [who]
   * @param {number} [back] how many days before today it may be dated
   */
  logTime(d, t, who, back = 2) {
    const r = this.rnd;
    const assignees = assigneesOf(t);
    if (assignees.length === 0 || !this.room(d)) return false;
    const person = who && assignees.includes(who.id) ? who.id : r.pick(assignees);
    const date = dateOf(Math.max(t.created, this.day - r.int(back + 1)));
    let name;
    do {
      let suffix = "";
      for (let c = 0; c < 4; c++) suffix += r.int(36).toString(36);
      name = `${date}-${person}-${t.id}-${suffix}.yml`;
    } while (this.timeNames.has(name));
    this.timeNames.add(name);
    this.timeCount++;
    let y = `person: ${person}\ntask: ${t.id}\ndate: ${date}\nduration: ${r.pick(DURATIONS)}\n`;
    if (r.chance(0.6)) y += `note: ${r.pick(NOTES)}\n`;
    if (r.chance(0.25)) y += "billable: true\n";
    const p = `tracker/time/${date.slice(0, 7)}/${name}`;
    d.changes.set(p, y);
    this.newTimeEntries.push({ path: p, text: y });
    t.timed = true;
    return true;
  }

  /**
   * Someone logs a few days of work on their tasks: `count` entries at most.
   * @param {Draft} d
   * @param {number} count
   */
  timesheet(d, count) {
    const r = this.rnd;
    const t = this.pickTask(
      (x) => ["doing", "review", "done"].includes(status(x)) && assigneesOf(x).length > 0,
    );
    if (!t) return false;
    const person = this.workerOf(t);
    d.author = person;
    const mine = [t];
    for (const x of person.tasks) {
      if (x !== t && this.usable(x) && ["doing", "review"].includes(status(x))) mine.push(x);
    }
    const max = Math.min(count, d.cap - 2);
    for (let i = 0; i < max; i++) {
      this.logTime(d, i === 0 ? t : r.pick(mine), person, i === 0 ? 0 : 6);
    }
    d.message =
      d.changes.size === 1
        ? `Log time on ${t.id}`
        : r.pick(["Log this week's time", `Timesheet ${dateOf(this.day)}`, "Log time"]);
    // Often with the state of the work: one or two of the person's tasks move on.
    const movable = [...person.tasks].filter(
      (x) => this.usable(x) && ["todo", "doing", "review"].includes(status(x)),
    );
    const moves = Math.min(movable.length, r.weighted([0, 1, 2], [45, 40, 15]));
    const moved = r.sample(movable, moves).map((x) => this.step(d, x));
    if (moved.length > 0) {
      d.message += `; ${moved.map((m) => `${m.t.id} → ${m.to}`).join(", ")}`;
    }
    return true;
  }

  /**
   * Fixes a time entry logged earlier in the history.
   * @param {Draft} d
   */
  fixTime(d) {
    const r = this.rnd;
    const list = this.newTimeEntries;
    for (let tries = 0; tries < 20 && list.length > 0; tries++) {
      const e = list[list.length - 1 - r.int(Math.min(list.length, 300))];
      if (!this.free(e.path) || d.changes.has(e.path)) continue;
      const before = field(e.text, "duration");
      let after = before;
      while (after === before) after = r.pick(DURATIONS);
      e.text = setField(e.text, "duration", /** @type {string} */ (after));
      d.changes.set(e.path, e.text);
      d.author = this.people.get(field(e.text, "person") ?? "") ?? this.admin;
      d.message = `Fix logged time on ${field(e.text, "task")}: ${before} → ${after}`;
      return true;
    }
    return false;
  }

  /**
   * Ticks checklist items, or adds to a task's description.
   * @param {Draft} d
   */
  editBodies(d) {
    const r = this.rnd;
    const count = r.weighted([1, 2, 3], [70, 20, 10]);
    /** @type {string[]} */
    const ids = [];
    for (let i = 0; i < count && this.room(d); i++) {
      const t = this.pickTask((x) => status(x) !== "cancelled", d);
      if (!t) continue;
      if (!d.author) d.author = this.workerOf(t);
      if (t.body.includes("- [ ] ") && r.chance(0.7)) {
        t.body = tick(t.body, 1 + r.int(2));
      } else if (t.body.includes("## Checklist") && r.chance(0.5)) {
        t.body = addChecklistItem(t.body, sentence(r, 3 + r.int(6)).slice(0, -1));
      } else {
        t.body += `\n${sentence(r, 8 + r.int(15))} ${sentence(r, 5 + r.int(10))}\n`;
      }
      this.saveTask(d, t);
      ids.push(t.id);
    }
    if (ids.length === 0) return false;
    d.message =
      ids.length === 1
        ? r.pick([`${ids[0]}: update checklist`, `${ids[0]}: notes`, `Update ${ids[0]}`])
        : `Update ${ids.join(", ")}`;
    return true;
  }

  /**
   * @param {Draft} d
   */
  reassign(d) {
    const r = this.rnd;
    const count = r.weighted([1, 2, 3, 4], [55, 25, 12, 8]);
    /** @type {string[]} */
    const notes = [];
    for (let i = 0; i < count && this.room(d); i++) {
      const t = this.pickTask((x) => OPEN.has(status(x)), d);
      if (!t) continue;
      const pool = r.chance(0.85) ? this.teamOf(t.project) : this.peopleList.map((p) => p.id);
      const before = assigneesOf(t);
      /** @type {string[]} */
      let next;
      if (!NEEDS_ASSIGNEE.has(status(t)) && before.length > 0 && r.chance(0.15)) next = [];
      else {
        const others = pool.filter((p) => !before.includes(p));
        if (others.length === 0) continue;
        next =
          before.length > 1 && r.chance(0.5)
            ? [...before.slice(1), r.pick(others)]
            : before.length === 1 && r.chance(0.3)
              ? [...before, r.pick(others)]
              : [r.pick(others)];
      }
      this.setAssignees(t, next);
      this.saveTask(d, t);
      notes.push(next.length > 0 ? `${t.id} to ${next.join(" and ")}` : `unassign ${t.id}`);
    }
    if (notes.length === 0) return false;
    d.author = this.people.get(r.pick(this.peopleList).id);
    d.message = notes.length === 1 ? `Reassign ${notes[0]}` : `Reassign ${notes.join(", ")}`;
    return true;
  }

  /**
   * @param {Draft} d
   */
  reestimate(d) {
    const r = this.rnd;
    const count = r.weighted([1, 2, 3, 4, 6], [50, 20, 15, 10, 5]);
    /** @type {string[]} */
    const notes = [];
    for (let i = 0; i < count && this.room(d); i++) {
      const t = this.pickTask((x) => OPEN.has(status(x)), d);
      if (!t) continue;
      const before = t.f.estimate;
      let after = before;
      while (after === before) after = String(r.weighted(ESTIMATES, ESTIMATE_WEIGHTS));
      t.f.estimate = after;
      if (!d.author) d.author = this.workerOf(t);
      this.saveTask(d, t);
      notes.push(before === undefined ? `${t.id} (${after})` : `${t.id} (${before} → ${after})`);
    }
    if (notes.length === 0) return false;
    d.message = `Estimate ${notes.join(", ")}`;
    return true;
  }

  /**
   * @param {Draft} d
   */
  reschedule(d) {
    const r = this.rnd;
    const count = r.weighted([1, 2, 3, 5], [55, 25, 12, 8]);
    /** @type {string[]} */
    const notes = [];
    for (let i = 0; i < count && this.room(d); i++) {
      const t = this.pickTask((x) => OPEN.has(status(x)), d);
      if (!t) continue;
      if (t.f.due === undefined) {
        const start = Math.max(this.day, t.created) + r.int(10);
        t.f.start = dateOf(start);
        t.f.due = dateOf(start + 3 + r.int(28));
      } else {
        const start = dayOf(/** @type {string} */ (t.f.start ?? t.f.due));
        const due = dayOf(/** @type {string} */ (t.f.due));
        t.f.due = dateOf(Math.max(start, due + (r.chance(0.8) ? 1 + r.int(21) : -1 - r.int(5))));
      }
      if (!d.author) d.author = this.workerOf(t);
      this.saveTask(d, t);
      notes.push(`${t.id} due ${t.f.due}`);
    }
    if (notes.length === 0) return false;
    d.message = notes.length === 1 ? `Move ${notes[0]}` : `Reschedule: ${notes.join(", ")}`;
    return true;
  }

  /**
   * @param {Draft} d
   */
  relabel(d) {
    const r = this.rnd;
    const count = r.weighted([1, 2, 3, 5], [55, 25, 12, 8]);
    /** @type {string[]} */
    const notes = [];
    for (let i = 0; i < count && this.room(d); i++) {
      const t = this.pickTask(() => true, d);
      if (!t) continue;
      const labels = labelsOf(t);
      if (labels.length > 1 && (labels.length >= 4 || r.chance(0.1))) {
        const gone = r.pick(labels);
        t.f.labels = labels.filter((l) => l !== gone);
        notes.push(`${t.id} -${gone}`);
      } else {
        const add = r.pick(LABEL_IDS.filter((l) => !labels.includes(l)));
        t.f.labels = [...labels, add];
        notes.push(`${t.id} +${add}`);
      }
      if (!d.author) d.author = this.workerOf(t);
      this.saveTask(d, t);
    }
    if (notes.length === 0) return false;
    d.message = `Labels: ${notes.join(", ")}`;
    return true;
  }

  /**
   * Sprint planning in one project: triage, assign, estimate, schedule.
   * @param {Draft} d
   */
  plan(d) {
    const r = this.rnd;
    const project = this.pickProject();
    const want = 6 + r.int(20);
    const candidates = project.tasks.filter(
      (t) =>
        this.usable(t) && (status(t) === "backlog" || status(t) === "todo") && t.created < this.day,
    );
    const chosen = r.sample(candidates, Math.min(want, candidates.length, d.cap));
    if (chosen.length < 2) return false;
    const team = this.teamOf(project);
    const current = project.milestones.find((m) => m.status === "active");
    for (const t of chosen) {
      if (status(t) === "backlog") t.f.status = "todo";
      if (assigneesOf(t).length === 0 && r.chance(0.6)) this.setAssignees(t, [r.pick(team)]);
      if (t.f.estimate === undefined || r.chance(0.2)) {
        t.f.estimate = String(r.weighted(ESTIMATES, ESTIMATE_WEIGHTS));
      }
      if (current && t.f.milestone === undefined && r.chance(0.4)) t.f.milestone = current.id;
      this.saveTask(d, t);
    }
    d.author = this.people.get(project.lead) ?? this.admin;
    d.message = r.pick([
      `Sprint planning for ${project.name}`,
      `Plan week of ${dateOf(this.day)} (${project.key})`,
      `${project.name}: plan the next two weeks`,
    ]);
    return true;
  }

  /**
   * @param {Draft} d
   * @param {number} count
   */
  touchCode(d, count) {
    const r = this.rnd;
    const paths = [...this.code.keys()];
    let done = 0;
    for (let tries = 0; tries < 20 && done < count && this.room(d); tries++) {
      const p = r.pick(paths);
      if (!this.free(p) || d.changes.has(p)) continue;
      const lines = /** @type {string[]} */ (this.code.get(p));
      if (r.chance(0.4)) {
        lines.push(...this.codeFunction(p.slice(4, -3), lines.length));
      } else {
        const bodies = lines.flatMap((l, i) => (l.startsWith("  return ") ? [i] : []));
        const i = r.pick(bodies);
        lines[i] = `  return input ?? "${sentence(r, 3 + r.int(5))
          .slice(0, -1)
          .toLowerCase()}";`;
      }
      d.changes.set(p, `${lines.join("\n")}\n`);
      done++;
    }
    return done > 0;
  }

  /**
   * A commit that changes only code, not the tracker.
   * @param {Draft} d
   */
  codeOnly(d) {
    const r = this.rnd;
    if (!this.touchCode(d, r.weighted([1, 2, 3, 4], [50, 25, 15, 10]))) return false;
    d.author = r.pick(this.peopleList);
    const files = [...d.changes.keys()].map((p) => p.slice(4, -3));
    d.message = r.pick([
      `Refactor ${files.join(" and ")}`,
      `Fix ${r.pick(BODY_WORDS)} handling in ${files[0]}`,
      `Speed up ${files[0]}`,
      `Clean up ${files.join(", ")}`,
    ]);
    return true;
  }

  // --- structural events (only while no branch is open) ----------------------

  /**
   * A new person joins, into a team with room or as the lead of a new team.
   * @param {Draft} d
   */
  hire(d) {
    const r = this.rnd;
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    let id = `${first}-${last}`.toLowerCase();
    if (this.people.has(id)) id = `${id}-${this.peopleList.length}`;
    const teams = [...this.teams.values()];
    const open = teams.filter((t) => t.members.length < 8);
    const person = {
      id,
      name: `${first} ${last}`,
      email: `${id}@example.com`,
      tz: r.pick(TIMEZONES),
      tasks: new Set(),
    };
    /** @type {Team} */
    let team;
    let roles = "";
    if (open.length > 0) {
      team = open[0];
      team.members.push(id);
      team.text = team.text.replace(/\nroles:/, `\n  - ${id}\nroles:`);
      d.message = `Welcome ${person.name} to the ${team.id} team`;
    } else {
      const t = teams.length;
      const base = TEAM_NAMES[t % TEAM_NAMES.length];
      const teamId =
        t < TEAM_NAMES.length ? base : `${base}-${Math.floor(t / TEAM_NAMES.length) + 1}`;
      const name = teamId[0].toUpperCase() + teamId.slice(1).replace(/-/g, " ");
      team = {
        id: teamId,
        path: `tracker/teams/${teamId}.yml`,
        text:
          `name: ${name}\ndescription: ${sentence(r, 8 + r.int(8))}\nlead: ${id}\n` +
          `members:\n  - ${id}\nroles: [member]\n`,
        members: [id],
      };
      this.teams.set(teamId, team);
      roles = "roles: [lead]\n";
      d.message = `New team ${name}, led by ${person.name}`;
    }
    d.changes.set(
      `tracker/people/${id}.yml`,
      `name: ${person.name}\nemail: ${person.email}\ngithub: ${id}\n${roles}` +
        `capacity: ${r.pick([40, 40, 40, 32, 24])}\ntimezone: ${person.tz}\n`,
    );
    d.changes.set(team.path, team.text);
    this.people.set(id, person);
    this.peopleList.push(person);
    d.author = this.admin;
    return true;
  }

  /**
   * A new project with its first two milestones.
   * @param {Draft} d
   */
  newProject(d) {
    const r = this.rnd;
    const i = this.projects.length;
    const key = projectKey(i);
    const base = PROJECT_NAMES[i % PROJECT_NAMES.length];
    const name =
      i < PROJECT_NAMES.length ? base : `${base} ${Math.floor(i / PROJECT_NAMES.length) + 1}`;
    const teams = [...this.teams.values()];
    const team = teams[i % teams.length];
    /** @type {Project} */
    const project = {
      key,
      name,
      folder: `${key.toLowerCase()}-${slugify(name)}`,
      team: team.id,
      lead: team.members[0],
      next: 1,
      tasks: [],
      milestones: [],
      weight: 3,
    };
    const dir = `tracker/projects/${project.folder}`;
    let fm = `---\nkey: ${key}\nname: ${name}\nstatus: active\nlead: ${project.lead}\n`;
    fm += `team: ${team.id}\nstart: ${dateOf(this.day)}\n`;
    fm += `target: ${dateOf(this.day + 90 + r.int(180))}\n---\n\n`;
    d.changes.set(`${dir}/project.md`, `${fm}# ${name}\n\n${markdownBody(r, 80, 0)}`);
    this.projects.push(project);
    this.addMilestone(d, project, this.day);
    this.addMilestone(d, project);
    d.author = this.admin;
    d.message = `Start project ${name} (${key})`;
    return true;
  }

  /**
   * @param {Draft} d
   * @param {Project} project
   * @param {number} [start] day; after the project's last milestone when omitted
   */
  addMilestone(d, project, start) {
    const r = this.rnd;
    const last = project.milestones[project.milestones.length - 1];
    const from = start ?? (last ? last.due + 1 : this.day);
    const due = from + 27 + r.int(30);
    const j = project.milestones.length;
    const id = `m-${++this.milestoneCount}`;
    const st = from <= this.day ? "active" : "planned";
    const title = `${project.name} ${MILESTONE_PHASES[j % 4]} ${j + 1}`;
    const text =
      `---\ntitle: ${title}\nstatus: ${st}\nstart: ${dateOf(from)}\ndue: ${dateOf(due)}\n---\n\n` +
      markdownBody(r, 40 + r.int(60), 0);
    /** @type {Milestone} */
    const m = {
      id,
      path: `tracker/projects/${project.folder}/milestones/${id}.md`,
      text,
      status: st,
      start: from,
      due,
    };
    project.milestones.push(m);
    this.milestones.set(id, m);
    d.changes.set(m.path, text);
    return m;
  }

  /**
   * @param {Milestone} m
   * @param {string} st
   */
  setMilestoneStatus(m, st) {
    m.status = st;
    m.text = setField(m.text, "status", st);
  }

  /**
   * The project whose milestones need care today (close, start, plan the next), if any.
   * @returns {Project | undefined}
   */
  milestoneWork() {
    return this.projects.find((p) => {
      const last = p.milestones[p.milestones.length - 1];
      return (
        p.milestones.some(
          (m) =>
            (m.status === "active" && m.due < this.day) ||
            (m.status === "planned" && m.start <= this.day),
        ) ||
        !last ||
        last.due < this.day + 21
      );
    });
  }

  /**
   * @param {Draft} d
   * @param {Project} project
   */
  milestoneHousekeeping(d, project) {
    /** @type {string[]} */
    const notes = [];
    for (const m of project.milestones) {
      if (m.status === "active" && m.due < this.day) {
        this.setMilestoneStatus(m, "done");
        d.changes.set(m.path, m.text);
        notes.push(`close ${m.id}`);
      } else if (m.status === "planned" && m.start <= this.day) {
        this.setMilestoneStatus(m, "active");
        d.changes.set(m.path, m.text);
        notes.push(`start ${m.id}`);
      }
    }
    const last = project.milestones[project.milestones.length - 1];
    if (!last || last.due < this.day + 21) {
      notes.push(`plan ${this.addMilestone(d, project).id}`);
    }
    d.author = this.people.get(project.lead) ?? this.admin;
    d.message = `${project.name} milestones: ${notes.join(", ")}`;
    return true;
  }

  /**
   * Pushes an active milestone's due date back.
   * @param {Draft} d
   */
  moveMilestone(d) {
    const r = this.rnd;
    const active = [...this.milestones.values()].filter(
      (m) => m.status === "active" && m.due >= this.day,
    );
    if (active.length === 0) return false;
    const m = r.pick(active);
    const project = /** @type {Project} */ (this.projects.find((p) => p.milestones.includes(m)));
    m.due += 7 + r.int(15);
    m.text = setField(m.text, "due", dateOf(m.due));
    d.changes.set(m.path, m.text);
    d.author = this.people.get(project.lead) ?? this.admin;
    d.message = `Move ${m.id} (${field(m.text, "title")}) to ${dateOf(m.due)}`;
    return true;
  }

  /**
   * git mv of old closed tasks into their project's archive/.
   * @param {Draft} d
   */
  archive(d) {
    const r = this.rnd;
    const project = r.pick(this.projects.filter((p) => p.tasks.length > 20));
    if (!project) return false;
    const old = project.tasks.filter(
      (t) =>
        this.usable(t) &&
        (status(t) === "done" || status(t) === "cancelled") &&
        t.created < this.day - 60,
    );
    const chosen = old.slice(0, Math.min(old.length, 3 + r.int(10)));
    if (chosen.length === 0) return false;
    for (const t of chosen) {
      const text = renderTask(t);
      d.changes.set(taskPath(t), null);
      t.where = "archive";
      d.changes.set(taskPath(t), text);
      this.live.splice(this.live.indexOf(t), 1);
    }
    d.author = this.people.get(project.lead) ?? this.admin;
    d.message = `Archive ${chosen.length} closed tasks of ${project.name}`;
    return true;
  }

  /**
   * Deletes a task nothing refers to; it is restored a few commits later.
   * @param {Draft} d
   * @returns {Task | undefined}
   */
  deleteTask(d) {
    const referred = new Set();
    for (const t of this.byId.values()) {
      if (t.f.parent) referred.add(t.f.parent);
      for (const x of /** @type {string[]} */ (t.f.depends_on ?? [])) referred.add(x);
    }
    const t = this.pickTask(
      (x) => status(x) === "backlog" && !x.timed && !referred.has(x.id) && x.created < this.day,
    );
    if (!t) return undefined;
    const twin = this.pickTask((x) => x.project === t.project && x !== t);
    d.changes.set(taskPath(t), null);
    t.gone = true;
    this.setAssignees(t, []);
    this.live.splice(this.live.indexOf(t), 1);
    d.author = this.people.get(t.project.lead) ?? this.admin;
    d.message = `Delete ${t.id}: duplicate of ${twin ? twin.id : "an older task"}`;
    return t;
  }

  /**
   * Restores a deleted task exactly as it was.
   * @param {Draft} d
   * @param {Task} t
   */
  restoreTask(d, t) {
    t.gone = false;
    this.live.push(t);
    this.saveTask(d, t);
    d.author = this.people.get(t.project.lead) ?? this.admin;
    d.message = `Restore ${t.id}, deleted by mistake`;
    return true;
  }

  /**
   * Renames a task: new title, so a new file name (git mv plus the title's change).
   * @param {Draft} d
   */
  renameTask(d) {
    const r = this.rnd;
    const t = this.pickTask((x) => OPEN.has(status(x)));
    if (!t) return false;
    let title = String(t.f.title);
    let file = t.file;
    while (file === t.file) {
      title = taskTitle(r);
      file = `${t.id}-${slugify(title)}.md`;
    }
    d.changes.set(taskPath(t), null);
    t.f.title = title;
    t.file = file;
    this.saveTask(d, t);
    d.author = this.workerOf(t);
    d.message = `Rename ${t.id} to "${title}"`;
    return true;
  }

  // --- the commit loop -------------------------------------------------------

  /**
   * Writes the whole history as a fast-import stream.
   * @param {FastImport} out
   */
  async write(out) {
    const r = this.rnd;
    const C = this.commits;
    const times = commitTimes(r, C + 1);
    const skewAt = new Set();
    const skewCount = Math.max(1, Math.round(C * SKEW_SHARE));
    while (skewAt.size < skewCount) skewAt.add(5 + r.int(C - 6));

    // Structural events, each at a step, done at the first later step with no open branch.
    /** @type {{ at: number, kind: string }[]} */
    const events = [];
    /**
     * @param {string} kind
     * @param {number} count
     * @param {number} from share of the history
     * @param {number} to
     */
    const spread = (kind, count, from, to) => {
      for (let i = 0; i < count; i++) {
        events.push({ at: Math.round(C * (from + ((to - from) * (i + 0.5)) / count)), kind });
      }
    };
    const targetPeople = Math.max(8, Math.floor(this.targetTasks / 100));
    const targetProjects = Math.max(3, Math.floor(this.targetTasks / 1000));
    spread("hire", Math.max(0, targetPeople - this.peopleList.length), 0.02, 0.9);
    spread("project", Math.max(0, targetProjects - this.projects.length), 0.05, 0.8);
    spread("archive", Math.max(2, Math.min(6, Math.round(C / 400))), 0.15, 0.95);
    spread("milestone-due", 3, 0.2, 0.9);
    events.push({ at: Math.round(C * 0.35), kind: "delete" });
    events.push({ at: Math.round(C * 0.55), kind: "rename" });
    events.sort((a, b) => a.at - b.at);

    const initialAuthor = this.admin;
    /** @type {Map<string, string>} */
    const first = new Map(this.initialFiles);
    first.set("README.md", /** @type {string} */ (this.readme));
    for (const [p, lines] of this.code) first.set(p, `${lines.join("\n")}\n`);
    this.day = dayOfTime(times[0]);
    let prevAuthorTime = times[0];
    let mainTip = out.commit({
      ref: "refs/heads/main",
      author: ident(initialAuthor, times[0]),
      committer: ident(initialAuthor, times[0]),
      message: "Set up the tracker\n\nThe team's tasks, people and time move into tracker/.\n",
      changes: first,
    });
    this.initialFiles = new Map();

    /** @type {{ name: string, author: Person, touched: Set<string>, net: Map<string, string | null>, tip: number | undefined, base: number, commitsLeft: number, mainLeft: number } | undefined} */
    this.branch = undefined;
    /** @type {{ task: Task, at: number } | undefined} */
    let restore;

    for (let step = 1; step <= C; step++) {
      this.stepIndex = step;
      const time = times[step];
      this.day = dayOfTime(time);
      const left = C - step + 1;
      /** @type {Draft} */
      const d = { changes: new Map(), author: undefined, message: "", cap: MAX_FILES };
      let ref = "refs/heads/main";
      /** @type {number | undefined} */
      let from;
      /** @type {number | undefined} */
      let merge;
      let onBranch = false;

      if (!this.branch && left >= 6 && r.chance(BRANCH_CHANCE)) {
        const commitsLeft = r.weighted([1, 2, 3], [35, 35, 30]);
        const mainLeft = Math.min(left - commitsLeft - 2, r.weighted([0, 1, 2], [50, 30, 20]));
        const author = r.pick(this.peopleList);
        this.branch = {
          name: "",
          author,
          touched: new Set(),
          net: new Map(),
          tip: undefined,
          base: mainTip,
          commitsLeft,
          mainLeft: Math.max(0, mainLeft),
        };
      }
      const b = this.branch;
      if (b && b.commitsLeft > 0 && (b.mainLeft === 0 || r.chance(0.5))) {
        // a commit on the branch
        onBranch = true;
        ref = BRANCH_REF;
        from = b.tip ?? b.base;
        d.cap = MAX_BRANCH_FILES;
        d.author = b.author;
        this.normalCommit(d, left, true);
        if (b.name === "") b.name = branchName(b.author, d);
        b.commitsLeft--;
      } else if (b && b.mainLeft > 0) {
        this.normalCommit(d, left, false);
        b.mainLeft--;
      } else if (b) {
        // the merge
        from = mainTip;
        merge = b.tip;
        for (const [p, content] of b.net) d.changes.set(p, content);
        d.author = b.author;
        d.message = `Merge branch '${b.name}'\n`;
        this.branch = undefined;
      } else if (restore && (step >= restore.at || left <= 2)) {
        this.restoreTask(d, restore.task);
        restore = undefined;
      } else {
        const due = events.length > 0 && events[0].at <= step;
        const project = this.milestoneWork();
        let done = false;
        if (project && left > 1 && (r.chance(0.5) || !due)) {
          done = this.milestoneHousekeeping(d, project);
        }
        if (!done && due && left > 2) {
          const ev = /** @type {{ at: number, kind: string }} */ (events.shift());
          if (ev.kind === "hire") done = this.hire(d);
          else if (ev.kind === "project") done = this.newProject(d);
          else if (ev.kind === "archive") done = this.archive(d);
          else if (ev.kind === "milestone-due") done = this.moveMilestone(d);
          else if (ev.kind === "rename") done = this.renameTask(d);
          else if (ev.kind === "delete") {
            const t = this.deleteTask(d);
            if (t) restore = { task: t, at: step + 5 + r.int(30) };
            done = t !== undefined;
          }
          if (!done) d.changes.clear();
        }
        if (!done) this.normalCommit(d, left, false);
      }

      if (d.changes.size === 0) throw new Error(`step ${step}: empty commit (${d.message})`);
      const author = d.author ?? this.admin;
      let authorTime = time;
      if (skewAt.has(step) && merge === undefined) {
        authorTime = Math.min(time - 7200 - r.int(3 * 86400), prevAuthorTime - 600);
        this.skewed++;
      }
      prevAuthorTime = authorTime;
      const message = d.message.endsWith("\n") ? d.message : `${d.message}\n`;
      const mark = out.commit({
        ref,
        author: ident(author, authorTime),
        committer: ident(author, time),
        message,
        from,
        merge,
        changes: d.changes,
      });
      if (onBranch && this.branch) {
        this.branch.tip = mark;
        for (const [p, content] of d.changes) this.branch.net.set(p, content);
      } else {
        mainTip = mark;
      }
      if (this.branch) for (const p of d.changes.keys()) this.branch.touched.add(p);
      if (step % 50 === 0) await out.flush();
    }
    if (this.taskCount !== this.targetTasks) {
      throw new Error(`the history made ${this.taskCount} tasks, not ${this.targetTasks}`);
    }
    await out.flush();
  }

  /**
   * Where a count should be at this commit: a straight line from `from` (first commit) to `to`
   * (last commit).
   * @param {number} from
   * @param {number} to
   */
  scheduled(from, to) {
    return from + ((to - from) * this.stepIndex) / this.commits;
  }

  /**
   * An everyday commit: new tasks when the schedule needs them, else a mix of edits.
   * @param {Draft} d
   * @param {number} left commits left, this one included
   * @param {boolean} onBranch
   */
  normalCommit(d, left, onBranch) {
    const r = this.rnd;
    // New tasks and time entries follow a straight schedule from the first commit's counts to
    // the targets; a commit that finds them behind catches up, in batches like a team's.
    const need = this.targetTasks - this.taskCount;
    if (need > 0) {
      const behind = this.scheduled(this.initialTasks, this.targetTasks) - this.taskCount;
      if (left <= 1 || (behind > 0 && r.chance(Math.min(1, 0.2 + behind / 30)))) {
        const count =
          left <= 1 ? need : Math.min(need, d.cap, Math.max(1, Math.round(behind + r.int(10))));
        const saved = d.author;
        this.createTasks(d, count);
        if (onBranch && saved) d.author = saved;
        return;
      }
    }
    const behindTime = this.scheduled(this.initialTime, this.targetTime) - this.timeCount;
    if (left > 1 && behindTime > 0 && r.chance(Math.min(0.9, 0.15 + behindTime / 30))) {
      const saved = d.author;
      const ok = this.timesheet(d, Math.max(2, Math.round(behindTime + r.int(8))));
      if (onBranch && saved) d.author = saved;
      if (ok) return;
      d.changes.clear();
    }
    /** @type {Record<string, () => boolean>} */
    const kinds = {
      move: () => this.move(d),
      time: () => this.timesheet(d, r.weighted([1, 2, 3], [60, 25, 15])),
      body: () => this.editBodies(d),
      reassign: () => this.reassign(d),
      estimate: () => this.reestimate(d),
      due: () => this.reschedule(d),
      labels: () => this.relabel(d),
      plan: () => this.plan(d),
      code: () => this.codeOnly(d),
      fixTime: () => this.fixTime(d),
    };
    const names = Object.keys(kinds);
    const weights = onBranch
      ? [40, 10, 12, 4, 6, 4, 4, 0, 15, 0]
      : [30, 10, 9, 8, 6, 6, 5, 4, 8, 2];
    for (let attempt = 0; attempt < 6; attempt++) {
      d.changes.clear();
      const saved = d.author;
      const ok = kinds[r.weighted(names, weights)]();
      if (onBranch && saved) d.author = saved;
      if (ok && d.changes.size > 0) return;
    }
    // Fallback: a new code file always works.
    d.changes.clear();
    const p = `src/notes-${this.code.size}.js`;
    const lines = this.codeFunction("notes", this.code.size);
    this.code.set(p, lines);
    d.changes.set(p, `${lines.join("\n")}\n`);
    d.message = `Add ${p}`;
  }
}

/**
 * Day on the synthetic timeline (UTC) of a Unix time.
 * @param {number} seconds
 */
function dayOfTime(seconds) {
  return Math.floor((seconds * 1000 - EPOCH_MS) / 86400000);
}

/**
 * `Name <email> <time> <offset>` for fast-import.
 * @param {Person} p
 * @param {number} seconds
 */
function ident(p, seconds) {
  return `${p.name} <${p.email}> ${seconds} ${tzOffset(p.tz, seconds)}`;
}

/**
 * A branch name from its first commit: `<first name>/<task>-<words>`.
 * @param {Person} author
 * @param {Draft} d
 */
function branchName(author, d) {
  const who = author.id.split("-")[0];
  const task = /([A-Z]+-\d+)/.exec(d.message)?.[1];
  const words = slugify(d.message.replace(/[A-Z]+-\d+/g, ""))
    .split("-")
    .slice(0, 3)
    .join("-");
  return `${who}/${task ? `${task.toLowerCase()}-` : ""}${words || "work"}`;
}

/** @param {string} p */
const isCode = (p) => p.startsWith("src/");

/**
 * Ticks the first n open checklist items.
 * @param {string} body
 * @param {number} n
 */
function tick(body, n) {
  let out = body;
  for (let i = 0; i < n; i++) out = out.replace("- [ ] ", "- [x] ");
  return out;
}

/** @param {string} body */
function tickAll(body) {
  return body.replaceAll("- [ ] ", "- [x] ");
}

/**
 * Adds an item after the last one of the checklist.
 * @param {string} body
 * @param {string} text
 */
function addChecklistItem(body, text) {
  const lines = body.split("\n");
  let last = -1;
  lines.forEach((l, i) => {
    if (l.startsWith("- [")) last = i;
  });
  if (last < 0) return `${body}\n- [ ] ${text}\n`;
  lines.splice(last + 1, 0, `- [ ] ${text}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// Cached repositories

/**
 * Where the cached repository for these arguments lives.
 * @param {{ tasks?: number, commits?: number, seed?: number }} [options]
 */
export function historyRepoDir(options = {}) {
  const { tasks, commits, seed } = { ...DEFAULTS, ...options };
  return path.join(
    TRACKERS_DIR,
    `history-n${tasks}-c${commits}-s${seed}-g${HISTORY_GENERATOR_VERSION}`,
  );
}

/**
 * The cached history repository for these arguments, generated when missing (into a
 * temporary folder first, so a half-written repository is never reused).
 * @param {{ tasks?: number, commits?: number, seed?: number, regen?: boolean }} [options]
 * @returns {Promise<{ dir: string, stats?: HistoryStats }>}
 */
export async function ensureHistoryRepo(options = {}) {
  const dir = historyRepoDir(options);
  if (options.regen) rmSync(dir, { recursive: true, force: true });
  if (existsSync(path.join(dir, "tracker", "trackdown.yml"))) return { dir };
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(TRACKERS_DIR, { recursive: true });
  const stats = await generateHistoryRepo(partial, options);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  stats.dir = dir;
  return { dir, stats };
}

// ---------------------------------------------------------------------------
// The floor

/**
 * @typedef {object} FloorResult
 * @property {number} commits commits the path-limited first-parent log lists
 * @property {number} entries raw diff lines (file changes) in them
 * @property {number} blobs distinct blobs those changes produced (deletions have none)
 * @property {number} bytes bytes of those blobs
 * @property {number} logMs
 * @property {number} catFileMs
 * @property {number} totalMs
 * @property {number} maxRssKiB
 * @property {string} [error]
 */

/** The log the floor reads: every commit of main's first-parent chain that touches tracker/. */
export const FLOOR_LOG_ARGS = [
  "log",
  "--first-parent",
  "--raw",
  "--no-abbrev",
  "--format=%H",
  "--",
  "tracker/",
];

/**
 * Runs a git command and collects its stdout.
 * @param {string} cwd
 * @param {string[]} args
 * @returns {Promise<Buffer>}
 */
function gitOutput(cwd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] });
    /** @type {Buffer[]} */
    const chunks = [];
    let stderr = "";
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git ${args.join(" ")}: ${stderr.trim()}`));
    });
  });
}

/**
 * Reads blobs through one `git cat-file --batch`: writes every oid to its stdin, parses the
 * `<oid> <type> <size>\n<content>\n` stream of its stdout.
 * @param {string} cwd
 * @param {string[]} oids
 * @returns {Promise<Buffer[]>} the contents, in the order of `oids`
 */
function catFileBatch(cwd, oids) {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], {
      cwd,
      env: gitEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    /** @type {Buffer[]} */
    const contents = [];
    let stderr = "";
    /** @type {Buffer} */
    let buf = Buffer.alloc(0);
    /** @type {Buffer[]} parts of the object being read */
    let parts = [];
    let need = -1; // bytes of content (plus its newline) still to read; -1: reading a header
    let failed = false;
    child.stdout.on("data", (/** @type {Buffer} */ chunk) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      let pos = 0;
      while (pos < buf.length) {
        if (need < 0) {
          const nl = buf.indexOf(10, pos);
          if (nl < 0) break;
          const header = buf.toString("latin1", pos, nl);
          const size = Number(header.slice(header.lastIndexOf(" ") + 1));
          if (header.endsWith(" missing") || !Number.isInteger(size)) {
            failed = true;
            child.kill();
            reject(new Error(`git cat-file: ${header}`));
            return;
          }
          need = size + 1;
          pos = nl + 1;
        } else {
          const take = Math.min(need, buf.length - pos);
          parts.push(buf.subarray(pos, pos + take));
          need -= take;
          pos += take;
          if (need === 0) {
            const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts);
            contents.push(whole.subarray(0, whole.length - 1));
            parts = [];
            need = -1;
          }
        }
      }
      buf = pos < buf.length ? buf.subarray(pos) : Buffer.alloc(0);
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (failed) return;
      if (code !== 0) reject(new Error(`git cat-file --batch: ${stderr.trim()}`));
      else if (contents.length !== oids.length) {
        reject(new Error(`git cat-file --batch gave ${contents.length} of ${oids.length} objects`));
      } else resolve(contents);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(oids.length > 0 ? `${oids.join("\n")}\n` : "");
  });
}

const ZERO_OID = /^0+$/;

/**
 * The floor, in this process: the path-limited first-parent log with raw diffs, then every
 * blob it names through one cat-file. Contents are kept until the end, as a loader would.
 * @param {string} dir the repository (its tracker is in tracker/)
 * @returns {Promise<FloorResult>}
 */
export async function historyFloor(dir) {
  const t0 = performance.now();
  const log = (await gitOutput(dir, FLOOR_LOG_ARGS)).toString("latin1");
  let commits = 0;
  let entries = 0;
  /** @type {Set<string>} */
  const oids = new Set();
  for (const line of log.split("\n")) {
    if (line.startsWith(":")) {
      // :<old mode> <new mode> <old oid> <new oid> <status>\t<path>[\t<path>]
      const oid = line.split(" ", 4)[3];
      entries++;
      if (!ZERO_OID.test(oid)) oids.add(oid);
    } else if (line.length === 40) {
      commits++;
    }
  }
  const t1 = performance.now();
  const contents = await catFileBatch(dir, [...oids]);
  let bytes = 0;
  for (const c of contents) bytes += c.length;
  const t2 = performance.now();
  return {
    commits,
    entries,
    blobs: contents.length,
    bytes,
    logMs: t1 - t0,
    catFileMs: t2 - t1,
    totalMs: t2 - t0,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
}

/**
 * Runs `node bench/history.js --child floor <dir>` and returns what it reports.
 * @param {string} dir
 * @returns {Promise<FloorResult>}
 */
function floorChild(dir) {
  return new Promise((resolve) => {
    /** @type {FloorResult | undefined} */
    let result;
    const child = fork(SELF, ["--child", "floor", dir], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", (m) => {
      result = /** @type {FloorResult} */ (m);
    });
    child.on("exit", (code, signal) => {
      const failed = { commits: 0, entries: 0, blobs: 0, bytes: 0, logMs: 0, catFileMs: 0 };
      resolve(
        result ?? {
          ...failed,
          totalMs: 0,
          maxRssKiB: 0,
          error: `child exited with ${signal ?? `code ${code}`} before reporting`,
        },
      );
    });
  });
}

/** @param {number[]} values */
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---------------------------------------------------------------------------
// Command line

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
  /** @type {Record<string, string | boolean>} */
  const flags = {};
  /** @type {string[]} */
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--force" || a === "--regen" || a === "--help" || a === "-h") {
      flags[a.replace(/^-+/, "")] = true;
    } else if (a.startsWith("--")) {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      flags[a.slice(2)] = v;
    } else positional.push(a);
  }
  /** @param {string} name @param {number} fallback */
  const num = (name, fallback) => {
    const v = flags[name] === undefined ? fallback : Number(flags[name]);
    if (!Number.isInteger(v)) throw new Error(`--${name} must be an integer`);
    return v;
  };
  for (const name of Object.keys(flags)) {
    const known = ["tasks", "commits", "seed", "out", "runs", "force", "regen", "help", "h"];
    if (!known.includes(name)) throw new Error(`unknown option --${name}`);
  }
  return {
    positional,
    flags,
    tasks: num("tasks", DEFAULTS.tasks),
    commits: num("commits", DEFAULTS.commits),
    seed: num("seed", DEFAULTS.seed),
    runs: num("runs", 5),
  };
}

const USAGE = `usage: node bench/history.js generate [--tasks 10000] [--commits 2000] [--seed 42]
                                  [--out DIR [--force]] [--regen]
       node bench/history.js floor [DIR] [--runs 5] [--tasks N --commits C --seed S]

generate  writes the history repository to DIR, or without --out to the cache
          (${path.join(TRACKERS_DIR, "history-n<tasks>-c<commits>-s<seed>-g<version>")})
floor     measures git log --first-parent --raw + one git cat-file --batch on DIR, or
          on the cached repository for --tasks/--commits/--seed (generated if missing)`;

/** @param {number} n */
const int = (n) => Math.round(n).toLocaleString("en-US");
/** @param {number} bytes */
const mb = (bytes) => (bytes / 1048576).toFixed(1);

/**
 * @param {HistoryStats} s
 */
function printStats(s) {
  const files = Object.entries(s.headFiles)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${int(n)} ${kind}`)
    .join(", ");
  const phases = Object.entries(s.phasesMs)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`)
    .join(", ");
  console.log(
    `generated ${int(s.commits + 1)} commits (${int(s.merges)} merges, ${int(s.firstParent)} on ` +
      `main's first-parent chain, ${s.skewed} with skewed author dates) for ${int(s.tasks)} ` +
      `tasks (${int(s.initialTasks)} in the first commit), seed ${s.seed}, in ` +
      `${(s.ms / 1000).toFixed(2)} s (${phases}); fast-import stream ${mb(s.streamBytes)} MB\n` +
      `HEAD ${s.head}: ${files}\n.git ${mb(s.gitBytes)} MB → ${s.dir}`,
  );
}

/**
 * @param {string[]} argv
 */
export async function main(argv) {
  if (argv[0] === "--child") {
    const result = await historyFloor(/** @type {string} */ (argv[2]));
    await new Promise((resolve) => {
      if (!process.send) {
        console.log(JSON.stringify(result));
        resolve(undefined);
        return;
      }
      process.send(result, () => {
        process.disconnect();
        resolve(undefined);
      });
    });
    return;
  }
  const [command, ...rest] = argv;
  const args = parseArgs(rest);
  if (args.flags.help || args.flags.h || (command !== "generate" && command !== "floor")) {
    console.log(USAGE);
    process.exitCode = args.flags.help || args.flags.h ? 0 : 1;
    return;
  }
  const options = { tasks: args.tasks, commits: args.commits, seed: args.seed };

  if (command === "generate") {
    if (typeof args.flags.out !== "string") {
      const { dir, stats } = await ensureHistoryRepo({ ...options, regen: !!args.flags.regen });
      if (stats) printStats(stats);
      else console.log(`reusing ${dir} (--regen writes it again)`);
      return;
    }
    const out = path.resolve(args.flags.out);
    if (args.flags.force && existsSync(out) && readdirSync(out).length > 0) {
      // Only clear folders that look like a history repository, never an arbitrary folder.
      if (!existsSync(path.join(out, ".git")) || !existsSync(path.join(out, "tracker"))) {
        throw new Error(`--force refuses to clear ${out}: it has no .git and tracker/`);
      }
      rmSync(out, { recursive: true, force: true });
    }
    printStats(await generateHistoryRepo(out, options));
    return;
  }

  // floor
  let dir = args.positional[0] ? path.resolve(args.positional[0]) : undefined;
  if (!dir) {
    const ensured = await ensureHistoryRepo(options);
    dir = ensured.dir;
    if (ensured.stats) printStats(ensured.stats);
    else process.stderr.write(`reusing ${dir}\n`);
  }
  if (!existsSync(path.join(dir, ".git"))) throw new Error(`${dir} is not a git repository`);
  /** @type {FloorResult[]} */
  const runs = [];
  for (let i = 0; i < args.runs; i++) {
    const r = await floorChild(dir);
    runs.push(r);
    process.stderr.write(
      `floor #${i + 1}: ${
        r.error
          ? `FAILED: ${r.error}`
          : `${(r.totalMs / 1000).toFixed(3)} s (log ${(r.logMs / 1000).toFixed(3)} s, cat-file ` +
            `${(r.catFileMs / 1000).toFixed(3)} s), ${(r.maxRssKiB / 1024).toFixed(0)} MB`
      }\n`,
    );
  }
  const ok = runs.filter((r) => !r.error);
  if (ok.length === 0) throw new Error(runs[0]?.error ?? "no runs");
  const first = ok[0];
  const s = (/** @type {(r: FloorResult) => number} */ pick) =>
    (median(ok.map(pick)) / 1000).toFixed(3);
  console.log(
    [
      "| repository | commits | file changes | blobs | blob MB | git log (s) | cat-file (s) | floor (s) | peak RSS (MB) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      `| ${path.basename(dir)} | ${int(first.commits)} | ${int(first.entries)} | ` +
        `${int(first.blobs)} | ${mb(first.bytes)} | ${s((r) => r.logMs)} | ` +
        `${s((r) => r.catFileMs)} | ${s((r) => r.totalMs)} | ` +
        `${(Math.max(...ok.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} |`,
    ].join("\n"),
  );
  console.log(
    `\nMedian of ${ok.length} fresh processes: \`git ${FLOOR_LOG_ARGS.join(" ")}\`, then one ` +
      "`git cat-file --batch` for every distinct blob it lists. The history loader's target " +
      "is at most 5× the floor.",
  );
  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  const outFile = path.join(OUT_DIR, `history-floor-${stamp}.json`);
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        dir,
        head: git(dir, ["rev-parse", "HEAD"]).trim(),
        command: `git ${FLOOR_LOG_ARGS.join(" ")} | git cat-file --batch`,
        environment: {
          node: process.version,
          git: git(dir, ["--version"]).trim(),
          platform: `${os.platform()} ${os.release()} ${os.arch()}`,
          cpu: os.cpus()[0]?.model,
          cpus: os.cpus().length,
        },
        runs,
      },
      null,
      2,
    )}\n`,
  );
  process.stderr.write(`raw results: ${path.relative(process.cwd(), outFile)}\n`);
  if (ok.length < runs.length) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`history: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
