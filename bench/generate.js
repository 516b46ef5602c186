#!/usr/bin/env node
// Synthetic tracker generator for the Trackdown benchmarks.
//
// Usage: node bench/generate.js --tasks 10000 --out /tmp/x [--seed 42] [--force]
//        node bench/generate.js --history --tasks 10000 --commits 2000  (bench/history.js)
//
// Everything is derived from a seeded PRNG (mulberry32), so the same tasks count and
// seed always give byte-identical trackers. The proportions follow a plausible mid-size
// organisation: 1 person per 100 tasks (at least 8), teams of 8, 1 project per 1,000
// tasks (at least 3), 1 milestone per 100 tasks, about 1 time entry per task.

import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Bumped whenever the output changes, so cached trackers (bench/run.js) are rebuilt. */
export const GENERATOR_VERSION = 1;

/** How many files are written at once. */
const WRITE_CONCURRENCY = 64;

/** Day 0 of the synthetic timeline. */
const EPOCH_MS = Date.UTC(2024, 0, 1);
/** "Today" for the synthetic data: 2026-06-30 (day 911). */
const TODAY = 911;
/** Tasks are created between day 0 and this day. */
const CREATED_SPAN = 880;

/**
 * Seeded PRNG (mulberry32): a function returning floats in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------
// Word lists (plain words only: nothing YAML would read as anything but a string)

// biome-ignore format: compact word list
const FIRST_NAMES = [
  "Ana", "Ben", "Chen", "Dana", "Emil", "Fatima", "Gus", "Hana", "Ivan", "Julia",
  "Kofi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara",
  "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Arjun", "Bea", "Carlos", "Dev",
  "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Kaito", "Lucia", "Mei", "Nils",
];

// biome-ignore format: compact word list
const LAST_NAMES = [
  "Souza", "Okafor", "Wang", "Kowalski", "Larsen", "Haddad", "Moreau", "Sato", "Petrov",
  "Rossi", "Mensah", "Fischer", "Bianchi", "Novak", "Farouk", "Sharma", "Kelly", "Garcia",
  "Nieminen", "Osei", "Brandt", "Ito", "Lopez", "Dubois", "Yilmaz", "Andersen", "Costa",
  "Nakamura", "Horvat", "Silva", "Ahmed", "Berg", "Castillo", "Duarte", "Engel", "Forde",
  "Grant", "Holm", "Ivanova", "Jensen",
];

// biome-ignore format: compact word list
const TIMEZONES = [
  "UTC", "Europe/Berlin", "Europe/Lisbon", "America/New_York", "America/Sao_Paulo",
  "Asia/Tokyo", "Asia/Kolkata", "Africa/Lagos", "Australia/Sydney", "America/Los_Angeles",
];

// biome-ignore format: compact word list
const TEAM_NAMES = [
  "platform", "payments", "growth", "mobile", "web", "data", "infra", "search", "identity",
  "billing", "support", "security", "design", "checkout", "onboarding", "reporting",
];

// biome-ignore format: compact word list
const PROJECT_NAMES = [
  "Website relaunch", "Mobile app", "Public API", "Billing engine", "Data warehouse",
  "Customer portal", "Search service", "Design system", "Checkout flow", "Identity service",
  "Reporting suite", "Partner integrations", "Internal tools", "Notification hub",
  "Onboarding revamp", "Infrastructure upgrade",
];

/** @type {Record<string, [description: string, color: string]>} */
const LABELS = {
  bug: ["Something is broken", "#d73a4a"],
  feature: ["New functionality", "#a2eeef"],
  frontend: ["Browser and UI code", "#1d76db"],
  backend: ["Server side code", "#5319e7"],
  api: ["Public or internal API", "#0e8a16"],
  docs: ["Documentation", "#0075ca"],
  "tech-debt": ["Clean-up with no visible change", "#fbca04"],
  security: ["Security relevant", "#b60205"],
  performance: ["Speed or memory", "#c5def5"],
  ux: ["User experience", "#f9d0c4"],
  design: ["Needs design work", "#e99695"],
  infra: ["Servers, deploys, cloud", "#006b75"],
  ci: ["Build and test pipeline", "#bfd4f2"],
  testing: ["Tests and test tooling", "#d4c5f9"],
  mobile: ["iOS and Android", "#c2e0c6"],
  accessibility: ["Accessibility", "#7057ff"],
  i18n: ["Translations and locales", "#fef2c0"],
  data: ["Data model and migrations", "#bfdadc"],
  "good-first-issue": ["Good for newcomers", "#7057ff"],
  customer: ["Reported by a customer", "#e4e669"],
};
const LABEL_IDS = Object.keys(LABELS);

// biome-ignore format: compact word list
const VERBS = [
  "Add", "Fix", "Refactor", "Remove", "Update", "Improve", "Document", "Investigate",
  "Migrate", "Split", "Speed up", "Test", "Redesign", "Clean up", "Support", "Validate",
  "Cache", "Rename", "Simplify", "Harden", "Localize", "Review", "Measure", "Replace",
];

// biome-ignore format: compact word list
const ADJECTIVES = [
  "flaky", "slow", "broken", "missing", "legacy", "new", "mobile", "public", "internal",
  "empty", "duplicate", "nightly", "shared", "optional", "default", "paged", "nested",
  "stale", "large", "recent",
];

// biome-ignore format: compact word list
const NOUNS = [
  "login page", "checkout form", "invoice export", "search index", "user settings",
  "password reset", "billing report", "dashboard", "notification emails", "audit log",
  "sign up flow", "payment retries", "image upload", "session timeout", "rate limiter",
  "webhook handler", "admin panel", "order history", "tax rules", "price table",
  "release notes", "error messages", "date picker", "file import", "team invites",
  "access tokens", "feature flags", "build cache", "deploy script", "health checks",
  "backup job", "onboarding tour", "profile page", "help center", "status page",
  "data export", "currency format", "cart totals", "coupon codes", "shipping labels",
];

// biome-ignore format: compact word list
const CONTEXTS = [
  "for mobile", "on Safari", "in the API", "for new users", "after deploy", "in reports",
  "for admins", "in staging", "under load", "on slow networks", "for large teams",
  "in dark mode", "for guests", "in the nightly build", "for enterprise plans",
];

// About 200 ordinary English words for the task bodies.
const BODY_WORDS = (
  "the a an and or but if when then because so while after before during about above " +
  "across against along among around behind below beneath beside between beyond into " +
  "through toward under until upon within without user users page pages form forms " +
  "button buttons field fields value values request requests response server client " +
  "browser screen list table row rows column columns report reports file files error " +
  "errors message messages test tests build release version change changes update data " +
  "record records account accounts team teams customer customers order orders invoice " +
  "payment price total number date time week month day morning evening should must can " +
  "could would might will shows show shown loads load saves save opens open closes close " +
  "returns return sends send checks check fails fail works work breaks break moves move " +
  "needs need uses use adds add removes remove keeps keep takes take makes make gives " +
  "give finds find expected actual current previous next first last same other new old " +
  "simple clear slow fast small large empty full wrong right correct missing extra " +
  "still already again only also even just quite very often never always sometimes " +
  "later soon now today this that these those it its we our they their you your which " +
  "what where who how why more less most least each every some any all none both"
).split(" ");

// biome-ignore format: compact word list
const NOTES = [
  "Paired on the tricky part", "Code review", "Wrote tests", "Investigated the logs",
  "Fixed review comments", "Pairing session", "Updated the docs", "Deployed to staging",
  "Call with the customer", "Spike on options",
];

// biome-ignore format: compact word list
const DURATIONS = [
  "15m", "30m", "45m", "1h", "1h", "1h30m", "2h", "2h", "2h30m", "3h", "4h", "1.5h", "6h",
  "1d",
];

// Status mix: older tasks (first 60% of a project) are mostly closed, newer ones mostly open.
const STATUSES = ["backlog", "todo", "doing", "review", "done", "cancelled"];
const OLD_WEIGHTS = [10, 7, 3, 2, 70, 8];
const NEW_WEIGHTS = [30, 30, 15, 8, 15, 2];
const PRIORITIES = ["urgent", "high", "medium", "low"];
const PRIORITY_WEIGHTS = [5, 25, 50, 20];
const ESTIMATES = [0.5, 1, 2, 3, 5, 8, 13];
const ESTIMATE_WEIGHTS = [3, 15, 25, 25, 18, 10, 4];

/**
 * Every distinct lower-case word the generator writes into titles, labels and bodies, sorted:
 * the vocabulary full-text search benchmarks (bench/query.js) draw their queries from.
 */
export const VOCABULARY = Object.freeze(
  [
    ...new Set(
      [...VERBS, ...ADJECTIVES, ...NOUNS, ...CONTEXTS, ...LABEL_IDS, ...BODY_WORDS].flatMap(
        (phrase) => phrase.toLowerCase().split(/[\s-]+/),
      ),
    ),
  ]
    .filter((word) => word !== "")
    .sort(),
);

// ---------------------------------------------------------------------------
// Helpers

/**
 * YYYY-MM-DD of a day index on the synthetic timeline, memoised.
 * @type {string[]}
 */
const DATE_CACHE = [];
/**
 * @param {number} day
 * @returns {string}
 */
function dateOf(day) {
  let s = DATE_CACHE[day];
  if (s === undefined) {
    s = new Date(EPOCH_MS + day * 86400000).toISOString().slice(0, 10);
    DATE_CACHE[day] = s;
  }
  return s;
}

/**
 * Project key of index i: AAA, AAB, …, AAZ, ABA, … (upper case letters, 3 chars; 4 after 17,576).
 * @param {number} i
 * @returns {string}
 */
function projectKey(i) {
  const len = i < 26 ** 3 ? 3 : 4;
  let n = i;
  let key = "";
  for (let k = 0; k < len; k++) {
    key = String.fromCharCode(65 + (n % 26)) + key;
    n = Math.floor(n / 26);
  }
  return key;
}

/**
 * Lower-case slug of a title: its words joined with dashes, at most 6 words.
 * @param {string} title
 * @returns {string}
 */
function slugify(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .slice(0, 6)
    .join("-");
}

/**
 * A random source with the helpers the generator needs.
 * @param {number} seed
 */
function makeRandom(seed) {
  const next = mulberry32(seed);
  return {
    next,
    /** @param {number} n integer in [0, n) */
    int: (n) => Math.floor(next() * n),
    /** @param {number} p true with probability p */
    chance: (p) => next() < p,
    /**
     * @template T
     * @param {readonly T[]} list
     * @returns {T}
     */
    pick: (list) => list[Math.floor(next() * list.length)],
    /**
     * @template T
     * @param {readonly T[]} list
     * @param {readonly number[]} weights
     * @returns {T}
     */
    weighted: (list, weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < list.length; i++) {
        r -= weights[i];
        if (r < 0) return list[i];
      }
      return list[list.length - 1];
    },
    /**
     * k distinct items of a list (k ≤ list length).
     * @template T
     * @param {readonly T[]} list
     * @param {number} k
     * @returns {T[]}
     */
    sample: (list, k) => {
      /** @type {T[]} */
      const out = [];
      while (out.length < k) {
        const item = list[Math.floor(next() * list.length)];
        if (!out.includes(item)) out.push(item);
      }
      return out;
    },
  };
}

/** @typedef {ReturnType<typeof makeRandom>} Random */

/**
 * A sentence of n words from the body word list.
 * @param {Random} rnd
 * @param {number} n
 * @returns {string}
 */
function sentence(rnd, n) {
  let s = rnd.pick(BODY_WORDS);
  s = s[0].toUpperCase() + s.slice(1);
  for (let i = 1; i < n; i++) s += ` ${rnd.pick(BODY_WORDS)}`;
  return `${s}.`;
}

/**
 * A Markdown body of about `words` words: paragraphs, sometimes a checklist.
 * @param {Random} rnd
 * @param {number} words
 * @param {number} doneShare probability that a checklist item is ticked
 * @returns {string}
 */
function markdownBody(rnd, words, doneShare) {
  /** @type {string[]} */
  const blocks = [];
  let left = words;
  const withChecklist = rnd.chance(0.4);
  const checklistAt = withChecklist ? 1 + rnd.int(2) : -1;
  while (left > 0) {
    if (blocks.length === checklistAt) {
      const items = 2 + rnd.int(5);
      /** @type {string[]} */
      const lines = [];
      for (let i = 0; i < items && left > 0; i++) {
        const n = 3 + rnd.int(6);
        const text = sentence(rnd, n).slice(0, -1);
        lines.push(`- [${rnd.chance(doneShare) ? "x" : " "}] ${text}`);
        left -= n;
      }
      blocks.push(`## Checklist\n\n${lines.join("\n")}`);
      continue;
    }
    const target = Math.min(left, 20 + rnd.int(60));
    /** @type {string[]} */
    const sentences = [];
    let used = 0;
    while (used < target) {
      const n = Math.min(target - used, 5 + rnd.int(12));
      sentences.push(sentence(rnd, n));
      used += n;
    }
    blocks.push(sentences.join(" "));
    left -= used;
  }
  return `${blocks.join("\n\n")}\n`;
}

/**
 * A task title: verb, optional adjective, noun, optional context.
 * @param {Random} rnd
 * @returns {string}
 */
function taskTitle(rnd) {
  let t = rnd.pick(VERBS);
  if (rnd.chance(0.4)) t += ` ${rnd.pick(ADJECTIVES)}`;
  t += ` ${rnd.pick(NOUNS)}`;
  if (rnd.chance(0.5)) t += ` ${rnd.pick(CONTEXTS)}`;
  return t;
}

/**
 * @typedef {object} GenerateStats
 * @property {string} dir
 * @property {number} seed
 * @property {number} tasks
 * @property {number} people
 * @property {number} teams
 * @property {number} projects
 * @property {number} milestones
 * @property {number} timeEntries
 * @property {number} files
 * @property {number} bytes
 * @property {number} ms
 */

/**
 * Writes a synthetic tracker into `dir`, which must not exist or be empty.
 * Deterministic for a given `tasks` and `seed`.
 * @param {string} dir
 * @param {{ tasks: number, seed?: number }} options
 * @returns {Promise<GenerateStats>}
 */
export async function generateTracker(dir, { tasks, seed = 42 }) {
  const started = performance.now();
  if (!Number.isInteger(tasks) || tasks < 1) throw new Error(`tasks must be a positive integer`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer`);
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw new Error(`${root} exists and is not empty`);
  }
  mkdirSync(root, { recursive: true });

  const rnd = makeRandom(seed);
  const peopleCount = Math.max(8, Math.floor(tasks / 100));
  const teamCount = Math.max(1, Math.floor(peopleCount / 8));
  const projectCount = Math.max(3, Math.floor(tasks / 1000));
  const milestoneCount = Math.max(projectCount, Math.round(tasks / 100));

  // People: unique first-last ids, shuffled name pairs.
  /** @type {{ id: string, name: string }[]} */
  const people = [];
  const takenIds = new Set();
  while (people.length < peopleCount) {
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    let id = `${first}-${last}`.toLowerCase();
    if (takenIds.has(id)) id = `${id}-${people.length}`;
    takenIds.add(id);
    people.push({ id, name: `${first} ${last}` });
  }
  const personIds = people.map((p) => p.id);

  // Teams: consecutive groups of 8 people; the leftovers are in no team.
  /** @type {{ id: string, members: string[] }[]} */
  const teams = [];
  for (let t = 0; t < teamCount; t++) {
    const base = TEAM_NAMES[t % TEAM_NAMES.length];
    const id = t < TEAM_NAMES.length ? base : `${base}-${Math.floor(t / TEAM_NAMES.length) + 1}`;
    teams.push({ id, members: personIds.slice(t * 8, t * 8 + 8) });
  }
  const inTeam = new Set(teams.flatMap((t) => t.members));
  const teamLeads = new Set(teams.map((t) => t.members[0]));

  // Projects with uneven sizes.
  const weights = Array.from({ length: projectCount }, () => 0.5 + rnd.next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((tasks * w) / weightSum));
  let rest = tasks - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % projectCount, rest--) sizes[i]++;
  const projects = sizes.map((size, i) => {
    const key = projectKey(i);
    const baseName = PROJECT_NAMES[i % PROJECT_NAMES.length];
    const name =
      i < PROJECT_NAMES.length
        ? baseName
        : `${baseName} ${Math.floor(i / PROJECT_NAMES.length) + 1}`;
    const team = teams[i % teams.length];
    return {
      key,
      name,
      folder: `${key.toLowerCase()}-${slugify(name)}`,
      size,
      team,
      lead: team.members[0],
      /** @type {string[]} milestone ids in time order */
      milestones: [],
    };
  });
  for (let m = 0; m < milestoneCount; m++) projects[m % projectCount].milestones.push(`m-${m + 1}`);

  // Per-task facts needed later by the time entries.
  /** @type {{ id: string, created: number, assignees: string[] }[]} */
  const workedOn = [];
  let timeEntries = 0;
  const madeDirs = new Set();
  /** @param {string} d */
  const ensureDir = (d) => {
    if (!madeDirs.has(d)) {
      mkdirSync(d, { recursive: true });
      madeDirs.add(d);
    }
  };

  /** @returns {Generator<[string, string]>} */
  function* files() {
    // trackdown.yml
    yield [join(root, "trackdown.yml"), configYaml(tasks)];
    yield [join(root, ".gitignore"), ".trackdown/\n"];

    ensureDir(join(root, "people"));
    for (const [i, p] of people.entries()) {
      /** @type {string[]} */
      const roles = [];
      if (i === 0) roles.push("admin");
      if (teamLeads.has(p.id)) roles.push("lead");
      if (!inTeam.has(p.id)) roles.push("member");
      let y = `name: ${p.name}\nemail: ${p.id}@example.com\ngithub: ${p.id}\n`;
      if (roles.length > 0) y += `roles: [${roles.join(", ")}]\n`;
      y += `capacity: ${rnd.pick([40, 40, 40, 32, 24])}\ntimezone: ${rnd.pick(TIMEZONES)}\n`;
      yield [join(root, "people", `${p.id}.yml`), y];
    }

    ensureDir(join(root, "teams"));
    for (const t of teams) {
      const name = t.id[0].toUpperCase() + t.id.slice(1).replace(/-/g, " ");
      let y = `name: ${name}\ndescription: ${sentence(rnd, 8 + rnd.int(8))}\nlead: ${t.members[0]}\n`;
      y += `members:\n${t.members.map((m) => `  - ${m}\n`).join("")}roles: [member]\n`;
      yield [join(root, "teams", `${t.id}.yml`), y];
    }

    for (const project of projects) {
      const pdir = join(root, "projects", project.folder);
      ensureDir(join(pdir, "tasks"));
      ensureDir(join(pdir, "milestones"));
      const start = rnd.int(60);
      let fm = `---\nkey: ${project.key}\nname: ${project.name}\nstatus: active\n`;
      fm += `lead: ${project.lead}\nteam: ${project.team.id}\nstart: ${dateOf(start)}\n`;
      fm += `target: ${dateOf(TODAY + 60 + rnd.int(200))}\n---\n\n`;
      yield [join(pdir, "project.md"), `${fm}# ${project.name}\n\n${markdownBody(rnd, 80, 0)}`];

      // Milestones split the timeline of the project evenly; the last one runs past today.
      const k = project.milestones.length;
      const span = TODAY + 60;
      for (const [j, id] of project.milestones.entries()) {
        const mStart = Math.floor((j * span) / k);
        const mDue = Math.floor(((j + 1) * span) / k) - 1;
        const status = mDue < TODAY ? "done" : mStart <= TODAY ? "active" : "planned";
        const title = `${project.name} ${["alpha", "beta", "release", "polish"][j % 4]} ${j + 1}`;
        let m = `---\ntitle: ${title}\nstatus: ${status}\n`;
        m += `start: ${dateOf(mStart)}\ndue: ${dateOf(mDue)}\n---\n\n`;
        yield [join(pdir, "milestones", `${id}.md`), m + markdownBody(rnd, 40 + rnd.int(60), 0)];
      }

      for (let n = 1; n <= project.size; n++) {
        const id = `${project.key}-${n}`;
        const p = n / project.size;
        const status = rnd.weighted(STATUSES, p < 0.6 ? OLD_WEIGHTS : NEW_WEIGHTS);
        const title = taskTitle(rnd);
        const created = Math.min(
          TODAY - 5,
          Math.floor(p * CREATED_SPAN) + rnd.int(20) + (project.size < 50 ? rnd.int(100) : 0),
        );
        const needsAssignee = status === "doing" || status === "review" || status === "done";
        /** @type {string[]} */
        let assignees = [];
        if (needsAssignee || (status !== "backlog" && rnd.chance(0.3))) {
          const count = rnd.weighted([1, 2, 3], [75, 20, 5]);
          const pool = rnd.chance(0.85) ? project.team.members : personIds;
          assignees = rnd.sample(pool, Math.min(count, pool.length));
        }
        let fm = `---\nid: ${id}\ntitle: ${title}\nstatus: ${status}\n`;
        if (assignees.length > 0) fm += `assignees: [${assignees.join(", ")}]\n`;
        if (rnd.chance(0.9)) fm += `priority: ${rnd.weighted(PRIORITIES, PRIORITY_WEIGHTS)}\n`;
        if (rnd.chance(0.8)) fm += `estimate: ${rnd.weighted(ESTIMATES, ESTIMATE_WEIGHTS)}\n`;
        fm += `labels: [${rnd.sample(LABEL_IDS, 1 + rnd.int(3)).join(", ")}]\n`;
        if (rnd.chance(0.7)) {
          fm += `milestone: ${project.milestones[Math.min(k - 1, Math.floor(p * k))]}\n`;
        }
        if (n > 1 && rnd.chance(0.1)) {
          fm += `parent: ${project.key}-${n - 1 - rnd.int(Math.min(n - 1, 200))}\n`;
        }
        if (n > 1 && rnd.chance(0.15)) {
          const window = Math.min(n - 1, 100);
          const count = Math.min(window, rnd.weighted([1, 2, 3], [70, 25, 5]));
          /** @type {number[]} */
          const deps = [];
          while (deps.length < count) {
            const d = n - 1 - rnd.int(window);
            if (!deps.includes(d)) deps.push(d);
          }
          fm += `depends_on:\n${deps.map((d) => `  - ${project.key}-${d}\n`).join("")}`;
        }
        if (rnd.chance(0.5)) {
          const start = created + rnd.int(20);
          fm += `start: ${dateOf(start)}\ndue: ${dateOf(start + 2 + rnd.int(30))}\n`;
        }
        fm += `created: ${dateOf(created)}\n---\n\n`;
        const words = 50 + Math.floor(450 * rnd.next() ** 1.7);
        const doneShare = status === "done" ? 0.95 : status === "doing" ? 0.5 : 0.1;
        const file = join(pdir, "tasks", `${id}-${slugify(title)}.md`);
        if (needsAssignee) workedOn.push({ id, created, assignees });
        yield [file, fm + markdownBody(rnd, words, doneShare)];
      }
    }

    // Time entries: about one per task overall, only on tasks someone worked on.
    const perTask = workedOn.length > 0 ? tasks / workedOn.length : 0;
    const names = new Set();
    for (const t of workedOn) {
      const count = Math.floor(perTask * 2 * rnd.next() + rnd.next());
      for (let e = 0; e < count; e++) {
        const person = rnd.pick(t.assignees);
        const last = Math.min(TODAY, t.created + 45);
        const date = dateOf(t.created + rnd.int(last - t.created + 1));
        let name;
        do {
          let suffix = "";
          for (let c = 0; c < 4; c++) suffix += rnd.int(36).toString(36);
          name = `${date}-${person}-${t.id}-${suffix}.yml`;
        } while (names.has(name));
        names.add(name);
        let y = `person: ${person}\ntask: ${t.id}\ndate: ${date}\nduration: ${rnd.pick(DURATIONS)}\n`;
        if (rnd.chance(0.6)) y += `note: ${rnd.pick(NOTES)}\n`;
        if (rnd.chance(0.25)) y += "billable: true\n";
        const monthDir = join(root, "time", date.slice(0, 7));
        ensureDir(monthDir);
        timeEntries++;
        yield [join(monthDir, name), y];
      }
    }
  }

  const { count, bytes } = await writeAll(files(), WRITE_CONCURRENCY);
  return {
    dir: root,
    seed,
    tasks,
    people: peopleCount,
    teams: teamCount,
    projects: projectCount,
    milestones: milestoneCount,
    timeEntries,
    files: count,
    bytes,
    ms: performance.now() - started,
  };
}

/**
 * trackdown.yml of the synthetic tracker. No WIP limits, so any size stays valid.
 * @param {number} tasks
 * @returns {string}
 */
function configYaml(tasks) {
  const labels = LABEL_IDS.map(
    (id) => `  ${id}:\n    description: ${LABELS[id][0]}\n    color: "${LABELS[id][1]}"\n`,
  ).join("");
  return `# Synthetic benchmark tracker (bench/generate.js, ${tasks} tasks)
version: 1
key: bench
name: Benchmark tracker
timezone: UTC
hours_per_day: 8
estimate_unit: points
workflow:
  initial: backlog
  statuses:
    - id: backlog
      name: Backlog
      category: todo
      description: Ideas and requests nobody has committed to yet.
    - id: todo
      name: To do
      category: todo
    - id: doing
      name: In progress
      category: in-progress
      required: [assignees]
    - id: review
      name: Review
      category: in-progress
      required: [assignees]
    - id: done
      name: Done
      category: done
    - id: cancelled
      name: Cancelled
      category: done
  transitions:
    backlog: [todo, cancelled]
    todo: [doing, backlog, cancelled]
    doing: [review, todo, cancelled]
    review: [done, doing]
    done: [doing]
    "*": [cancelled]
priorities: [urgent, high, medium, low]
labels:
${labels}roles:
  admin:
    description: Can change everything.
    permissions: ["*"]
  lead:
    description: Team and project leads.
    permissions:
      - task:create
      - task:edit
      - task:delete
      - task:assign
      - task:move
      - milestone:edit
      - project:edit
      - time:log-any
      - teams:edit
  member:
    permissions: [task:create, task:edit, task:assign, task:move, time:log-own]
  guest:
    description: Pull-request authors not in people/.
    permissions: [task:create, task:move:todo]
default_role: guest
`;
}

/**
 * The generator's building blocks, for bench/history.js, which grows a tracker commit by
 * commit in the same style. Read-only; using them does not change what generateTracker
 * writes.
 */
export const internals = Object.freeze({
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
});

/**
 * Writes files from an iterator with at most `concurrency` writes in flight.
 * @param {Iterator<[string, string]>} iterator
 * @param {number} concurrency
 * @returns {Promise<{ count: number, bytes: number }>}
 */
async function writeAll(iterator, concurrency) {
  let count = 0;
  let bytes = 0;
  async function worker() {
    for (;;) {
      const next = iterator.next();
      if (next.done) return;
      const [path, text] = next.value;
      count++;
      bytes += Buffer.byteLength(text);
      await writeFile(path, text);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, bytes };
}

/**
 * Command line: node bench/generate.js --tasks N --out DIR [--seed S] [--force]
 * @param {string[]} argv
 */
async function main(argv) {
  if (argv.includes("--history")) {
    // A git repository with a history, not just a tracker: bench/history.js does it.
    const { main: historyMain } = await import("./history.js");
    await historyMain(["generate", ...argv.filter((a) => a !== "--history")]);
    return;
  }
  /** @type {Record<string, string | boolean>} */
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--force" || a === "--help" || a === "-h") args[a.replace(/^-+/, "")] = true;
    else if (a.startsWith("--")) args[a.slice(2)] = argv[++i];
    else throw new Error(`unexpected argument ${a}`);
  }
  if (args.help || args.h || !args.out) {
    console.log(
      "usage: node bench/generate.js --tasks 10000 --out DIR [--seed 42] [--force]\n" +
        "       node bench/generate.js --history --tasks 10000 --commits 2000 [--out DIR] [--seed 42]",
    );
    process.exitCode = args.out ? 0 : 1;
    return;
  }
  const tasks = Number(args.tasks ?? 1000);
  const seed = Number(args.seed ?? 42);
  const out = resolve(String(args.out));
  if (args.force && existsSync(out) && readdirSync(out).length > 0) {
    // Only clear folders that look like a tracker, never an arbitrary folder.
    if (!existsSync(join(out, "trackdown.yml"))) {
      throw new Error(`--force refuses to clear ${out}: it has no trackdown.yml`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  const s = await generateTracker(out, { tasks, seed });
  console.log(
    `generated ${s.tasks} tasks, ${s.people} people, ${s.teams} teams, ${s.projects} projects, ` +
      `${s.milestones} milestones, ${s.timeEntries} time entries: ${s.files} files, ` +
      `${(s.bytes / 1048576).toFixed(1)} MB in ${(s.ms / 1000).toFixed(2)} s (seed ${s.seed}) → ${s.dir}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`generate: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
