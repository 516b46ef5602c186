import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { write } from "../test-support/git.js";
import { copyOfAcme, tempDir } from "../test-support/temp.js";
import { loadTracker } from "./load.js";
import {
  applyChanges,
  type PlannedChange,
  readForEdit,
  WriteIncomplete,
  WriteRefused,
} from "./write.js";

const TASK = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";
const OTHER = "projects/web/tasks/WEB-14-homepage-pricing-teaser-from-the-plans.md";
const OPS = "projects/ops/tasks/OPS-1-manage-dns-with-terraform.md";
const STALE = "(by an editor or another command); nothing was written. Run the command again.";

/** Every file below a folder (hidden ones and links included, links not followed) with its bytes. */
function filesOf(dir: string, rel = ""): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>();
  for (const item of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = `${rel}${item.name}`;
    if (item.isDirectory()) {
      files.set(`${path}/`, "folder");
      for (const [p, c] of filesOf(dir, `${path}/`)) files.set(p, c);
    } else if (item.isSymbolicLink()) files.set(path, "link");
    else files.set(path, readFileSync(join(dir, path)));
  }
  return files;
}

function read(dir: string, path: string): Buffer {
  return readFileSync(join(dir, ...path.split("/")));
}

/** The error a call throws (failing the test when it throws none). */
function errorOf(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error("expected the call to throw");
}

/** The refusal a call throws, as what a user or a tool sees of it. */
function refusalOf(call: () => unknown): { path: string; message: string } {
  const error = errorOf(call);
  expect(error).toBeInstanceOf(WriteRefused);
  return { path: (error as WriteRefused).path, message: error.message };
}

/** The edit of one task: its status and a body line, as the command author would plan it. */
function statusChange(dir: string, path: string, status: string): PlannedChange {
  const { text } = readForEdit(dir, path);
  if (text === undefined) throw new Error(`${path} is missing`);
  return {
    kind: "write",
    path,
    before: text,
    after: text.replace(/^status: .*$/m, `status: ${status}`),
  };
}

/** A rename that keeps the file's content, as read now. */
function renameTo(dir: string, from: string, to: string): PlannedChange {
  const text = readForEdit(dir, from).text!;
  return { kind: "rename", from, to, before: text, after: text };
}

describe("readForEdit", () => {
  it("reads the text as it is, BOM and CRLF kept, and nothing for a missing file", () => {
    const dir = copyOfAcme();
    write(dir, "projects/web/tasks/WEB-90-x.md", "\uFEFF---\r\nid: WEB-90\r\n---\r\nBody\r\n");
    expect(readForEdit(dir, "projects/web/tasks/WEB-90-x.md")).toEqual({
      path: "projects/web/tasks/WEB-90-x.md",
      text: "\uFEFF---\r\nid: WEB-90\r\n---\r\nBody\r\n",
    });
    expect(readForEdit(dir, "projects/web/tasks/WEB-91-new.md")).toEqual({
      path: "projects/web/tasks/WEB-91-new.md",
      text: undefined,
    });
    expect(readForEdit(dir, "projects/nowhere/tasks/X-1.md").text).toBeUndefined();
  });

  it("refuses paths that are absolute, climb out with .., or are hidden (but .trackdown/)", () => {
    const dir = copyOfAcme();
    expect(refusalOf(() => readForEdit(dir, "/etc/passwd"))).toEqual({
      path: "/etc/passwd",
      message:
        '"/etc/passwd" is not a path inside the tracker: paths are relative to the tracker folder, with forward slashes.',
    });
    expect(refusalOf(() => readForEdit(dir, "projects/../../x.md")).message).toBe(
      '"projects/../../x.md" leads out of the tracker through "..".',
    );
    expect(refusalOf(() => readForEdit(dir, "projects\\web\\project.md")).message).toContain(
      "with forward slashes",
    );
    expect(refusalOf(() => readForEdit(dir, "projects//web/project.md")).message).toBe(
      '"projects//web/project.md" is not a plain path of a tracker file.',
    );
    expect(refusalOf(() => readForEdit(dir, ".git/config")).message).toBe(
      '".git/config" is hidden (a name starting with "."); the tracker never reads hidden files or folders, and Trackdown writes none but its own .trackdown folder.',
    );
    expect(refusalOf(() => readForEdit(dir, "projects/web/.tasks/x.md")).path).toBe(
      "projects/web/.tasks/x.md",
    );
    expect(refusalOf(() => readForEdit(dir, ".trackdown/.x.json")).path).toBe(".trackdown/.x.json");
  });

  it("refuses a file that is a link out of the tracker, and a linked folder on the way", () => {
    const dir = copyOfAcme();
    const outside = tempDir("trackdown-outside-");
    writeFileSync(join(outside, "secret.md"), "secret\n");
    unlinkSync(join(dir, TASK));
    symlinkSync(join(outside, "secret.md"), join(dir, TASK));
    expect(refusalOf(() => readForEdit(dir, TASK))).toEqual({
      path: TASK,
      message: `${TASK} is a symbolic link to ${join(outside, "secret.md")}, outside the tracker; Trackdown never follows links out of the tracker.`,
    });

    rmSync(join(dir, "projects/ops"), { recursive: true });
    mkdirSync(join(outside, "tasks"));
    writeFileSync(join(outside, "tasks", "OPS-1-manage-dns-with-terraform.md"), "outside\n");
    symlinkSync(outside, join(dir, "projects/ops"));
    expect(refusalOf(() => readForEdit(dir, OPS)).message).toBe(
      `projects/ops (on the way to ${OPS}) is a symbolic link to ${outside}, outside the tracker; Trackdown never follows links out of the tracker.`,
    );
  });

  it("refuses links that stay inside the tracker, saying why", () => {
    const dir = copyOfAcme();
    symlinkSync("WEB-12-homepage-hero-with-a-b-copy.md", join(dir, "projects/web/tasks/WEB-99.md"));
    expect(refusalOf(() => readForEdit(dir, "projects/web/tasks/WEB-99.md")).message).toBe(
      `projects/web/tasks/WEB-99.md is a symbolic link (to ${TASK}); Trackdown does not write through links, as putting the new file in place would turn the link into a plain copy. Replace the link with the file to edit it.`,
    );
    symlinkSync("web", join(dir, "projects/web2"));
    expect(refusalOf(() => readForEdit(dir, "projects/web2/project.md")).message).toBe(
      "projects/web2 (on the way to projects/web2/project.md) is a symbolic link (to projects/web); Trackdown neither reads nor writes through linked folders.",
    );
  });

  it("refuses folders, files used as folders, and text that is not UTF-8", () => {
    const dir = copyOfAcme();
    expect(refusalOf(() => readForEdit(dir, "projects/web/tasks")).message).toBe(
      "projects/web/tasks is a folder.",
    );
    expect(refusalOf(() => readForEdit(dir, `${TASK}/notes.md`)).message).toBe(
      `${TASK} is a file, not a folder, so there can be no ${TASK}/notes.md.`,
    );
    writeFileSync(
      join(dir, "people/latin1.yml"),
      Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0xe9, 0x0a]),
    );
    expect(refusalOf(() => readForEdit(dir, "people/latin1.yml")).message).toBe(
      "people/latin1.yml is not UTF-8 text; Trackdown edits text files only, and would damage it.",
    );
  });
});

describe("applyChanges", () => {
  it("writes, creates, deletes and renames exactly, keeping modes and leaving no temp file", async () => {
    const dir = copyOfAcme();
    const crlf =
      "\uFEFF---\r\nid: WEB-90\r\ntitle: Windows file\r\nstatus: todo\r\n---\r\nBody\r\n";
    write(dir, "projects/web/tasks/WEB-90-windows-file.md", crlf);
    chmodSync(join(dir, "projects/web/tasks/WEB-90-windows-file.md"), 0o640);
    chmodSync(join(dir, OTHER), 0o600);
    const before = filesOf(dir);
    const ops = readForEdit(dir, OPS).text!;
    const other = readForEdit(dir, OTHER).text!;
    const renamed = other.replace("id: WEB-14", "id: WEB-40");

    applyChanges(dir, [
      statusChange(dir, "projects/web/tasks/WEB-90-windows-file.md", "done"),
      { kind: "write", path: "time/2026/11/ana-new.yml", before: undefined, after: "- 1h\n" },
      { kind: "write", path: ".trackdown/timers.json", before: undefined, after: "{}\n" },
      { kind: "delete", path: OPS, before: ops },
      {
        kind: "rename",
        from: OTHER,
        to: "projects/web/tasks/WEB-40-homepage-pricing-teaser-from-the-plans.md",
        before: other,
        after: renamed,
      },
    ]);

    const expected = new Map(before);
    expected.set(
      "projects/web/tasks/WEB-90-windows-file.md",
      Buffer.from(crlf.replace("status: todo", "status: done")),
    );
    expected.set("time/2026/", "folder");
    expected.set("time/2026/11/", "folder");
    expected.set("time/2026/11/ana-new.yml", Buffer.from("- 1h\n"));
    expected.set(".trackdown/", "folder");
    expected.set(".trackdown/timers.json", Buffer.from("{}\n"));
    expected.delete(OPS);
    expected.delete(OTHER);
    expected.set(
      "projects/web/tasks/WEB-40-homepage-pricing-teaser-from-the-plans.md",
      Buffer.from(renamed),
    );
    // every file byte for byte, and no other file (no temp file) in any folder
    expect(filesOf(dir)).toEqual(expected);
    expect(statSync(join(dir, "projects/web/tasks/WEB-90-windows-file.md")).mode & 0o777).toBe(
      0o640,
    );
    expect(
      statSync(join(dir, "projects/web/tasks/WEB-40-homepage-pricing-teaser-from-the-plans.md"))
        .mode & 0o777,
    ).toBe(0o600);

    const tracker = await loadTracker(dir, { cache: false });
    expect(tracker.task("WEB-90")?.status).toBe("done");
    expect(tracker.task("WEB-40")?.title).toBe("Homepage pricing teaser from the plans API");
    expect(tracker.task("OPS-1")).toBeUndefined();
  });

  it("refuses the whole plan when a file was edited after it was read, writing none of it", () => {
    const dir = copyOfAcme();
    const plan: PlannedChange[] = [
      statusChange(dir, OPS, "done"),
      { kind: "write", path: "projects/web/notes/new.md", before: undefined, after: "new\n" },
      renameTo(dir, OTHER, "projects/web/tasks/WEB-41.md"),
      statusChange(dir, TASK, "review"),
    ];
    writeFileSync(join(dir, TASK), `${read(dir, TASK)}An editor saved this.\n`);
    const before = filesOf(dir);

    expect(refusalOf(() => applyChanges(dir, plan))).toEqual({
      path: TASK,
      message: `${TASK} changed on disk since it was read ${STALE}`,
    });
    expect(filesOf(dir)).toEqual(before);
  });

  it("refuses when a file was deleted, or a new file or rename target created, meanwhile", () => {
    const dir = copyOfAcme();
    const deleted = statusChange(dir, TASK, "review");
    rmSync(join(dir, TASK));
    const before = filesOf(dir);
    expect(refusalOf(() => applyChanges(dir, [statusChange(dir, OPS, "done"), deleted]))).toEqual({
      path: TASK,
      message: `${TASK} was deleted on disk since it was read ${STALE}`,
    });
    expect(filesOf(dir)).toEqual(before);

    const created: PlannedChange = {
      kind: "write",
      path: "projects/web/tasks/WEB-50-new.md",
      before: readForEdit(dir, "projects/web/tasks/WEB-50-new.md").text,
      after: "---\nid: WEB-50\n---\n",
    };
    write(dir, "projects/web/tasks/WEB-50-new.md", "someone else's WEB-50\n");
    const withNew = filesOf(dir);
    expect(refusalOf(() => applyChanges(dir, [statusChange(dir, OPS, "done"), created]))).toEqual({
      path: "projects/web/tasks/WEB-50-new.md",
      message: `projects/web/tasks/WEB-50-new.md was created on disk since it was read ${STALE}`,
    });
    expect(filesOf(dir)).toEqual(withNew);

    const rename = renameTo(dir, OTHER, "projects/web/tasks/WEB-51.md");
    write(dir, "projects/web/tasks/WEB-51.md", "taken\n");
    const withTarget = filesOf(dir);
    expect(refusalOf(() => applyChanges(dir, [rename])).message).toBe(
      `projects/web/tasks/WEB-51.md was created on disk since it was read ${STALE}`,
    );
    expect(filesOf(dir)).toEqual(withTarget);
  });

  it("never writes through a link out of the tracker, leaving the outside file untouched", () => {
    const dir = copyOfAcme();
    const outside = tempDir("trackdown-outside-");
    const task = readForEdit(dir, TASK).text!;
    renameSync(join(dir, TASK), join(outside, "stolen.md"));
    symlinkSync(join(outside, "stolen.md"), join(dir, TASK));
    expect(
      refusalOf(() => applyChanges(dir, [{ kind: "write", path: TASK, before: task, after: "x" }])),
    ).toEqual({
      path: TASK,
      message: `${TASK} is a symbolic link to ${join(outside, "stolen.md")}, outside the tracker; Trackdown never follows links out of the tracker; nothing was written.`,
    });
    expect(readFileSync(join(outside, "stolen.md"), "utf8")).toBe(task);
    expect(lstatSync(join(dir, TASK)).isSymbolicLink()).toBe(true);

    // a linked folder on the way: neither a new file nor a temp file lands outside
    rmSync(join(dir, "projects/ops"), { recursive: true });
    symlinkSync(outside, join(dir, "projects/ops"));
    const newTask = "projects/ops/tasks/OPS-70.md";
    expect(
      refusalOf(() =>
        applyChanges(dir, [
          statusChange(dir, OTHER, "done"),
          { kind: "write", path: newTask, before: undefined, after: "x\n" },
        ]),
      ).message,
    ).toBe(
      `projects/ops (on the way to ${newTask}) is a symbolic link to ${outside}, outside the tracker; Trackdown never follows links out of the tracker; nothing was written.`,
    );
    expect(readdirSync(outside)).toEqual(["stolen.md"]);

    for (const path of ["../outside.md", join(outside, "abs.md")]) {
      const error = refusalOf(() =>
        applyChanges(dir, [{ kind: "write", path, before: undefined, after: "x\n" }]),
      );
      expect(error.path).toBe(path);
      expect(error.message).toMatch(/leads out of the tracker|is not a path inside the tracker/);
    }
    expect(readdirSync(outside)).toEqual(["stolen.md"]);
    expect(existsSync(join(dir, "../outside.md"))).toBe(false);
  });

  it("refuses to replace a link inside the tracker with a copy", () => {
    const dir = copyOfAcme();
    const task = readForEdit(dir, TASK).text!;
    symlinkSync("WEB-12-homepage-hero-with-a-b-copy.md", join(dir, "projects/web/tasks/WEB-99.md"));
    const before = filesOf(dir);
    expect(
      refusalOf(() =>
        applyChanges(dir, [
          { kind: "write", path: "projects/web/tasks/WEB-99.md", before: task, after: "x\n" },
        ]),
      ).message,
    ).toContain("Trackdown does not write through links");
    expect(filesOf(dir)).toEqual(before);
  });

  it("refuses up front when a folder stands where a file should go", () => {
    const dir = copyOfAcme();
    mkdirSync(join(dir, "projects/web/tasks/WEB-42.md"));
    const before = filesOf(dir);
    expect(
      refusalOf(() =>
        applyChanges(dir, [
          statusChange(dir, TASK, "review"),
          { kind: "write", path: "projects/web/notes/a.md", before: undefined, after: "a\n" },
          renameTo(dir, OTHER, "projects/web/tasks/WEB-42.md"),
        ]),
      ),
    ).toEqual({
      path: "projects/web/tasks/WEB-42.md",
      message: "projects/web/tasks/WEB-42.md is a folder; nothing was written.",
    });
    expect(filesOf(dir)).toEqual(before);
  });

  it("undoes everything when a temp file cannot be written half-way through the plan", () => {
    const dir = copyOfAcme();
    // the name fits the file system, the temp name beside it (".<name>.<hex>.tmp") does not
    const long = `projects/web/tasks/WEB-60-${"a".repeat(240)}.md`;
    const before = filesOf(dir);
    const error = refusalOf(() =>
      applyChanges(dir, [
        statusChange(dir, TASK, "review"),
        { kind: "write", path: "projects/web/notes/deep/a.md", before: undefined, after: "a\n" },
        { kind: "write", path: long, before: undefined, after: "x\n" },
      ]),
    );
    expect(error.path).toBe(long);
    expect(error.message).toMatch(
      new RegExp(`^${long} could not be written \\(ENAMETOOLONG: .*\\); nothing was written\\.$`),
    );
    // the two earlier temp files and the folders made for them are gone
    expect(filesOf(dir)).toEqual(before);
  });

  it("says which files were and were not written when removing a renamed-away file fails", (ctx) => {
    const dir = copyOfAcme();
    const other = readForEdit(dir, OTHER).text!;
    const changes: PlannedChange[] = [
      renameTo(dir, OTHER, "projects/ops/tasks/OPS-40.md"),
      statusChange(dir, OPS, "done"),
    ];
    const unlock = lockFolder(join(dir, "projects/web/tasks"));
    if (unlock === undefined) {
      ctx.skip("root here may not make a folder immutable (chattr): no way to make a removal fail");
      return;
    }
    let error: Error;
    try {
      error = errorOf(() => applyChanges(dir, changes));
    } finally {
      unlock();
    }
    expect(error).toBeInstanceOf(WriteIncomplete);
    expect(error.message).toMatch(
      new RegExp(
        `^${OTHER} could not be removed \\(E(PERM|ACCES): .*\\); the plan was applied in part\\. ` +
          `Done: projects/ops/tasks/OPS-40\\.md, ${OPS}\\. Not done: ${OTHER}\\. Check the files with git status\\.$`,
      ),
    );
    expect(read(dir, "projects/ops/tasks/OPS-40.md").toString()).toBe(other);
    expect(read(dir, OPS).toString()).toContain("status: done");
    expect([...filesOf(dir).keys()].filter((p) => p.endsWith(".tmp"))).toEqual([]);
  });

  it("names a bug in the plan (a path twice) as a plain error, and does nothing for no changes", () => {
    const dir = copyOfAcme();
    const before = filesOf(dir);
    applyChanges(dir, []);
    const error = errorOf(() =>
      applyChanges(dir, [statusChange(dir, TASK, "review"), statusChange(dir, TASK, "done")]),
    );
    expect(error).not.toBeInstanceOf(WriteRefused);
    expect(error.message).toBe(`The plan names ${TASK} more than once`);
    expect(filesOf(dir)).toEqual(before);
  });
});

/**
 * Makes a folder's entries impossible to remove: read-only for a user, immutable (chattr)
 * for root, whom permissions do not stop. Returns the undo.
 */
function lockFolder(folder: string): (() => void) | undefined {
  if (process.getuid?.() === 0) {
    try {
      execFileSync("chattr", ["+i", folder], { stdio: "ignore" });
    } catch {
      return undefined; // a container without CAP_LINUX_IMMUTABLE, or a file system without it
    }
    return () => execFileSync("chattr", ["-i", folder]);
  }
  chmodSync(folder, 0o555);
  return () => chmodSync(folder, 0o755);
}
