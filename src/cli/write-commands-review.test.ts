// Bugs found in a review of the write commands, each pinned by the test that first failed:
// fix-ids renumbering two tasks at once, mentions of an id in attachment paths, `unassign`
// of a task with no assignees, and templates that already hold a title or cannot be read.
// Each test runs on a copy of examples/acme in a git repository (src/test-support/acme-repo.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { type AcmeRepo, acmeRepo } from "../test-support/acme-repo.js";
import { commitAll, git } from "../test-support/git.js";

const ENV = { TRACKDOWN_TODAY: "2026-11-27", NO_COLOR: "1", TRACKDOWN_ME: "kenji" };
let repo: AcmeRepo;

beforeEach(() => {
  repo = acmeRepo(ENV);
});

const cli = (...args: string[]) => repo.cli(...args);
const read = (path: string) => repo.read(path);
const put = (path: string, text: string) => {
  mkdirSync(join(repo.dir, path, ".."), { recursive: true });
  writeFileSync(join(repo.dir, path), text);
};
const clean = async () => {
  const r = await cli("check");
  expect(r.stdout).toMatch(/^✓ \d+ tasks checked, no problems\.\n$/);
  expect(r.code).toBe(0);
};

describe("fix-ids renumbering several tasks at once", () => {
  const WEB2 = "projects/web/tasks/WEB-2-audit-current-site-content-and-analytics.md";

  it("keeps every reference and mention it rewrites, in a list or a body shared by both", async () => {
    git(repo.dir, ["checkout", "-q", "-b", "feature"]);
    // our API-24 depends on our API-25 (renamed second), API-26 on both; WEB-2 mentions both
    expect((await cli("new", "task", "-p", "API", "--title", "Ours one")).code).toBe(0);
    expect((await cli("new", "task", "-p", "API", "--title", "Ours two")).code).toBe(0);
    expect((await cli("edit", "API-24", "--add", "depends_on=API-25")).code).toBe(0);
    expect(
      (await cli("new", "task", "-p", "API", "--title", "Both", "--depends-on", "API-24,API-25"))
        .code,
    ).toBe(0);
    put(WEB2, `${read(WEB2)}\nSee API-24 and API-25.\n`);
    commitAll(repo.dir, "ours", "2026-11-27T11:00:00+01:00");
    git(repo.dir, ["checkout", "-q", "main"]);
    for (const title of ["Theirs one", "Theirs two", "Theirs three"]) {
      expect((await cli("new", "task", "-p", "API", "--title", title)).code).toBe(0);
    }
    commitAll(repo.dir, "theirs", "2026-11-27T11:30:00+01:00");
    git(repo.dir, ["checkout", "-q", "feature"]);

    const r = await cli("fix-ids", "--base", "main");
    expect(r).toEqual({
      code: 0,
      stdout: [
        "API-24 → API-27 (main has API-24 in projects/api/tasks/API-24-theirs-one.md); updated 1 reference, 1 mention in Markdown.",
        "API-25 → API-28 (main has API-25 in projects/api/tasks/API-25-theirs-two.md); updated 2 references, 1 mention in Markdown.",
        "API-26 → API-29 (main has API-26 in projects/api/tasks/API-26-theirs-three.md); nothing refers to it.",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(read("projects/api/tasks/API-27-ours-one.md")).toContain("\nid: API-27\n");
    expect(read("projects/api/tasks/API-27-ours-one.md")).toContain("\ndepends_on: [API-28]\n");
    expect(read("projects/api/tasks/API-29-both.md")).toContain("\ndepends_on: [API-27, API-28]\n");
    expect(read(WEB2)).toContain("\nSee API-27 and API-28.\n");
    commitAll(repo.dir, "fix ids", "2026-11-27T12:00:00+01:00");
    git(repo.dir, ["merge", "-q", "--no-edit", "main"]);
    await clean();
  });
});

describe("renaming a task mentioned in an attachment's path", () => {
  it("leaves files/ID/ paths alone (the folder does not move) and renames whole mentions", async () => {
    const WEB2 = "projects/web/tasks/WEB-2-audit-current-site-content-and-analytics.md";
    put(
      WEB2,
      `${read(WEB2)}\nSpec: [limits](../../../files/API-4/rate-limit-spec.md), task [API-4](../../api/tasks/API-4-rate-limiting-per-api-key.md), API-4_x, API-4.\n`,
    );
    commitAll(repo.dir, "mention", "2026-11-27T11:00:00+01:00");
    const r = await cli("rename-id", "API-4", "API-30");
    expect(r).toEqual({
      code: 0,
      stdout:
        "Renamed API-4 to API-30; updated 1 reference, 7 time entries, 3 mentions in Markdown.\n",
      stderr: "",
    });
    expect(read(WEB2)).toContain(
      "\nSpec: [limits](../../../files/API-4/rate-limit-spec.md), task [API-30](../../api/tasks/API-30-rate-limiting-per-api-key.md), API-4_x, API-30.\n",
    );
    await clean();
  });
});

describe("unassign with no one named", () => {
  it("changes nothing on a task without assignees, and says so", async () => {
    const r = await cli("unassign", "API-23");
    expect(r).toEqual({
      code: 0,
      stdout: "API-23 has no assignees; nothing to change.\n",
      stderr: "",
    });
    expect(repo.status()).toBe("");
  });
});

describe("new task from a template", () => {
  it("fills in a title the template already has, instead of writing it twice", async () => {
    put("templates/task.md", "---\n# A note.\nstatus: backlog\ntitle: TODO\n---\n\nBody.\n");
    const r = await cli("new", "task", "-p", "WEB", "--title", "Hello");
    expect(r).toEqual({
      code: 0,
      stdout: "Created task WEB-32: projects/web/tasks/WEB-32-hello.md.\n",
      stderr: "",
    });
    expect(read("projects/web/tasks/WEB-32-hello.md")).toBe(
      "---\n# yaml-language-server: $schema=../../../../../schemas/task.schema.json\nid: WEB-32\nstatus: backlog\ntitle: Hello\ncreated: 2026-11-27\n---\n\nBody.\n",
    );
  });

  it("writes a title holding `$&` and `$$` as given", async () => {
    const r = await cli("new", "task", "-p", "WEB", "--title", "Costs $$5 and $& more");
    expect(r).toEqual({
      code: 0,
      stdout: "Created task WEB-32: projects/web/tasks/WEB-32-costs-5-and-more.md.\n",
      stderr: "",
    });
    expect(read("projects/web/tasks/WEB-32-costs-5-and-more.md")).toMatch(
      /^---\n# yaml-language-server: \S+\nid: WEB-32\ntitle: Costs \$\$5 and \$& more\nstatus: backlog\n/,
    );
  });

  it("names the template's own line when its YAML cannot be read", async () => {
    put(
      "templates/task.md",
      "---\n# A note.\n# Another.\n# And a third.\npriority: low\nstatus: a: b\n---\n",
    );
    const r = await cli("new", "task", "-p", "WEB", "--title", "Hello");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trackdown: templates\/task\.md:6:9: The YAML cannot be edited/);
    expect(repo.status()).toBe("M templates/task.md");
  });
});
