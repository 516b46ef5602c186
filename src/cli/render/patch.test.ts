import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PlannedChange } from "../../node/write.js";
import { GIT_ENV, write } from "../../test-support/git.js";
import { tempDir } from "../../test-support/temp.js";
import { renderPatch } from "./patch.js";

const inTracker = { display: (path: string) => `tracker/${path}` };

const TASK = [
  "---",
  "id: WEB-12",
  "title: Homepage hero with A/B copy variants",
  "status: review",
  "assignees: [lena]",
  "priority: high",
  "estimate: 3",
  "labels: [frontend]",
  "---",
  "Two variants of the hero copy.",
  "",
].join("\n");

describe("renderPatch", () => {
  it("shows a one-line change with three lines of context, as git does", () => {
    const change: PlannedChange = {
      kind: "write",
      path: "projects/web/tasks/WEB-12-x.md",
      before: TASK,
      after: TASK.replace("status: review", "status: done"),
    };
    expect(renderPatch([change], inTracker)).toBe(
      [
        "diff --git a/tracker/projects/web/tasks/WEB-12-x.md b/tracker/projects/web/tasks/WEB-12-x.md",
        "--- a/tracker/projects/web/tasks/WEB-12-x.md",
        "+++ b/tracker/projects/web/tasks/WEB-12-x.md",
        "@@ -1,7 +1,7 @@",
        " ---",
        " id: WEB-12",
        " title: Homepage hero with A/B copy variants",
        "-status: review",
        "+status: done",
        " assignees: [lena]",
        " priority: high",
        " estimate: 3",
        "",
      ].join("\n"),
    );
  });

  it("shows a new file, a deleted file and a rename with a change under git's headers", () => {
    const changes: PlannedChange[] = [
      { kind: "write", path: "time/2026/11/ana.yml", before: undefined, after: "- 2h\n- 1h\n" },
      { kind: "delete", path: "people/old.yml", before: "name: Old\n" },
      {
        kind: "rename",
        from: "projects/web/tasks/WEB-12-x.md",
        to: "projects/web/tasks/WEB-40-x.md",
        before: TASK,
        after: TASK.replace("id: WEB-12", "id: WEB-40"),
      },
    ];
    expect(renderPatch(changes, inTracker)).toBe(
      [
        "diff --git a/tracker/time/2026/11/ana.yml b/tracker/time/2026/11/ana.yml",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/tracker/time/2026/11/ana.yml",
        "@@ -0,0 +1,2 @@",
        "+- 2h",
        "+- 1h",
        "diff --git a/tracker/people/old.yml b/tracker/people/old.yml",
        "deleted file mode 100644",
        "--- a/tracker/people/old.yml",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-name: Old",
        "diff --git a/tracker/projects/web/tasks/WEB-12-x.md b/tracker/projects/web/tasks/WEB-40-x.md",
        "rename from tracker/projects/web/tasks/WEB-12-x.md",
        "rename to tracker/projects/web/tasks/WEB-40-x.md",
        "--- a/tracker/projects/web/tasks/WEB-12-x.md",
        "+++ b/tracker/projects/web/tasks/WEB-40-x.md",
        "@@ -1,5 +1,5 @@",
        " ---",
        "-id: WEB-12",
        "+id: WEB-40",
        " title: Homepage hero with A/B copy variants",
        " status: review",
        " assignees: [lena]",
        "",
      ].join("\n"),
    );
  });

  it("shows a pure rename, an empty new file and an unchanged write as git does", () => {
    const changes: PlannedChange[] = [
      { kind: "rename", from: "files/a.txt", to: "files/b.txt", before: "x\n", after: "x\n" },
      { kind: "write", path: "files/empty.txt", before: undefined, after: "" },
      { kind: "write", path: "files/same.txt", before: "same\n", after: "same\n" },
    ];
    expect(renderPatch(changes, { display: (p) => p })).toBe(
      [
        "diff --git a/files/a.txt b/files/b.txt",
        "similarity index 100%",
        "rename from files/a.txt",
        "rename to files/b.txt",
        "diff --git a/files/empty.txt b/files/empty.txt",
        "new file mode 100644",
        "",
      ].join("\n"),
    );
    expect(renderPatch([], inTracker)).toBe("");
    expect(renderPatch([changes[2]!], inTracker)).toBe("");
  });

  it("keeps CRLF line ends in the lines, and marks a missing final newline", () => {
    const crlf: PlannedChange = {
      kind: "write",
      path: "a.md",
      before: "---\r\nstatus: todo\r\n---\r\n",
      after: "---\r\nstatus: done\r\n---\r\n",
    };
    const noFinalNewline: PlannedChange = {
      kind: "write",
      path: "b.md",
      before: "one\ntwo",
      after: "one\ntwo\nthree",
    };
    expect(renderPatch([crlf, noFinalNewline], { display: (p) => p })).toBe(
      [
        "diff --git a/a.md b/a.md",
        "--- a/a.md",
        "+++ b/a.md",
        "@@ -1,3 +1,3 @@",
        " ---\r",
        "-status: todo\r",
        "+status: done\r",
        " ---\r",
        "diff --git a/b.md b/b.md",
        "--- a/b.md",
        "+++ b/b.md",
        "@@ -1,2 +1,3 @@",
        " one",
        "-two",
        "\\ No newline at end of file",
        "+two",
        "+three",
        "\\ No newline at end of file",
        "",
      ].join("\n"),
    );
  });

  it("colours like git only when asked", () => {
    const change: PlannedChange = {
      kind: "write",
      path: "a.md",
      before: "a\nb\n",
      after: "a\nc\n",
    };
    expect(renderPatch([change], { display: (p) => p, color: true })).toBe(
      [
        "\u001b[1mdiff --git a/a.md b/a.md\u001b[22m",
        "\u001b[1m--- a/a.md\u001b[22m",
        "\u001b[1m+++ b/a.md\u001b[22m",
        "\u001b[36m@@ -1,2 +1,2 @@\u001b[39m",
        " a",
        "\u001b[31m-b\u001b[39m",
        "\u001b[32m+c\u001b[39m",
        "",
      ].join("\n"),
    );
    expect(renderPatch([change], { display: (p) => p, color: false })).not.toContain("\u001b");
  });

  it("quotes paths as git does, and never lets file content drive the terminal", () => {
    const changes: PlannedChange[] = [
      {
        kind: "write",
        path: "files/naïve notes.md",
        before: "Title\n",
        after: "Title \u001b[2J\u001b]0;pwned\u0007\rfake\n",
      },
    ];
    expect(renderPatch(changes, { display: (p) => p })).toBe(
      [
        'diff --git "a/files/na\\303\\257ve notes.md" "b/files/na\\303\\257ve notes.md"',
        '--- "a/files/na\\303\\257ve notes.md"\t',
        '+++ "b/files/na\\303\\257ve notes.md"\t',
        "@@ -1 +1 @@",
        "-Title",
        "+Title ␛[2J␛]0;pwned␇␍fake",
        "",
      ].join("\n"),
    );
  });

  it("is a patch git applies, giving exactly the planned files", () => {
    const dir = tempDir();
    const before: Record<string, string> = {
      "projects/web/tasks/WEB-12-x.md": TASK,
      "projects/web/tasks/WEB-13-y.md": TASK.replace("WEB-12", "WEB-13"),
      "people/old.yml": "name: Old\n",
      "people/windows.yml": "name: Win\r\ncapacity: 3\r\n",
      "notes.md": "no final newline",
    };
    for (const [path, text] of Object.entries(before)) write(dir, path, text);
    const done = `${TASK.replace("status: review", "status: done")}Done.\n`;
    const changes: PlannedChange[] = [
      {
        kind: "write",
        path: "projects/web/tasks/WEB-12-x.md",
        before: TASK,
        after: done,
      },
      {
        kind: "rename",
        from: "projects/web/tasks/WEB-13-y.md",
        to: "projects/ops/tasks/OPS-9-y.md",
        before: before["projects/web/tasks/WEB-13-y.md"]!,
        after: TASK.replace("WEB-12", "OPS-9"),
      },
      { kind: "delete", path: "people/old.yml", before: "name: Old\n" },
      {
        kind: "write",
        path: "people/windows.yml",
        before: "name: Win\r\ncapacity: 3\r\n",
        after: "name: Win\r\ncapacity: 4\r\n",
      },
      { kind: "write", path: "notes.md", before: "no final newline", after: "now with one\n" },
      { kind: "write", path: "time/2026/ana.yml", before: undefined, after: "- 1h" },
    ];
    const patch = renderPatch(changes, { display: (p) => p });
    execFileSync("git", ["apply", "-"], { cwd: dir, input: patch, env: GIT_ENV });

    const text = (path: string) => readFileSync(join(dir, ...path.split("/")), "utf8");
    expect(text("projects/web/tasks/WEB-12-x.md")).toBe(done);
    expect(text("projects/ops/tasks/OPS-9-y.md")).toBe(TASK.replace("WEB-12", "OPS-9"));
    expect(text("people/windows.yml")).toBe("name: Win\r\ncapacity: 4\r\n");
    expect(text("notes.md")).toBe("now with one\n");
    expect(text("time/2026/ana.yml")).toBe("- 1h");
    expect(() => text("people/old.yml")).toThrow(/ENOENT/);
    expect(() => text("projects/web/tasks/WEB-13-y.md")).toThrow(/ENOENT/);
  });
});
