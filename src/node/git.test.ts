import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitSource } from "../core/git/git-source.js";
import { GitProblem, resolveRevision } from "../core/git/repository.js";
import { memoryParseCache } from "../core/memory-cache.js";
import type { Tracker } from "../core/model.js";
import { openTracker } from "../core/open-tracker.js";
import { classifyPath } from "../core/parse/layout.js";
import type { Source } from "../core/source.js";
import { commitAll, edit, git, write } from "../test-support/git.js";
import { ACME, copyOfAcme, tempDir } from "../test-support/temp.js";
import { commitAt, loadTrackerAt, repositoryOf } from "./git.js";
import { loadTracker } from "./load.js";

// Reading a tracker from git history with isomorphic-git, proved against real repositories
// written by the git binary: revisions, dates in the tracker's time zone, shallow clones,
// missing objects, and the blob-id parse cache.

/** Folders made for a whole describe block (tempDir's are removed after every test). */
const shared: string[] = [];
function sharedDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  shared.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of shared.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const WEB16 = "tracker/projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";
const WEB16_IN_TRACKER = WEB16.slice("tracker/".length);
const WEB32 = "tracker/projects/web/tasks/WEB-32-cookie-settings-page.md";
const TIME_ENTRY = "tracker/time/2026-11/2026-11-01-ana-WEB-32-q7x2.yml";

/** Dates of the three commits on main, in Europe/Berlin (acme's time zone). */
const OCT_01 = "2026-10-01T09:00:00+02:00";
const OCT_15 = "2026-10-15T12:00:00+02:00";
const NOV_01 = "2026-11-01T10:00:00+01:00";

interface History {
  /** The repository's root; the tracker is in `tracker/`. */
  readonly root: string;
  readonly tracker: string;
  /** Acme as it is; tagged v1 (annotated). */
  readonly c1: string;
  /** WEB-16's status mistyped as "doen" (fails validation). */
  readonly c2: string;
  /** WEB-16 done, WEB-32 added, time logged on it, maria removed. HEAD of main. */
  readonly c3: string;
  /** On branch feature, from v1: WEB-16 back to doing. */
  readonly feature: string;
}

/** A repository holding acme in tracker/, with three dated commits, a tag and a branch. */
function makeHistory(): History {
  const root = sharedDir("trackdown-git-history-");
  cpSync(ACME, join(root, "tracker"), {
    recursive: true,
    filter: (src) => !src.includes(".trackdown"),
  });
  write(root, "README.md", "# A product repository with its plan in tracker/\n");
  git(root, ["init", "-q", "-b", "main"]);
  const c1 = commitAll(root, "Acme plan", OCT_01);
  git(root, ["tag", "-a", "v1", "-m", "First plan"], { GIT_COMMITTER_DATE: OCT_01 });

  edit(root, WEB16, "status: review", "status: doen");
  const c2 = commitAll(root, "WEB-16 is done (with a typo)", OCT_15);

  edit(root, WEB16, "status: doen", "status: done");
  write(
    root,
    WEB32,
    "---\nid: WEB-32\ntitle: Cookie settings page\nstatus: todo\npriority: medium\ncreated: 2026-11-01\n---\n\nLet visitors change their consent later.\n",
  );
  write(
    root,
    TIME_ENTRY,
    "person: ana\ntask: WEB-32\ndate: 2026-11-01\nduration: 1h30m\nnote: First draft\n",
  );
  rmSync(join(root, "tracker", "people", "maria.yml"));
  const c3 = commitAll(root, "WEB-32, time on it, Maria left", NOV_01);

  git(root, ["checkout", "-q", "-b", "feature", "v1"]);
  edit(root, WEB16, "status: review", "status: doing");
  const feature = commitAll(root, "WEB-16 back to doing", "2026-10-20T09:00:00+02:00");
  git(root, ["checkout", "-q", "main"]);
  return { root, tracker: join(root, "tracker"), c1, c2, c3, feature };
}

const statusOf = (tracker: Tracker, id: string) => tracker.task(id)?.status;
const brief = (tracker: Tracker) =>
  tracker.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);

/** Expects the promise to reject with a GitProblem; returns its message. */
async function gitProblem(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitProblem);
  return (error as GitProblem).message;
}

describe("reading a tracker from git history", () => {
  let h: History;
  beforeAll(() => {
    h = makeHistory();
  });

  it("finds the repository and the tracker's folder in it", async () => {
    const where = await repositoryOf(h.tracker);
    expect(where.prefix).toBe("tracker");
    expect(where.repo.dir).toBe(h.root);
    expect(where.repo.gitdir).toBe(join(h.root, ".git"));
  });

  it("reads HEAD exactly as the working tree", async () => {
    const [atHead, working] = await Promise.all([
      loadTrackerAt(h.tracker, "HEAD"),
      loadTracker(h.tracker, { cache: false }),
    ]);
    expect(atHead.tasks.map((t) => [t.id, t.status, t.file])).toEqual(
      working.tasks.map((t) => [t.id, t.status, t.file]),
    );
    expect(atHead.archivedTasks.map((t) => t.id)).toEqual(working.archivedTasks.map((t) => t.id));
    expect(atHead.people.map((p) => p.id)).toEqual(working.people.map((p) => p.id));
    expect(atHead.timeEntries.map((e) => e.file).sort()).toEqual(
      working.timeEntries.map((e) => e.file).sort(),
    );
    expect(atHead.attachments.slice().sort()).toEqual(working.attachments.slice().sort());
    expect(atHead.settings).toEqual(working.settings);
    expect(brief(atHead)).toEqual(brief(working));
    expect(atHead.tasks).toHaveLength(64);
    expect(statusOf(atHead, "WEB-16")).toBe("done");
    expect(atHead.person("maria")).toBeUndefined();
    expect(atHead.timeEntries.find((e) => e.task === "WEB-32")?.minutes).toBe(90);
    expect(atHead.task("WEB-16")?.body).toBe(working.task("WEB-16")?.body);
  });

  it("says where the snapshot came from", async () => {
    const tracker = await loadTrackerAt(h.tracker, "HEAD");
    expect(tracker.source).toContain(h.c3.slice(0, 12));
    expect(tracker.source).toContain("tracker");
  });

  it("reads the commit before HEAD (HEAD~1, HEAD^), with the diagnostics it had then", async () => {
    const tracker = await loadTrackerAt(h.tracker, "HEAD~1");
    expect(tracker.tasks).toHaveLength(63);
    expect(tracker.task("WEB-32")).toBeUndefined();
    expect(tracker.person("maria")?.name).toBe("Maria Keller");
    expect(statusOf(tracker, "WEB-16")).toBe("doen");
    // the mistyped status fails validation in that commit, located at the field
    const text = git(h.root, ["show", `${h.c2}:${WEB16}`]);
    const line = text.split("\n").findIndex((l) => l.startsWith("status:")) + 1;
    const problem = tracker.diagnostics.find((d) => d.file === WEB16_IN_TRACKER);
    expect(problem).toMatchObject({ severity: "error", line, column: "status: ".length + 1 });
    expect(problem?.message).toContain("doen");
    // …and that problem is gone at HEAD
    const head = await loadTrackerAt(h.tracker, "HEAD");
    expect(head.diagnostics.filter((d) => d.file === WEB16_IN_TRACKER)).toEqual([]);

    const where = await repositoryOf(h.tracker);
    expect(await resolveRevision(where.repo, "HEAD~1")).toBe(h.c2);
    expect(await resolveRevision(where.repo, "HEAD^")).toBe(h.c2);
    expect(await resolveRevision(where.repo, "HEAD~2")).toBe(h.c1);
    expect(await resolveRevision(where.repo, "HEAD^^")).toBe(h.c1);
    expect(await resolveRevision(where.repo, "main~1")).toBe(h.c2);
    expect(await resolveRevision(where.repo, "HEAD~0")).toBe(h.c3);
  });

  it("reads an annotated tag as the commit it tags", async () => {
    const where = await repositoryOf(h.tracker);
    expect(await resolveRevision(where.repo, "v1")).toBe(h.c1);
    const tracker = await loadTrackerAt(h.tracker, "v1");
    expect(statusOf(tracker, "WEB-16")).toBe("review");
    expect(tracker.person("maria")).toBeDefined();
    expect(tracker.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(brief(tracker)).toEqual(brief(await loadTracker(ACME, { cache: false })));
  });

  it("reads a lightweight tag and a tag followed by ~N", async () => {
    const root = h.root;
    git(root, ["tag", "light", h.c2]);
    try {
      const where = await repositoryOf(h.tracker);
      expect(await resolveRevision(where.repo, "light")).toBe(h.c2);
      expect(await resolveRevision(where.repo, "light~1")).toBe(h.c1);
    } finally {
      git(root, ["tag", "-d", "light"]);
    }
  });

  it("reads another branch without checking it out", async () => {
    const tracker = await loadTrackerAt(h.tracker, "feature");
    expect(statusOf(tracker, "WEB-16")).toBe("doing");
    expect(tracker.task("WEB-32")).toBeUndefined();
    const where = await repositoryOf(h.tracker);
    expect(await resolveRevision(where.repo, "feature")).toBe(h.feature);
    expect(await resolveRevision(where.repo, "feature~1")).toBe(h.c1);
    // the working tree is still main's
    expect(statusOf(await loadTracker(h.tracker, { cache: false }), "WEB-16")).toBe("done");
  });

  it("reads a full or abbreviated commit id", async () => {
    const where = await repositoryOf(h.tracker);
    expect(await resolveRevision(where.repo, h.c2)).toBe(h.c2);
    expect(await resolveRevision(where.repo, h.c2.slice(0, 7))).toBe(h.c2);
    expect(await resolveRevision(where.repo, h.c2.slice(0, 7).toUpperCase())).toBe(h.c2);
    expect(await resolveRevision(where.repo, `${h.c2.slice(0, 10)}~1`)).toBe(h.c1);
    const tracker = await loadTrackerAt(h.tracker, h.c2.slice(0, 8));
    expect(statusOf(tracker, "WEB-16")).toBe("doen");
  });

  it("reads a date as the last commit of HEAD's first-parent chain made on or before that day", async () => {
    const where = await repositoryOf(h.tracker);
    const berlin = "Europe/Berlin";
    expect(await commitAt(where, "2026-10-20", berlin)).toBe(h.c2);
    expect(await commitAt(where, "2026-10-15", berlin)).toBe(h.c2);
    expect(await commitAt(where, "2026-10-14", berlin)).toBe(h.c1);
    expect(await commitAt(where, "2026-10-01", berlin)).toBe(h.c1);
    expect(await commitAt(where, "2026-11-01", berlin)).toBe(h.c3);
    expect(await commitAt(where, "2027-01-01", berlin)).toBe(h.c3);
    // the feature branch's commit (2026-10-20) is not on HEAD's chain
    expect(await commitAt(where, "2026-10-31", berlin)).toBe(h.c2);
    const tracker = await loadTrackerAt(h.tracker, "2026-10-20", { timezone: berlin });
    expect(statusOf(tracker, "WEB-16")).toBe("doen");
  });

  it("says so when a date is older than the first commit", async () => {
    const where = await repositoryOf(h.tracker);
    const message = await gitProblem(commitAt(where, "2026-09-30", "Europe/Berlin"));
    expect(message).toContain("2026-09-30");
    expect(message).toMatch(/no commit/i);
    await gitProblem(loadTrackerAt(h.tracker, "2026-09-30", { timezone: "Europe/Berlin" }));
  });

  it("names a branch, tag or commit that does not exist", async () => {
    expect(await gitProblem(loadTrackerAt(h.tracker, "nope"))).toBe(
      'There is no branch, tag or commit "nope" in this repository.',
    );
    expect(await gitProblem(loadTrackerAt(h.tracker, "nope~2"))).toContain(
      'There is no branch, tag or commit "nope"',
    );
    expect(await gitProblem(loadTrackerAt(h.tracker, "deadbeef"))).toContain(
      'There is no branch, tag or commit "deadbeef"',
    );
    expect(await gitProblem(loadTrackerAt(h.tracker, "~1"))).toContain('"~1"');
  });

  it("says an abbreviated id is ambiguous rather than missing", async () => {
    // two new blobs whose ids share their first 4 hex digits, written into the repository
    const dir = tempDir("trackdown-git-ambiguous-");
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const text = `ambiguity ${i}\n`;
      const oid = createHash("sha1").update(`blob ${text.length}\0${text}`).digest("hex");
      const other = seen.get(oid.slice(0, 4));
      if (other !== undefined) pair = [other, text];
      else seen.set(oid.slice(0, 4), text);
    }
    writeFileSync(join(dir, "a"), pair[0]);
    writeFileSync(join(dir, "b"), pair[1]);
    const [a, b] = git(h.root, ["hash-object", "-w", join(dir, "a"), join(dir, "b")]).split("\n");
    const prefix = a!.slice(0, 4);
    expect(b!.slice(0, 4)).toBe(prefix);
    const where = await repositoryOf(h.tracker);
    const message = await gitProblem(resolveRevision(where.repo, prefix));
    expect(message).toContain(prefix);
    expect(message).toMatch(/ambiguous/i);
  });

  it("says so when ~N goes back past the first commit", async () => {
    const message = await gitProblem(loadTrackerAt(h.tracker, "HEAD~99"));
    expect(message).toBe('"HEAD~99" goes back further than the first commit.');
    await gitProblem(loadTrackerAt(h.tracker, "HEAD~3"));
    expect(statusOf(await loadTrackerAt(h.tracker, "HEAD~2"), "WEB-16")).toBe("review");
  });

  it("parses a file content shared by two commits once (the cache is keyed by blob id)", async () => {
    const where = await repositoryOf(h.tracker);
    const cache = memoryParseCache();
    let reads = 0;
    const counted = (source: Source): Source => ({
      ...source,
      list: () => source.list(),
      read: (path) => {
        reads++;
        return source.read(path);
      },
    });
    const first = await openTracker(
      counted(gitSource(where.repo, { commit: h.c1, prefix: "tracker" })),
      { cache },
    );
    const readsOfFirst = reads;
    const second = await openTracker(
      counted(gitSource(where.repo, { commit: h.c3, prefix: "tracker" })),
      { cache },
    );
    expect(first.tasks).toHaveLength(63);
    expect(second.tasks).toHaveLength(64);

    // distinct (kind, blob id) pairs of record files at each commit, as git lists them
    const records = (commit: string) => {
      const keys = new Set<string>();
      for (const line of git(h.root, ["ls-tree", "-r", commit, "tracker/"]).split("\n")) {
        const [meta, path] = line.split("\t");
        const oid = meta?.split(" ")[2];
        const role = classifyPath(path!.slice("tracker/".length));
        if (role.role === "record") keys.add(`${role.kind} ${oid}`);
      }
      return keys;
    };
    const atFirst = records(h.c1);
    const atSecond = records(h.c3);
    const all = new Set([...atFirst, ...atSecond]);
    const onlySecond = [...atSecond].filter((k) => !atFirst.has(k));
    expect(cache.size).toBe(all.size);
    expect(readsOfFirst).toBe(atFirst.size);
    // the second commit shares all but WEB-16, WEB-32 and the new time entry with the first
    expect(onlySecond).toHaveLength(3);
    expect(reads - readsOfFirst).toBe(3);

    // a third load of the first commit reads nothing and gives the same snapshot
    const again = await openTracker(
      counted(gitSource(where.repo, { commit: h.c1, prefix: "tracker" })),
      { cache },
    );
    expect(reads - readsOfFirst).toBe(3);
    expect(brief(again)).toEqual(brief(first));
    expect(again.task("WEB-16")?.body).toBe(first.task("WEB-16")?.body);
  });

  it("reads a linked worktree (git worktree add): its HEAD and the shared branches", async () => {
    const wt = join(sharedDir("trackdown-git-worktree-"), "wt");
    git(h.root, ["worktree", "add", "-q", wt, "feature"]);
    const tracker = join(wt, "tracker");
    expect((await repositoryOf(tracker)).prefix).toBe("tracker");
    expect(statusOf(await loadTrackerAt(tracker, "HEAD"), "WEB-16")).toBe("doing");
    expect(statusOf(await loadTrackerAt(tracker, "main"), "WEB-16")).toBe("done");
    expect(statusOf(await loadTrackerAt(tracker, "v1"), "WEB-16")).toBe("review");
  });

  it("reads a repository whose .git is a file pointing elsewhere (--separate-git-dir)", async () => {
    const dir = tempDir("trackdown-git-separate-");
    const work = join(dir, "work");
    write(work, "trackdown.yml", "version: 1\nkey: t\nname: Separate\n");
    write(work, "people/ana.yml", "name: Ana\n");
    git(dir, ["init", "-q", "-b", "main", "--separate-git-dir", join(dir, "store.git"), work]);
    commitAll(work, "Plan", OCT_01);
    const tracker = await loadTrackerAt(work, "HEAD");
    expect(tracker.people.map((p) => p.id)).toEqual(["ana"]);
  });

  it("refuses a folder that is not in a git repository", async () => {
    const outside = copyOfAcme();
    expect(await gitProblem(repositoryOf(outside))).toContain("is not inside a git repository");
    expect(await gitProblem(loadTrackerAt(outside, "HEAD"))).toContain(
      "is not inside a git repository",
    );
  });

  it("says so when the commit has no tracker folder", async () => {
    const dir = tempDir("trackdown-git-late-");
    write(dir, "README.md", "before the plan\n");
    git(dir, ["init", "-q", "-b", "main"]);
    commitAll(dir, "No plan yet", OCT_01);
    write(dir, "plan/trackdown.yml", "version: 1\nkey: t\nname: T\n");
    commitAll(dir, "A plan", OCT_15);
    expect((await loadTrackerAt(join(dir, "plan"), "HEAD")).settings.key).toBe("t");
    expect(await gitProblem(loadTrackerAt(join(dir, "plan"), "HEAD~1"))).toContain(
      'no folder "plan"',
    );
  });
});

describe("dates are days in the tracker's time zone", () => {
  // 2026-10-15T23:30:00Z is 2026-10-16 01:30 in Berlin
  let root: string;
  let noon: string;
  let lateUtc: string;
  beforeAll(() => {
    root = sharedDir("trackdown-git-tz-");
    write(root, "trackdown.yml", "version: 1\nkey: t\nname: Time zones\ntimezone: Europe/Berlin\n");
    write(root, "people/ana.yml", "name: Ana\n");
    git(root, ["init", "-q", "-b", "main"]);
    noon = commitAll(root, "Noon in Berlin", OCT_15);
    write(root, "people/ben.yml", "name: Ben\n");
    lateUtc = commitAll(root, "Late evening in UTC", "2026-10-15T23:30:00+00:00");
  });

  it("puts a commit made at 23:30 UTC on the next day in Berlin", async () => {
    const where = await repositoryOf(root);
    expect(where.prefix).toBe("");
    expect(await commitAt(where, "2026-10-15", "Europe/Berlin")).toBe(noon);
    expect(await commitAt(where, "2026-10-16", "Europe/Berlin")).toBe(lateUtc);
    expect(await commitAt(where, "2026-10-15", "UTC")).toBe(lateUtc);
    expect(await commitAt(where, "2026-10-15", "America/New_York")).toBe(lateUtc);
    const tracker = await loadTrackerAt(root, "2026-10-15", { timezone: "Europe/Berlin" });
    expect(tracker.people.map((p) => p.id)).toEqual(["ana"]);
  });

  it("reads a date in the tracker's own time zone when none is given", async () => {
    // loadTrackerAt's callers should not need to know the zone: trackdown.yml says Berlin
    const tracker = await loadTrackerAt(root, "2026-10-15");
    expect(tracker.people.map((p) => p.id)).toEqual(["ana"]);
  });
});

describe("a shallow clone", () => {
  let clone: string;
  let head: string;
  beforeAll(() => {
    const h = makeHistory();
    const parent = sharedDir("trackdown-git-shallow-");
    git(parent, ["clone", "-q", "--depth", "1", `file://${h.root}`, "clone"]);
    clone = join(parent, "clone");
    head = h.c3;
  });

  it("reads HEAD", async () => {
    expect(readFileSync(join(clone, ".git", "shallow"), "utf8").trim()).toBe(head);
    const tracker = await loadTrackerAt(join(clone, "tracker"), "HEAD");
    expect(tracker.tasks).toHaveLength(64);
    expect(statusOf(tracker, "WEB-16")).toBe("done");
    expect(brief(tracker)).toEqual(
      brief(await loadTracker(join(clone, "tracker"), { cache: false })),
    );
    // the clone's branches are remote-tracking refs, in packed-refs
    const where = await repositoryOf(join(clone, "tracker"));
    expect(await resolveRevision(where.repo, "origin/main")).toBe(head);
  });

  it("explains that history before the clone's depth is missing, and how to fetch it", async () => {
    for (const revision of ["HEAD~1", "HEAD~2"]) {
      const message = await gitProblem(loadTrackerAt(join(clone, "tracker"), revision));
      expect(message).toContain("shallow clone");
      expect(message).toContain("git fetch --unshallow");
      expect(message).toContain("fetch-depth: 0");
    }
  });

  it("explains it when .git is a file (a submodule, --separate-git-dir)", async () => {
    const dir = tempDir("trackdown-git-shallow-separate-");
    const source = git(clone, ["config", "remote.origin.url"]);
    git(dir, [
      "clone",
      "-q",
      "--depth",
      "1",
      "--separate-git-dir",
      join(dir, "store.git"),
      source,
      "work",
    ]);
    const tracker = join(dir, "work", "tracker");
    expect((await loadTrackerAt(tracker, "HEAD")).tasks).toHaveLength(64);
    const message = await gitProblem(loadTrackerAt(tracker, "HEAD~1"));
    expect(message).toContain("shallow clone");
    expect(message).toContain("git fetch --unshallow");
  });

  it("explains it for a date older than the clone's history too", async () => {
    const where = await repositoryOf(join(clone, "tracker"));
    expect(await commitAt(where, "2026-11-02", "Europe/Berlin")).toBe(head);
    const message = await gitProblem(commitAt(where, "2026-10-20", "Europe/Berlin"));
    expect(message).toContain("shallow clone");
    expect(message).toContain("git fetch --unshallow");
  });
});

describe("missing or damaged objects", () => {
  /** A single-commit copy of acme in tracker/ with every object loose. */
  function looseRepo(): { root: string; tracker: string } {
    const root = tempDir("trackdown-git-corrupt-");
    cpSync(ACME, join(root, "tracker"), {
      recursive: true,
      filter: (src) => !src.includes(".trackdown"),
    });
    git(root, ["init", "-q", "-b", "main"]);
    commitAll(root, "Acme plan", OCT_01);
    return { root, tracker: join(root, "tracker") };
  }
  const objectFile = (root: string, oid: string) =>
    join(root, ".git", "objects", oid.slice(0, 2), oid.slice(2));

  it("reports a missing blob as an unreadable file (TD001) and loads the rest", async () => {
    const { root, tracker } = looseRepo();
    const oid = git(root, ["rev-parse", "HEAD:tracker/people/ana.yml"]);
    unlinkSync(objectFile(root, oid));
    const snapshot = await loadTrackerAt(tracker, "HEAD");
    const problems = snapshot.diagnostics.filter((d) => d.code === "TD001");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "people/ana.yml", line: 1, column: 1 });
    expect(problems[0]?.message).toContain(oid.slice(0, 12));
    expect(problems[0]?.message).toContain("missing");
    expect(snapshot.tasks).toHaveLength(63);
    expect(snapshot.person("jonas")?.name).toBe("Jonas Weber");
  });

  it("reports a damaged blob as an unreadable file (TD001)", async () => {
    const { root, tracker } = looseRepo();
    const oid = git(root, ["rev-parse", `HEAD:${WEB16}`]);
    const file = objectFile(root, oid);
    chmodSync(file, 0o644);
    writeFileSync(file, "this is not a zlib stream");
    const snapshot = await loadTrackerAt(tracker, "HEAD");
    const problems = snapshot.diagnostics.filter((d) => d.code === "TD001");
    expect(problems.map((d) => d.file)).toEqual([WEB16_IN_TRACKER]);
    expect(problems[0]?.message).toContain(oid.slice(0, 12));
    expect(snapshot.tasks).toHaveLength(62);
  });

  it("rejects with a GitProblem when a folder (tree) of the tracker is missing", async () => {
    const { root, tracker } = looseRepo();
    const oid = git(root, ["rev-parse", "HEAD:tracker/people"]);
    unlinkSync(objectFile(root, oid));
    expect(await gitProblem(loadTrackerAt(tracker, "HEAD"))).toContain(oid.slice(0, 12));
  });

  it("rejects with a GitProblem when the commit object itself is missing", async () => {
    const { root, tracker } = looseRepo();
    const oid = git(root, ["rev-parse", "HEAD"]);
    unlinkSync(objectFile(root, oid));
    const message = await gitProblem(loadTrackerAt(tracker, "HEAD"));
    expect(message).toContain(oid.slice(0, 12));
    expect(message).not.toContain("shallow");
  });
});

describe("symbolic links in history", () => {
  /** A small tracker in tracker/ with a link added by `link(trackerDir)`, committed. */
  function repoWithLink(link: (tracker: string) => void): string {
    const root = tempDir("trackdown-git-links-");
    write(root, "README.md", "outside the tracker\n");
    write(root, "tracker/trackdown.yml", "version: 1\nkey: t\nname: Links\n");
    write(root, "tracker/people/ana.yml", "name: Ana Souza\n");
    link(join(root, "tracker"));
    git(root, ["init", "-q", "-b", "main"]);
    commitAll(root, "Links", OCT_01);
    return join(root, "tracker");
  }

  it("never reads a link that leads out of the tracker (TD007), like the working tree", async () => {
    const tracker = repoWithLink((dir) =>
      symlinkSync("../../README.md", join(dir, "people", "evil.yml")),
    );
    const atHead = await loadTrackerAt(tracker, "HEAD");
    const working = await loadTracker(tracker, { cache: false });
    const td007 = (t: Tracker) =>
      t.diagnostics.filter((d) => d.code === "TD007").map((d) => d.file);
    expect(td007(atHead)).toEqual(["people/evil.yml"]);
    expect(td007(working)).toEqual(["people/evil.yml"]);
    expect(atHead.person("evil")).toBeUndefined();
  });

  it("does not call a link that stays inside the tracker through .. an escaping one", async () => {
    const tracker = repoWithLink((dir) =>
      symlinkSync("../people/ana.yml", join(dir, "people", "anna.yml")),
    );
    const working = await loadTracker(tracker, { cache: false });
    expect(working.person("anna")?.name).toBe("Ana Souza");
    const atHead = await loadTrackerAt(tracker, "HEAD");
    expect(atHead.diagnostics.filter((d) => d.code === "TD007")).toEqual([]);
  });

  it("never drops a record behind a link silently: it is read, or a diagnostic says why not", async () => {
    const tracker = repoWithLink((dir) => symlinkSync("ana.yml", join(dir, "people", "anna.yml")));
    const working = await loadTracker(tracker, { cache: false });
    expect(working.person("anna")?.name).toBe("Ana Souza");
    const atHead = await loadTrackerAt(tracker, "HEAD");
    const explained = atHead.diagnostics.some((d) => d.file === "people/anna.yml");
    expect(atHead.person("anna") !== undefined || explained).toBe(true);
  });
});
