import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statusTimeline } from "../core/git/history.js";
import { runCli } from "../test-support/cli.js";
import { copyOfAcme } from "../test-support/temp.js";
import { loadTrackerHistory } from "./git.js";

const TASK = "projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";

/** A repository whose root is a copy of acme, committed at the given ISO instants. */
function repo() {
  const dir = copyOfAcme();
  const git = (args: string[], date = "2026-11-01T10:00:00Z", who = "Ana") =>
    execFileSync("git", ["-c", `user.name=${who}`, "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_GLOBAL: "/dev/null",
      },
      stdio: "pipe",
    });
  git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["commit", "-q", "-m", "Plan"]);
  const setStatus = (status: string) => {
    const file = join(dir, TASK);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^status: .*$/m, `status: ${status}`));
  };
  return { dir, git, setStatus };
}

describe("history along the first-parent chain", () => {
  it("records status changes with their commit, author and time, merges at their merge time", async () => {
    const { dir, git, setStatus } = repo();
    setStatus("doing");
    git(["commit", "-q", "-am", "back to doing"], "2026-11-05T10:00:00Z", "Lena");
    git(["checkout", "-q", "-b", "feature"]);
    setStatus("done");
    // authored long before it reached main: the merge date counts
    git(["commit", "-q", "-am", "done on a branch"], "2026-11-06T10:00:00Z", "Tom");
    git(["checkout", "-q", "main"]);
    git(["merge", "-q", "--no-ff", "feature", "-m", "merge"], "2026-11-20T10:00:00Z", "Ana");
    const history = await loadTrackerHistory(dir);
    expect(history.complete).toBe(true);
    const timeline = statusTimeline(history, "WEB-16");
    expect(
      timeline.map((e) => [
        e.from ?? null,
        e.to,
        new Date(e.timestamp * 1000).toISOString().slice(0, 10),
      ]),
    ).toEqual([
      [null, "review", "2026-11-01"],
      ["review", "doing", "2026-11-05"],
      ["doing", "done", "2026-11-20"],
    ]);
    expect(history.commits.at(-1)?.merge).toBe(true);
  });

  it("does not count a task whose file broke in a commit as deleted and re-created", async () => {
    const { dir, git, setStatus } = repo();
    const file = join(dir, TASK);
    const good = readFileSync(file, "utf8");
    // an unclosed quote: the file cannot be read in this commit
    writeFileSync(file, good.replace(/^title: .*$/m, 'title: "Signup form'));
    git(["commit", "-q", "-am", "broken"], "2026-11-05T10:00:00Z");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^status: .*$/m, "status: done"));
    git(["commit", "-q", "-am", "still broken, now done"], "2026-11-06T10:00:00Z");
    writeFileSync(file, good);
    setStatus("done");
    git(["commit", "-q", "-am", "mended"], "2026-11-07T10:00:00Z");
    const history = await loadTrackerHistory(dir, { cache: false });
    const kinds = history.commits
      .slice(1)
      .flatMap((c) => c.changes.map((ch) => `${c.info.message.trim()}: ${ch.kind} ${ch.id}`));
    expect(kinds).toEqual(["mended: task.status WEB-16"]);
    expect(statusTimeline(history, "WEB-16").map((e) => [e.from ?? null, e.to])).toEqual([
      [null, "review"],
      ["review", "done"],
    ]);
    // deleted while broken: a deletion of what was last readable
    git(["rm", "-q", TASK]);
    writeFileSync(file.replace(/\.md$/, "-x.md"), "---\nid: [\n---\n");
    git(["add", "-A"]);
    git(["commit", "-q", "-m", "gone"], "2026-11-08T10:00:00Z");
    const later = await loadTrackerHistory(dir, { cache: false });
    expect(later.commits.at(-1)?.changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
      "task.deleted WEB-16",
    ]);
  });

  it("treats the oldest commit reached as the start when the walk is limited", async () => {
    const { dir, git, setStatus } = repo();
    setStatus("done");
    git(["commit", "-q", "-am", "done"], "2026-11-10T10:00:00Z");
    const history = await loadTrackerHistory(dir, { limit: 1 });
    expect(history.complete).toBe(false);
    expect(history.stoppedBecause).toMatch(/Stopped after 1 commits/);
    expect(history.commits).toEqual([]);
    // two commits reach the root: the whole history, its first commit creating everything
    const two = await loadTrackerHistory(dir, { limit: 2 });
    expect(two.complete).toBe(true);
    expect(two.commits.at(-1)?.changes.map((ch) => ch.summary)).toEqual([
      "WEB-16 moved from review to done",
    ]);
  });

  it("keeps history in .trackdown/cache and, after a new commit, reads only that commit", async () => {
    const { dir, git, setStatus } = repo();
    const first = await loadTrackerHistory(dir);
    expect(existsSync(join(dir, ".trackdown", "cache", "history-v1.json"))).toBe(true);
    setStatus("done");
    git(["commit", "-q", "-am", "done"], "2026-11-10T10:00:00Z");
    const next = await loadTrackerHistory(dir);
    expect(next.commits).toHaveLength(first.commits.length + 1);
    expect(next.commits.at(-1)?.changes.map((c) => c.summary)).toEqual([
      "WEB-16 moved from review to done",
    ]);
    // the same as reading everything again
    const fresh = await loadTrackerHistory(dir, { cache: false });
    expect(JSON.parse(JSON.stringify(next))).toEqual(JSON.parse(JSON.stringify(fresh)));
    // a rewritten history (the cached head is no longer on the branch) is read from scratch
    git(["reset", "-q", "--hard", "HEAD~1"]);
    setStatus("doing");
    git(["commit", "-q", "-am", "doing instead"], "2026-11-11T10:00:00Z");
    const rewritten = await loadTrackerHistory(dir);
    expect(rewritten.commits.at(-1)?.changes.map((c) => c.summary)).toEqual([
      "WEB-16 moved from review to doing",
    ]);
    expect(rewritten.commits).toHaveLength(first.commits.length + 1);
  });

  it("prints a task's history and the activity feed from the CLI", async () => {
    const { dir, git, setStatus } = repo();
    setStatus("done");
    git(["commit", "-q", "-am", "WEB-16 done"], "2026-11-20T10:00:00Z", "Lena");
    const history = await runCli(["history", "web-16"], { cwd: dir });
    expect(history.code).toBe(0);
    expect(history.stdout).toContain("2026-11-20");
    expect(history.stdout).toContain("WEB-16 moved from review to done");
    const activity = await runCli(["activity", "--since", "2026-11-10", "--format", "json"], {
      cwd: dir,
    });
    const json = JSON.parse(activity.stdout) as {
      commits: { author: string; changes: { kind: string }[] }[];
    };
    expect(json.commits).toHaveLength(1);
    expect(json.commits[0]?.author).toBe("Lena");
    expect(json.commits[0]?.changes.map((c) => c.kind)).toEqual(["task.status"]);
    expect((await runCli(["history", "WEB-999"], { cwd: dir })).code).toBe(1);
    expect((await runCli(["activity", "--since", "soon"], { cwd: dir })).code).toBe(2);
  });
});
